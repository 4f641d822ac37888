"""What other connections changed (another window, the command line, a sync or an import
on a worker thread), for a window that polls: cheap when nothing happened.

Each look first makes sure the Store still has the file at its path (a restore from a
backup replaced it: everything may differ; a deleted write-ahead log is written back),
then asks SQLite's data version, which moves only when another connection commits; only
then does it read the change feed, the sections, the open conflicts and the wire
queue's mark.
"""

from __future__ import annotations

from newsdesk.desk.changes import NOTHING, Changes, from_feed
from newsdesk.desk.context import DeskContext
from newsdesk.store import StoreError, feed
from newsdesk.store.errors import DatabaseError


class Watch:
    """Remembers how far it has seen; `look()` returns what changed since the last look."""

    def __init__(self, context: DeskContext) -> None:
        self._c = context
        self._started = False
        self._version = 0
        self._seq = 0
        self._sections: list[str] = []
        self._conflicts: frozenset[str] = frozenset()
        self._wire: tuple[object, ...] = ()

    def start(self) -> None:
        """From now on: changes before this call are not reported."""
        db = self._c.store.db
        self._started = True
        self._version = feed.data_version(db)
        self._seq = feed.max_change_seq(db)
        self._sections = self._c.store.sections()
        self._conflicts = feed.conflicted_ids(db)
        self._wire = feed.wire_mark(db)

    def look(self) -> Changes:
        """What other connections changed since the last look (NOTHING, at the cost of two
        stat calls and a pragma, when nobody wrote). StoreError when the database cannot
        be read (its file removed, say)."""
        try:
            return self._look()
        except DatabaseError as exc:
            raise StoreError(f"cannot read {self._c.path} for changes ({exc})") from None

    def _look(self) -> Changes:
        if not self._started:
            self.start()
            return NOTHING
        before = self._c.store.db
        self._c.store.ensure_current_file()
        if self._c.store.db is not before:  # reopened: the file was replaced
            self.start()
            return self._c.notify(Changes(everything=True))
        version = feed.data_version(self._c.store.db)
        if version == self._version:
            return NOTHING
        self._version = version
        return self._c.notify(self._since())

    def _since(self) -> Changes:
        db = self._c.store.db
        rows = feed.changes_after(db, self._seq)
        self._seq = max([self._seq, *(seq for _id, seq, _trashed in rows)])
        sections = self._c.store.sections()
        conflicts = feed.conflicted_ids(db)
        wire = feed.wire_mark(db)
        stories = from_feed(rows)
        found = Changes.of(
            # A story whose conflict opened or closed: what may be done with it changed.
            changed=stories.changed | ((conflicts ^ self._conflicts) - stories.deleted),
            deleted=stories.deleted,
            sections=sections != self._sections,
            conflicts=conflicts != self._conflicts,
            wire=wire != self._wire,
        )
        self._sections, self._conflicts, self._wire = sections, conflicts, wire
        return found
