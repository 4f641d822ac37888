"""The Desk's stories: create, save, trash and purge, lists and search, sections."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext
from newsdesk.domain import model
from newsdesk.domain.model import Story
from newsdesk.store import RevisionInfo, StoryRow, feed


class Stories:
    """Stories one at a time, and the lists of them."""

    def __init__(self, context: DeskContext) -> None:
        self._c = context

    # Writing: each tells what it changed

    def create(self, **fields: object) -> Story:
        """A new draft; the slug comes from the headline unless one is given."""
        fields.setdefault("headline", "Untitled story")
        if not fields.get("slug"):
            fields["slug"] = self.unique_slug(model.slugify(str(fields["headline"])))
        story = Story(**fields)  # type: ignore[arg-type]
        new_section = self._c.section_is_new(story.section)
        stored = self._c.store.insert(story, actor=self._c.actor)
        self._c.notify(Changes.of(created=[stored.id], sections=new_section))
        return stored

    def save(self, story: Story, expected_revision: int) -> Story:
        new_section = self._c.section_is_new(story.section)
        saved = self._c.store.save(story, expected_revision=expected_revision,
                                   actor=self._c.actor)
        self._c.notify(Changes.of(changed=[saved.id], sections=new_section))
        return saved

    def change_slug(self, story_id: str, slug: str) -> Story:
        """Give a story a new slug: a new revision (a bad or taken slug is refused with a
        one-line reason and changes nothing). The old slug stays in the earlier revisions,
        and exports keep its URL working (Hugo aliases). Like any content edit, it voids
        an approval: the new URL is part of what a desk chief approves."""
        current = self._c.store.get(story_id)
        renamed = self._c.store.change_slug(
            story_id, slug.strip(), expected_revision=current.revision, actor=self._c.actor
        )
        self._c.notify(Changes.of(changed=[renamed.id]))
        return renamed

    def duplicate(self, story_id: str) -> Story:
        original = self._c.store.get(story_id)
        copy = Story(
            **{name: getattr(original, name) for name in model.EDITABLE_FIELDS},
            extra=dict(original.extra),
        )
        copy.slug = self.unique_slug(original.slug)
        stored = self._c.store.insert(copy, actor=self._c.actor)
        self._c.notify(Changes.of(created=[stored.id]))
        return stored

    def delete(self, story_id: str) -> None:
        self._c.store.delete(story_id, actor=self._c.actor)
        self._c.notify(Changes.of(deleted=[story_id]))

    def undelete(self, story_id: str) -> Story:
        story = self._c.store.undelete(story_id, actor=self._c.actor)
        # Its section comes back to the managed list with it, if it had gone.
        self._c.notify(Changes.of(created=[story.id], sections=bool(story.section)))
        return story

    def purge(self, story_id: str) -> Changes:
        """Delete a story in the trash for good, with its revisions and history (refused
        for a live story: it goes to the trash first). Nothing can bring it back."""
        self._c.store.purge(story_id)
        return self._c.notify(Changes.of(deleted=[story_id]))

    def add_section(self, path: str) -> str:
        added = self._c.store.add_section(path)
        self._c.notify(Changes(sections=True))
        return added

    def remove_section(self, path: str) -> None:
        self._c.store.remove_section(path)
        self._c.notify(Changes(sections=True))

    # Reading

    def get(self, story_id: str) -> Story:
        return self._c.store.get(story_id)

    def find(self, ref: str) -> Story:
        return self._c.store.find(ref)

    def live(self, story_ids: Sequence[str]) -> list[Story]:
        """The live stories among these ids (in the trash, purged or unknown ones left
        out), a query per few hundred."""
        self._c.store.ensure_current_file()
        return [story for story, _seq in feed.live_stories(self._c.store.db, story_ids)]

    def trash(self) -> list[StoryRow]:
        return self._c.store.list_rows(deleted=True, limit=10_000)

    def revisions(self, story_id: str) -> list[RevisionInfo]:
        return self._c.store.revisions(story_id)

    def revision(self, story_id: str, number: int) -> Story:
        return self._c.store.revision(story_id, number)

    def list_rows(self, **filters: object) -> list[StoryRow]:
        return self._c.store.list_rows(**filters)  # type: ignore[arg-type]

    def count(self, **filters: object) -> int:
        return self._c.store.count(**filters)  # type: ignore[arg-type]

    def status_counts(self, **filters: object) -> dict[str, int]:
        return self._c.store.status_counts(**filters)  # type: ignore[arg-type]

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        return self._c.store.search(query, limit=limit, offset=offset)

    def sections(self) -> list[str]:
        return self._c.store.sections()

    def tags(self) -> list[tuple[str, int]]:
        return self._c.store.tags()

    def unique_slug(self, base: str, *, ignore_id: str | None = None) -> str:
        """`base`, or `base-2`, `base-3`... whichever no other live story uses."""
        return model.free_slug(
            base, lambda slug: self._c.store.slug_owner(slug) not in (None, ignore_id)
        )
