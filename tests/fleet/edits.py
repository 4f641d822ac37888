"""The edits a fleet's laptops make, each logged with what it needs for the checks.

Every edit carries a token (`tok00042`) that it writes into the story: a new paragraph,
headline or tag. An edit records the tokens it replaced (the paragraph, headline or tag
it overwrote, as that laptop saw it): an edit whose token a later edit replaced is
superseded, and need not be found at the end. A delete records every token the deleting
laptop's copy held: an edit it had not seen beats it (DESIGN section 5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from random import Random

from newsdesk.domain.model import Story, free_slug, slugify
from newsdesk.formats.markdown import dumps
from newsdesk.store import Store, StoreError
from newsdesk.sync.paragraphs import paragraphs as split_paragraphs

PARAGRAPHS = 4
TOKEN_RE = re.compile(r"tok\d{5}")
# A headline every laptop writes now and then: the same slug on many laptops.
SAME_HEADLINE = "Storm closes schools in round {round}"

# Kinds of edits; each one a person makes in the window or with the command.
CREATE, PARAGRAPH, HEADLINE, TAG_ADD, TAG_REMOVE, DELETE, UNDELETE = (
    "create", "paragraph", "headline", "tag_add", "tag_remove", "delete", "undelete",
)
# Edits whose token must be found at the end unless superseded.
CONTENT_KINDS = (PARAGRAPH, HEADLINE, TAG_ADD, UNDELETE)
# How often each kind is picked for a random edit.
WEIGHTS = {CREATE: 18, PARAGRAPH: 40, HEADLINE: 10, TAG_ADD: 14, TAG_REMOVE: 6, DELETE: 8,
           UNDELETE: 4}


@dataclass(frozen=True)
class Edit:
    seq: int
    round: int
    laptop: str
    kind: str
    story_id: str
    token: str
    slot: str = ""  # "p2", "headline", "tags"...: what the edit overwrote
    replaced: frozenset[str] = frozenset()  # tokens it overwrote (create: none)
    seen: frozenset[str] = frozenset()  # delete: the tokens the deleter's copy held
    planted: str = ""  # "same-paragraph", "adjacent", "same-headline" for planted clashes


@dataclass
class EditLog:
    edits: list[Edit] = field(default_factory=list)

    def next_token(self) -> str:
        return f"tok{len(self.edits):05d}"

    def add(self, **values: object) -> Edit:
        edit = Edit(seq=len(self.edits), **values)  # type: ignore[arg-type]
        self.edits.append(edit)
        return edit

    def replaced_tokens(self) -> set[str]:
        return {token for edit in self.edits for token in edit.replaced}


def tokens(text: str) -> set[str]:
    return set(TOKEN_RE.findall(text))


class Editor:
    """One laptop's hand on its database: the edits, made through the store as the window
    makes them, and logged."""

    def __init__(self, name: str, store: Store, log: EditLog, rng: Random) -> None:
        self.name, self.store, self.log, self.rng = name, store, log, rng

    # What this laptop has

    def live(self, conflicted: set[str]) -> list[str]:
        """Ids of the live stories here, but those with an open conflict (a person would
        resolve those first; deleting one would turn its edit against the delete)."""
        rows = self.store.db.execute("SELECT id FROM stories WHERE deleted_at IS NULL")
        return sorted(story_id for (story_id,) in rows if story_id not in conflicted)

    def trashed(self) -> list[str]:
        rows = self.store.db.execute("SELECT id FROM stories WHERE deleted_at IS NOT NULL")
        return sorted(story_id for (story_id,) in rows)

    # Edits

    def random_edit(self, round_: int, conflicted: set[str]) -> Edit | None:
        kinds = list(WEIGHTS)
        kind = self.rng.choices(kinds, [WEIGHTS[k] for k in kinds])[0]
        if kind == CREATE:
            return self.create(round_)
        if kind == UNDELETE:
            trash = self.trashed()
            return self.undelete(round_, self.rng.choice(trash)) if trash else None
        stories = self.live(conflicted)
        if not stories:
            return self.create(round_)
        story_id = self.rng.choice(stories)
        if kind == PARAGRAPH:
            return self.paragraph(round_, story_id, self.rng.randrange(PARAGRAPHS))
        if kind == HEADLINE:
            return self.headline(round_, story_id)
        if kind == TAG_ADD:
            return self.tag_add(round_, story_id)
        if kind == TAG_REMOVE:
            return self.tag_remove(round_, story_id)
        return self.delete(round_, story_id)

    def create(self, round_: int, headline: str = "", planted: str = "") -> Edit:
        token = self.log.next_token()
        headline = headline or f"Story {token} from {self.name}"
        slug = free_slug(slugify(headline), lambda s: self.store.slug_owner(s) is not None)
        body = "\n\n".join([f"P{i} of {token}." for i in range(PARAGRAPHS)]) + "\n"
        story = Story(headline=headline, slug=slug, body=body, section="News / Metro",
                      tags=("fleet",))
        stored = self.store.insert(story, actor=self.name)
        return self.log.add(round=round_, laptop=self.name, kind=CREATE, story_id=stored.id,
                            token=token, planted=planted)

    def paragraph(self, round_: int, story_id: str, index: int, planted: str = "") -> Edit:
        token = self.log.next_token()
        current = self.store.get(story_id)
        paragraphs = split_paragraphs(current.body.rstrip("\n"))
        old = paragraphs[index]
        paragraphs[index] = f"P{index} edited by {self.name}: {token}."
        self._save(current.replace(body="\n\n".join(paragraphs) + "\n"))
        return self.log.add(round=round_, laptop=self.name, kind=PARAGRAPH, story_id=story_id,
                            token=token, slot=f"p{index}", replaced=frozenset(tokens(old)),
                            planted=planted)

    def headline(self, round_: int, story_id: str) -> Edit:
        token = self.log.next_token()
        current = self.store.get(story_id)
        self._save(current.replace(headline=f"Headline {token} by {self.name}"))
        return self.log.add(round=round_, laptop=self.name, kind=HEADLINE, story_id=story_id,
                            token=token, slot="headline",
                            replaced=frozenset(tokens(current.headline)))

    def tag_add(self, round_: int, story_id: str, *, kind: str = TAG_ADD) -> Edit:
        token = self.log.next_token()
        current = self.store.get(story_id)
        self._save(current.replace(tags=(*current.tags, token)))
        return self.log.add(round=round_, laptop=self.name, kind=kind, story_id=story_id,
                            token=token, slot="tags")

    def tag_remove(self, round_: int, story_id: str) -> Edit | None:
        current = self.store.get(story_id)
        removable = [tag for tag in current.tags if TOKEN_RE.fullmatch(tag)]
        if not removable:
            return self.tag_add(round_, story_id)
        tag = self.rng.choice(removable)
        self._save(current.replace(tags=tuple(t for t in current.tags if t != tag)))
        return self.log.add(round=round_, laptop=self.name, kind=TAG_REMOVE, story_id=story_id,
                            token=self.log.next_token(), slot="tags",
                            replaced=frozenset({tag}))

    def delete(self, round_: int, story_id: str) -> Edit:
        current = self.store.get(story_id)
        self.store.delete(story_id, actor=self.name)
        return self.log.add(round=round_, laptop=self.name, kind=DELETE, story_id=story_id,
                            token=self.log.next_token(), seen=frozenset(tokens(dumps(current))))

    def undelete(self, round_: int, story_id: str) -> Edit | None:
        """An explicit undelete, and a tag so that the undelete is an edit others see."""
        try:
            self.store.undelete(story_id, actor=self.name)
        except StoreError:
            return None  # its slug was taken here meanwhile: the window refuses too
        return self.tag_add(round_, story_id, kind=UNDELETE)

    def _save(self, story: Story) -> Story:
        current = self.store.get(story.id)
        return self.store.save(story, expected_revision=current.revision, actor=self.name)
