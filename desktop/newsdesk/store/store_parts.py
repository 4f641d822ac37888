"""The Store's concerns beside its stories, as objects it is composed of (store/store.py):
`store.signed` (signed actions and identities, store/actions.py), `store.media`
(pictures' bytes and renditions, store/media.py) and `store.copies` (what an import would
duplicate, store/duplicates.py).

Each method runs its writes in the store's one transaction, as Store's own do; a part
holds only the store it belongs to and uses its `db`, `transaction` and `get`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from sqlite_utils import Database

# Each by its module path, not through the package (whose __init__ imports Store).
import newsdesk.store.actions as signed
import newsdesk.store.duplicates as duplicates
import newsdesk.store.media as media
from newsdesk.domain.model import Approval, Story, WorkflowAction, utcnow
from newsdesk.store.codec import utc_text
from newsdesk.store.records import Attribution, DeskEvent


class Host(Protocol):
    """What a part uses of the Store it belongs to."""

    @property
    def db(self) -> Database: ...

    def transaction(self) -> AbstractContextManager[Database]: ...

    def get(self, id: str) -> Story: ...


class _Part:
    def __init__(self, store: Host) -> None:
        self._store = store

    @property
    def db(self) -> Database:
        return self._store.db

    def transaction(self) -> AbstractContextManager[Database]:
        return self._store.transaction()


class SignedActions(_Part):
    """Signed workflow actions and the keys that made them."""

    def record_transition(
        self, id: str, record: WorkflowAction, *, expected_revision: int,
        approval: Approval | None = None,
    ) -> Story:
        """A transition made here, signed, with its approval if it is one (store/actions.py)."""
        with self.transaction():
            signed.record_transition(
                self.db, id, record, expected_revision=expected_revision, approval=approval
            )
            return self._store.get(id)

    def take_arrival(
        self, id: str, *, status: str, actions: Sequence[WorkflowAction],
        approvals: Sequence[Approval], expected_revision: int,
    ) -> Story:
        """What a sync accepted from a folder: signed actions, approvals, the status they
        lead to (store/actions.py)."""
        with self.transaction():
            return signed.take_arrival(
                self.db, id, status=status, actions=actions, approvals=approvals,
                expected_revision=expected_revision,
            )

    def record_rejection(
        self, id: str, claimed_by: Attribution, from_status: str, to_status: str, reason: str
    ) -> bool:
        """Record a change a sync refused, once (store/actions.py)."""
        with self.transaction():
            return signed.record_rejection(
                self.db, id, claimed_by, from_status, to_status, reason
            )

    def keys_that_saved(self, id: str, content_hash: str) -> frozenset[str]:
        """The keys recorded for every revision of the story that holds this text."""
        return signed.keys_that_saved(self.db, id, content_hash)

    def bind_identity(self, name: str, key: str) -> DeskEvent | None:
        """Record a key first used here, or its new name (store/actions.py)."""
        if not key or signed.name_of(self.db, key) == name:
            return None  # read without the write lock: every command opening a desk asks
        with self.transaction():
            return signed.bind_identity(self.db, name, key)

    def desk_events(self, keys: Iterable[str] | None = None) -> list[DeskEvent]:
        """The desk's events, oldest first; with `keys`, only those of these keys."""
        return signed.desk_events(self.db, keys)


class StoredPictures(_Part):
    """Pictures' original bytes and their cached renditions."""

    def put_picture(self, id: str, media_type: str, size: tuple[int, int], data: bytes) -> bool:
        """Store a picture's original bytes once by id; False if already stored."""
        with self.transaction():
            return media.put_original(self.db, id, media_type, *size, data, utc_text(utcnow()))

    def picture_bytes(self, id: str) -> bytes:
        """A stored picture's original bytes; NotFound if it is not stored."""
        return media.original(self.db, id)

    def stored_pictures(self, ids: Iterable[str]) -> dict[str, str]:
        """The media type of each of these pictures whose bytes are stored."""
        return media.stored_types(self.db, ids)

    def picture_types(self) -> dict[str, str]:
        """The media type of every stored picture."""
        return media.all_types(self.db)

    def referenced_pictures(self) -> set[str]:
        """The picture ids the stories' current versions list (what a sync sends)."""
        return media.referenced_ids(self.db)

    def cached_rendition(self, key: str) -> media.StoredRendition | None:
        return media.rendition(self.db, key)

    def cache_rendition(self, key: str, picture_id: str, made: media.StoredRendition) -> None:
        with self.transaction():
            media.put_rendition(self.db, key, picture_id, made)


class Copies(_Part):
    """What an import would duplicate: the same copy, a slug taken, an id known."""

    def same_copy(self, headline: str, body: str) -> str | None:
        """The id of a live story with exactly this headline and body, if there is one."""
        return self.same_copies([(headline, body)]).get((headline, body))

    def same_copies(self, copies: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """For each (headline, body) held by a live story, the id of the oldest such story."""
        return duplicates.same_copies(self.db, copies)

    def taken_slugs(self, bases: Iterable[str]) -> set[str]:
        """The slugs of live stories that are one of `bases` or `base-N`."""
        return duplicates.taken_slugs(self.db, bases)

    def known_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """For each of `ids` already in the database (live or in the trash), its slug."""
        return duplicates.known_ids(self.db, ids)
