"""The change feed: what changed in the database since a point, cheaply, for whoever keeps
up with it from outside a save (a sync pass; a window learning of another process's
saves).

Every write of a story takes the next value of the store's change counter
(`meta.change_seq`) into the story's `change_seq` column, which is indexed, so "what
changed since N" and "the newest change" are index lookups however big the archive. A
purge removes the row: purged ids are in `purged` (`is_purged`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlite_utils import Database

from newsdesk.domain.model import Story
from newsdesk.store.codec import row_to_story

# Ids per query (well under SQLite's limit on bound parameters).
_IDS_PER_QUERY = 250


class RowState(NamedTuple):
    """Where a story stands without reading it: its change counter and whether it is in
    the trash."""

    change_seq: int
    deleted: bool


def max_change_seq(db: Database) -> int:
    """The change counter of the newest change to any story (0 for none)."""
    return db.execute("SELECT COALESCE(MAX(change_seq), 0) FROM stories").fetchone()[0]


def changed_since(db: Database, seq: int) -> list[tuple[str, int]]:
    """(id, change_seq) of every story, live or in the trash, changed after `seq`."""
    rows = db.execute("SELECT id, change_seq FROM stories WHERE change_seq > ?", [seq])
    return [(story_id, change) for story_id, change in rows]


def changes_after(db: Database, seq: int) -> list[tuple[str, int, bool]]:
    """(id, change_seq, in the trash) of every story changed after `seq` (a window learning
    what other connections wrote)."""
    rows = db.execute(
        "SELECT id, change_seq, deleted_at IS NOT NULL FROM stories WHERE change_seq > ?", [seq]
    )
    return [(story_id, change, bool(trashed)) for story_id, change, trashed in rows]


def data_version(db: Database) -> int:
    """SQLite's data version of this connection: it moves when another connection commits,
    so an unchanged value means nothing to look for (a cheap poll)."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def wire_mark(db: Database) -> tuple[object, ...]:
    """Where the wire queue stands (a window learning that another process ingested):
    figures each kind of queue write moves, whatever the clock says. An arrival adds a
    row, a newer version raises the versions' total, a take links one more story and a
    merge raises the total of the versions taken."""
    return tuple(db.execute(
        "SELECT COUNT(*), TOTAL(version), COUNT(NULLIF(story_id, '')), TOTAL(taken_version) "
        "FROM wire_items"
    ).fetchone())


def conflicted_ids(db: Database) -> frozenset[str]:
    """The stories with an open sync conflict."""
    return frozenset(row[0] for row in db.execute("SELECT DISTINCT story_id FROM sync_conflicts"))


def row_state(db: Database, story_id: str) -> RowState | None:
    """The change counter and trash state of a story; None if it has no row (purged, or
    never here)."""
    row = db.execute(
        "SELECT change_seq, deleted_at IS NOT NULL FROM stories WHERE id = ?", [story_id]
    ).fetchone()
    return RowState(row[0], bool(row[1])) if row else None


def is_purged(db: Database, story_id: str) -> bool:
    """True when the story was purged from this database (a sync must not bring it back
    from an old file)."""
    return db.execute("SELECT 1 FROM purged WHERE id = ?", [story_id]).fetchone() is not None


def revisions_with_hash(db: Database, story_id: str, content_hash: str) -> list[int]:
    """The revisions of a story whose text has this content hash, newest first."""
    rows = db.execute(
        "SELECT revision FROM revisions WHERE story_id = ? AND content_hash = ? "
        "ORDER BY revision DESC",
        [story_id, content_hash],
    )
    return [number for (number,) in rows]


def live_stories(db: Database, story_ids: Sequence[str]) -> list[tuple[Story, int]]:
    """The live stories among these ids with their change counters, a query per few
    hundred (stories in the trash, and ids with no row, are left out)."""
    found: list[tuple[Story, int]] = []
    for start in range(0, len(story_ids), _IDS_PER_QUERY):
        chunk = list(story_ids[start : start + _IDS_PER_QUERY])
        marks = ", ".join("?" * len(chunk))
        cursor = db.execute(
            f"SELECT * FROM stories WHERE id IN ({marks}) AND deleted_at IS NULL", chunk
        )
        names = [column[0] for column in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            found.append((row_to_story(row), row["change_seq"]))
    return found


def origin_status(db: Database, story_id: str) -> str:
    """The status the story started from in this database (its `created` event), where
    a replay of its signed actions starts; "draft" if none is recorded."""
    row = db.execute(
        "SELECT to_status FROM history WHERE story_id = ? AND action = 'created' "
        "ORDER BY seq LIMIT 1",
        [story_id],
    ).fetchone()
    return row[0] if row and row[0] else "draft"


def known_ids(db: Database, story_ids: Sequence[str]) -> set[str]:
    """Which of these ids this database has or had: a row (live or in the trash), or
    purged."""
    found: set[str] = set()
    for start in range(0, len(story_ids), _IDS_PER_QUERY):
        chunk = list(story_ids[start : start + _IDS_PER_QUERY])
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT id FROM stories WHERE id IN ({marks}) "
            f"UNION SELECT id FROM purged WHERE id IN ({marks})",
            chunk + chunk,
        )
        found.update(story_id for (story_id,) in rows)
    return found


def live_slugs(db: Database, slugs: Sequence[str]) -> set[str]:
    """Which of these slugs a live story here uses."""
    found: set[str] = set()
    for start in range(0, len(slugs), _IDS_PER_QUERY):
        chunk = list(slugs[start : start + _IDS_PER_QUERY])
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT slug FROM stories WHERE slug IN ({marks}) AND deleted_at IS NULL", chunk
        )
        found.update(slug for (slug,) in rows)
    return found
