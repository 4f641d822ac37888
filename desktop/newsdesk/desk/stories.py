"""The Desk's base: opening the database, who is working, stories, lists and sections."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Self

from newsdesk import model, story_types
from newsdesk.model import Story
from newsdesk.paths import default_db_path
from newsdesk.profile import Profile
from newsdesk.store import Store, StoryRow
from newsdesk.store.records import Session

Progress = Callable[[int, int, str], None]


class StoriesDesk:
    def __init__(self, store: Store, path: Path, actor: str) -> None:
        self.store = store
        self.path = path
        self.actor = actor

    @classmethod
    def open(cls, path: str | Path | None = None, *, seed: bool = False) -> Self:
        """Open (creating if needed) the database; `seed` fills a new one with samples."""
        db_path = Path(path).expanduser() if path else default_db_path()
        is_new = not db_path.exists() or db_path.stat().st_size == 0
        profile = Profile.load()
        store = Store.open(db_path)
        desk = cls(store, db_path, profile.name)
        desk.use_profile(profile)
        if seed and is_new:
            desk.seed_samples()  # type: ignore[attr-defined]
        return desk

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Stories

    def create(self, **fields: object) -> Story:
        """A new draft; the slug comes from the headline unless one is given."""
        fields.setdefault("headline", "Untitled story")
        if not fields.get("slug"):
            fields["slug"] = self.unique_slug(model.slugify(str(fields["headline"])))
        story = Story(**fields)  # type: ignore[arg-type]
        return self.store.insert(story, actor=self.actor)

    def save(self, story: Story, expected_revision: int) -> Story:
        return self.store.save(story, expected_revision=expected_revision, actor=self.actor)

    def change_slug(self, story_id: str, slug: str) -> Story:
        """Give a story a new slug: a new revision (a bad or taken slug is refused with a
        one-line reason and changes nothing). The old slug stays in the earlier revisions,
        and exports keep its URL working (Hugo aliases). Like any content edit, it voids
        an approval: the new URL is part of what a desk chief approves."""
        current = self.store.get(story_id)
        return self.store.change_slug(
            story_id, slug.strip(), expected_revision=current.revision, actor=self.actor
        )

    def known_type(self, name: str) -> str:
        """`name` as a type of the house rules (lower case), or NewsdeskError listing them."""
        return story_types.known_type(name, self.rules())  # type: ignore[attr-defined]

    def change_type(self, story_id: str, kind: str) -> Story:
        """Make a story one of the house's types: a new revision (nothing is saved when it
        is already of that type). A content change: it voids an approval, because what a
        type must have is what a desk chief approved it against."""
        current = self.store.get(story_id)
        changed = current.replace(type=self.known_type(kind))
        return self.store.save(changed, expected_revision=current.revision, actor=self.actor)

    def get(self, story_id: str) -> Story:
        return self.store.get(story_id)

    def find(self, ref: str) -> Story:
        return self.store.find(ref)

    def duplicate(self, story_id: str) -> Story:
        original = self.store.get(story_id)
        copy = Story(
            **{name: getattr(original, name) for name in model.EDITABLE_FIELDS},
            extra=dict(original.extra),
        )
        copy.slug = self.unique_slug(original.slug)
        return self.store.insert(copy, actor=self.actor)

    def delete(self, story_id: str) -> None:
        self.store.delete(story_id, actor=self.actor)

    def undelete(self, story_id: str) -> Story:
        return self.store.undelete(story_id, actor=self.actor)

    def purge(self, story_id: str) -> None:
        """Delete a story in the trash for good (StoreError for a live one)."""
        self.store.purge(story_id)

    def trash(self) -> list[StoryRow]:
        return self.store.list_rows(deleted=True, limit=10_000)

    def revisions(self, story_id: str) -> list:
        return self.store.revisions(story_id)

    def revision(self, story_id: str, number: int) -> Story:
        return self.store.revision(story_id, number)

    # Lists and search

    def list_rows(self, **filters: object) -> list[StoryRow]:
        return self.store.list_rows(**filters)

    def count(self, **filters: object) -> int:
        return self.store.count(**filters)

    def status_counts(self, **filters: object) -> dict[str, int]:
        return self.store.status_counts(**filters)

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        return self.store.search(query, limit=limit, offset=offset)

    def sections(self) -> list[str]:
        return self.store.sections()

    def add_section(self, path: str) -> str:
        return self.store.add_section(path)

    def remove_section(self, path: str) -> None:
        self.store.remove_section(path)

    def tags(self) -> list[tuple[str, int]]:
        return self.store.tags()

    def unique_slug(self, base: str, *, ignore_id: str | None = None) -> str:
        """`base`, or `base-2`, `base-3`... whichever no other live story uses."""
        return model.free_slug(
            base, lambda slug: self.store.slug_owner(slug) not in (None, ignore_id)
        )

    @property
    def profile(self) -> Profile:
        """Who is working: the local profile (a default editor until set)."""
        if getattr(self, "_profile", None) is None:
            self.use_profile(Profile.load())
        return self._profile

    def use_profile(self, profile: Profile) -> None:
        """Act as `profile` from now on: its name and its key's fingerprint are what
        history and revisions record, and its trusted keys what a sync accepts actions
        from. A new name for a key this desk knows is recorded (a desk event)."""
        self._profile = profile
        self.actor = profile.name
        self._bound_key = ""
        self.store.session = Session(key=self._key_id, trust=profile.chief_trust)
        if profile.has_key():
            self._key_id()

    def _key_id(self) -> str:
        """The profile's key fingerprint (the key is made on first need), recording the
        name it goes by here the first time it is used."""
        if not self._bound_key:
            key = self._profile.fingerprint()
            self.store.bind_identity(self._profile.name, key)
            self._bound_key = key
        return self._bound_key
