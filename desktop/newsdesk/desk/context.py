"""What the Desk's services share: the open store, the database's path, who is working,
and the subscribers told of every change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from newsdesk.desk.changes import Changes, Subscribers, from_feed
from newsdesk.domain.model import NewsdeskError, normalize_section
from newsdesk.identity.profile import Profile
from newsdesk.store import Store, feed
from newsdesk.store.errors import DatabaseError
from newsdesk.store.records import Session

Progress = Callable[[int, int, str], None]


class DeskContext:
    """One open database and the profile working on it. The store is replaced when a
    backup is restored, so services read `context.store` each time, never keep it."""

    def __init__(self, store: Store, path: Path, actor: str) -> None:
        self.store = store
        self.path = path
        self.actor = actor
        self.subscribers = Subscribers()
        self._profile: Profile | None = None
        self._bound_key = ""
        self._sections: set[str] | None = None

    @property
    def profile(self) -> Profile:
        """Who is working: the local profile (a default editor until set)."""
        if self._profile is None:
            self.use_profile(Profile.load())
        assert self._profile is not None
        return self._profile

    def use_profile(self, profile: Profile) -> None:
        """Act as `profile` from now on: its name and its key's fingerprint are what
        history and revisions record, and its trusted keys what a sync accepts actions
        from. A new name for a key this desk knows is recorded (a desk event)."""
        self._profile = profile
        self.actor = profile.name
        self._bound_key = ""
        self.store.session = Session(key=self.key_id, trust=profile.chief_trust)
        if profile.has_key():
            self.key_id()

    def key_id(self) -> str:
        """The profile's key fingerprint (the key is made on first need), recording the
        name it goes by here the first time it is used."""
        if not self._bound_key:
            key = self.profile.fingerprint()
            self.store.signed.bind_identity(self.profile.name, key)
            self._bound_key = key
        return self._bound_key

    def section_is_new(self, section: str) -> bool:
        """Before a write that adds its story's section to the managed list: whether this
        desk has not seen that section yet (the list is read once, and again after any
        change to the sections)."""
        if not section.strip():
            return False
        if self._sections is None:
            self._sections = set(self.store.sections())
        return normalize_section(section) not in self._sections

    def notify(self, changes: Changes) -> Changes:
        if changes.sections or changes.everything:
            self._sections = None
        return self.subscribers.notify(changes)

    @contextmanager
    def reporting(self, *, sections: bool = False, conflicts: bool = False) -> Iterator[None]:
        """Around an operation that changes many stories (import, sync, export...): what
        it changed is read from the change feed afterwards and told, even when it stopped
        midway (what it wrote before stopping stays written)."""
        since = feed.max_change_seq(self.store.db)
        extra = Changes(sections=sections, conflicts=conflicts)
        try:
            yield
        except BaseException:
            # The operation's own error is what the caller must see, not one of telling.
            with suppress(NewsdeskError, DatabaseError):
                self.notify(self.changes_after(since) | extra)
            raise
        self.notify(self.changes_after(since) | extra)

    def changes_after(self, seq: int) -> Changes:
        """The stories changed after change counter `seq`, by any connection."""
        return from_feed(feed.changes_after(self.store.db, seq))
