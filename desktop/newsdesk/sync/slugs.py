"""Slug clashes met by a sync: two live stories from different laptops that want one slug.

Identity is the id, so a clash never blocks a story: of the two, the one created first
(the smaller created_at, then id) keeps the slug, and the other moves to the next slug of
its own sequence, `slug-<4 hex of its id>`, then 8, 12 and 32 hex digits, then `-2`,
`-3`... after the full id. A story's sequence depends only on its slug and id, never on
which other stories a laptop happens to know, so every laptop renames the same story to
the same slug whatever order it met them in (this is deferred acceptance: the outcome
does not depend on the order of the claims), and two laptops that settle one clash
independently make the same edit, which merges cleanly. A first-free number (`-2`) would
not: a laptop that had not seen another `-2` yet would pick it, another laptop `-3`.

A story leaving for the trash never takes a slug from a live one. A rename is a new
revision (history 'slug_changed', "slug changed from X to Y: clash with <id>"); the file
takes it in its front matter, its name never changes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from newsdesk.domain.model import SLUG_MAX, Story
from newsdesk.store import Store, StoreError
from newsdesk.store.records import Attribution

# Hex digits of the id in the suffixes of a story's sequence, shortest first.
SUFFIX_DIGITS: tuple[int, ...] = (4, 8, 12, 32)
# Renames one settlement may make (each one moves a story further down its sequence).
MAX_RENAMES = 64


def keeps_slug(story: Story, other: Story) -> bool:
    """True when `story` keeps a slug both want: it was created first (ties: smaller id)."""
    return (story.created_at, story.id) < (other.created_at, other.id)


def next_slug(slug: str, story_id: str) -> str:
    """The slug after `slug` in the story's own sequence (pure: see the module docstring)."""
    digits = story_id.replace("-", "").lower()
    counted = re.fullmatch(rf"(.+)-{digits}-([0-9]+)", slug)
    if counted:
        return f"{counted[1]}-{digits}-{int(counted[2]) + 1}"
    if slug.endswith(f"-{digits}"):
        return f"{slug}-2"
    for shorter, longer in itertools.pairwise(SUFFIX_DIGITS):
        own = f"-{digits[:shorter]}"
        if slug.endswith(own):
            return _join(slug[: -len(own)], digits[:longer])
    return _join(slug, digits[: SUFFIX_DIGITS[0]])


def _join(base: str, suffix: str) -> str:
    """`base-suffix`, the base cut so that the whole fits in SLUG_MAX."""
    base = base[: SLUG_MAX - len(suffix) - 1].strip("-") or "story"
    return f"{base}-{suffix}"


@dataclass(frozen=True)
class SlugChange:
    """One story moved off a slug that an older story keeps."""

    story_id: str
    old: str
    new: str
    kept_by: str  # the id of the story that keeps `old`

    @property
    def note(self) -> str:
        """The history note (the same words on every laptop)."""
        return f"slug changed from {self.old} to {self.new}: clash with {self.kept_by}"

    @property
    def message(self) -> str:
        """The sync report's line."""
        return (
            f"{self.old} -> {self.new}: {self.old!r} stays with the older story "
            f"{self.kept_by[:8]} (the same rename on every laptop)"
        )


@dataclass
class Room:
    """What make_room decided: the arriving story with the slug it can have, the
    revision of this database's copy after any rename, and every rename made."""

    target: Story
    revision: int
    changes: list[SlugChange] = field(default_factory=list)

    def target_changes(self) -> list[SlugChange]:
        return [c for c in self.changes if c.story_id == self.target.id]

    def moved_others(self) -> list[str]:
        """Other stories of this database renamed to make room: their files follow."""
        return [c.story_id for c in self.changes if c.story_id != self.target.id]


def make_room(
    store: Store, target: Story, local: Story | None, *, trashed: bool, leaving: bool, actor: str
) -> Room:
    """Settle the slug `target` (arriving from the folder) may have among this database's
    live stories, renaming younger stories of this database that hold slugs it claims.
    `local` is this database's copy (None if it has none), `trashed` whether that copy is
    in the trash here, `leaving` whether the target goes to the trash. Runs in the
    caller's transaction; StoreError if the clashes do not settle (they always should)."""
    room = Room(target, local.revision if local is not None else 0)
    slug = target.slug
    for _ in range(MAX_RENAMES):
        owner = _owner(store, slug, target.id)
        if owner is None:
            break
        if leaving or not keeps_slug(target, owner):
            new = next_slug(slug, target.id)
            room.changes.append(SlugChange(target.id, slug, new, owner.id))
            slug = new
        else:
            room.changes.extend(_bump(store, owner, target.id, actor, MAX_RENAMES))
    else:
        raise StoreError(f"the slug {target.slug!r} clashes with too many stories")
    room.target = target.replace(slug=slug)
    if local is not None and trashed and not leaving:
        room.revision = _leave_the_trash_slug(store, local, slug, actor)
    return room


def _leave_the_trash_slug(store: Store, local: Story, slug: str, actor: str) -> int:
    """Undeleting checks the slug the story had in the trash, which a live story may have
    taken since: move the story in the trash to `slug` (free) first. Its revision."""
    if local.slug == slug or _owner(store, local.slug, local.id) is None:
        return local.revision
    moved = store.change_slug(
        local.id,
        slug,
        expected_revision=local.revision,
        actor=actor,
        author=Attribution(local.modified_by, local.modified_key),
        note=f"slug changed from {local.slug} to {slug} to come back from the trash",
    )
    return moved.revision


def _bump(store: Store, story: Story, winner: str, actor: str, budget: int) -> list[SlugChange]:
    """Move `story` (live here) off its slug, which the older story `winner` claims, to the
    next free slug of its own sequence, moving younger holders of that one in turn."""
    if budget <= 0:
        raise StoreError(f"the slug {story.slug!r} clashes with too many stories")
    changes: list[SlugChange] = []
    new = next_slug(story.slug, story.id)
    for _ in range(MAX_RENAMES):
        owner = _owner(store, new, story.id)
        if owner is None:
            break
        if keeps_slug(story, owner):
            changes.extend(_bump(store, owner, story.id, actor, budget - 1))
            break
        new = next_slug(new, story.id)
    change = SlugChange(story.id, story.slug, new, winner)
    store.change_slug(
        story.id,
        new,
        expected_revision=story.revision,
        actor=actor,
        author=Attribution(story.modified_by, story.modified_key),
        note=change.note,
    )
    return [change, *changes]


def _owner(store: Store, slug: str, story_id: str) -> Story | None:
    """The live story other than `story_id` that uses `slug`, if any."""
    owner = store.slug_owner(slug)
    return store.get(owner) if owner is not None and owner != story_id else None
