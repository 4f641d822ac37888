"""The Store's methods by concern, as mixins of Store (store/store.py): signed actions and
identities (store/actions.py), pictures (store/media.py), sections and duplicates.

Each method runs its writes in the store's one transaction, as Store's own do; the
mixins hold no state and use Store's `db`, `transaction`, `get` and `who`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager

from sqlite_utils import Database

# Each by its module path, not through the package (whose __init__ imports Store).
import newsdesk.store.actions as signed
import newsdesk.store.duplicates as duplicates
import newsdesk.store.media as media
import newsdesk.store.rows as rows
import newsdesk.store.sections as sections
from newsdesk.domain.model import Approval, Story, WorkflowAction, utcnow
from newsdesk.store.codec import utc_text
from newsdesk.store.records import Attribution, DeskEvent


class _UsesStore:
    """What the mixins use of Store (it provides each)."""

    db: Database
    transaction: Callable[[], AbstractContextManager[Database]]
    get: Callable[[str], Story]
    who: Callable[[str | Attribution], Attribution]


class SignedActions(_UsesStore):
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
            return self.get(id)

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


class Pictures(_UsesStore):
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

    def referenced_pictures(self) -> set[str]:
        """The picture ids the stories' current versions list (what a sync sends)."""
        return media.referenced_ids(self.db)

    def cached_rendition(self, key: str) -> media.StoredRendition | None:
        return media.rendition(self.db, key)

    def cache_rendition(self, key: str, picture_id: str, made: media.StoredRendition) -> None:
        with self.transaction():
            media.put_rendition(self.db, key, picture_id, made)


class SectionsAndCopies(_UsesStore):
    """The section list, and what an import would duplicate."""

    def add_section(self, path: str) -> str:
        """Add a section (normalized spacing); returns the name as stored."""
        section = sections.clean(path)
        with self.transaction():
            rows.ensure_section(self.db, section)
        return section

    def remove_section(self, path: str) -> None:
        """Remove a section from the list; refused while live stories are filed in it."""
        with self.transaction():
            sections.remove_section(self.db, path)

    def rename_section(self, old: str, new: str, actor: str = "") -> int:
        """Rename a section and its sub-sections, re-filing their live stories as new
        revisions; returns how many stories moved (sections.rename_section)."""
        with self.transaction():
            return sections.rename_section(self.db, old, new, self.who(actor))

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
