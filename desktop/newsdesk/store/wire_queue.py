"""The incoming wire queue's SQL: items by guid, their versions, takes, and the file journal.

Plain functions over the database (tables in wire_tables.py), which the desk
(desk/wire.py) calls inside one transaction of the Store per change. A burst is written with one
statement per kind of change (executemany), so ten thousand items are one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields

from sqlite_utils import Database

from newsdesk.store.errors import NotFound, StoreError
from newsdesk.store.listing import plain_expression

STATES = ("new", "taken", "updated", "duplicate")


@dataclass(frozen=True)
class WireFields:
    """What a queue entry says of the newest version received: the one definition of the
    fields a row is read with (WireRow) and written with (NewEntry)."""

    guid: str
    version: int
    provider: str
    format: str
    received_at: str
    sent: str
    urgency: int | None
    headline: str
    fingerprint: str


@dataclass(frozen=True)
class WireRow(WireFields):
    """One entry of the queue as the list shows it (the item's JSON is read on demand)."""

    state: str
    duplicate_of: str
    story_id: str
    taken_version: int | None
    taken_by: str
    taken_at: str
    rid: int


@dataclass(frozen=True)
class NewEntry(WireFields):
    """A row to insert or the newer version to put in a row (see insert / update)."""

    item: str  # the item as JSON
    body: str
    state: str = "new"
    duplicate_of: str = ""


# The SELECT and INSERT column lists follow the dataclasses, so a field is named once.
_COLUMNS = ", ".join(f.name for f in fields(WireRow))
_FIELDS = tuple(f.name for f in fields(WireFields))
_NEW = tuple(f.name for f in fields(NewEntry))


def known(db: Database, guids: Iterable[str]) -> dict[str, tuple[int, str]]:
    """For each of `guids` in the queue, its (version, state)."""
    rows = db.execute(
        "SELECT guid, version, state FROM wire_items "
        "WHERE guid IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(guids)))],
    ).fetchall()
    return {guid: (version, state) for guid, version, state in rows}


def twins(db: Database, fingerprints: Iterable[str]) -> dict[str, str]:
    """For each fingerprint held by an item that is not itself a duplicate, the guid of
    the first such item."""
    rows = db.execute(
        "SELECT fingerprint, guid FROM wire_items "
        "WHERE fingerprint IN (SELECT value FROM json_each(?)) AND state != 'duplicate' "
        "ORDER BY rid",
        [json.dumps(sorted(set(fingerprints)))],
    ).fetchall()
    found: dict[str, str] = {}
    for fingerprint, guid in rows:
        found.setdefault(fingerprint, guid)
    return found


def insert(db: Database, entries: Sequence[NewEntry]) -> None:
    db.conn.executemany(
        f"INSERT INTO wire_items ({', '.join(_NEW)}) VALUES ({', '.join('?' for _ in _NEW)})",
        [astuple(entry) for entry in entries],
    )


def update(db: Database, entries: Sequence[NewEntry]) -> None:
    """Put a newer version in each entry's row; a taken row becomes 'updated' (a newer
    version waits to be merged), the others keep their state."""
    newer = (*_FIELDS[1:], "item", "body")  # the guid is the row's, not a change
    db.conn.executemany(
        f"UPDATE wire_items SET {', '.join(f'{name} = ?' for name in newer)}, "
        "state = CASE WHEN state IN ('taken', 'updated') THEN 'updated' ELSE state END "
        "WHERE guid = ? AND version < ?",
        [(*(getattr(e, name) for name in newer), e.guid, e.version) for e in entries],
    )


def select(
    db: Database, *, query: str = "", duplicates: bool = False, limit: int = 100, offset: int = 0
) -> list[WireRow]:
    """A page of the queue, newest first; `query` searches headline and body (any text is
    safe: it is searched as words); duplicates are left out unless asked for."""
    where, params = _where(query, duplicates)
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM wire_items WHERE {where} "
        "ORDER BY received_at DESC, rid DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [WireRow(*row) for row in rows]


def count(db: Database, *, query: str = "", duplicates: bool = False) -> int:
    where, params = _where(query, duplicates)
    return db.execute(f"SELECT count(*) FROM wire_items WHERE {where}", params).fetchone()[0]


def _where(query: str, duplicates: bool) -> tuple[str, list[object]]:
    parts, params = ["1"], []
    if not duplicates:
        parts.append("state != 'duplicate'")
    if query.strip():
        expression = plain_expression(query) or '""'
        parts.append("rid IN (SELECT rowid FROM wire_items_fts WHERE wire_items_fts MATCH ?)")
        params.append(expression)
    return " AND ".join(parts), params


def row(db: Database, ref: str) -> WireRow:
    """The entry whose guid or number (rid) is `ref`, the guid first (an agency's guid may
    be all digits); NotFound if none."""
    found = db.execute(
        f"SELECT {_COLUMNS} FROM wire_items WHERE guid = ? OR rid = ? "
        "ORDER BY guid = ? DESC LIMIT 1",
        [ref, int(ref) if ref.isdigit() and len(ref) < 18 else -1, ref],
    ).fetchone()
    if found is None:
        raise NotFound(f"no wire item {ref!r} in the queue (see `newsdesk wire list`)")
    return WireRow(*found)


def row_of_story(db: Database, story_id: str) -> WireRow | None:
    """The entry a story was taken from, if it was."""
    found = db.execute(
        f"SELECT {_COLUMNS} FROM wire_items WHERE story_id = ? AND story_id != ''", [story_id]
    ).fetchone()
    return WireRow(*found) if found else None


def items(db: Database, guid: str) -> tuple[str, str | None]:
    """The JSON of the newest version received and of the version taken (None if none)."""
    found = db.execute("SELECT item, taken_item FROM wire_items WHERE guid = ?", [guid]).fetchone()
    if found is None:
        raise NotFound(f"no wire item {guid!r} in the queue")
    return found[0], found[1]


def copies(db: Database, guid: str) -> list[tuple[str, str]]:
    """(guid, provider) of the duplicates of an item: the same text from other feeds."""
    return db.execute(
        "SELECT guid, provider FROM wire_items WHERE duplicate_of = ? ORDER BY rid", [guid]
    ).fetchall()


def mark_taken(
    db: Database, guid: str, *, story_id: str, version: int, item: str, by: str, at: str
) -> None:
    """Link an entry to the draft made of it; `item` is the version taken (the base)."""
    changed = db.execute(
        "UPDATE wire_items SET state = CASE WHEN version > ? THEN 'updated' ELSE 'taken' END, "
        "story_id = ?, taken_version = ?, taken_item = ?, taken_by = ?, taken_at = ? "
        "WHERE guid = ? AND story_id = ''",
        [version, story_id, version, item, by, at, guid],
    ).rowcount
    if changed != 1:
        raise StoreError(f"wire item {guid!r} was taken meanwhile; nothing was changed")


def settle(db: Database, guid: str, *, version: int, item: str) -> None:
    """After a merge: the version merged is the new base; 'taken' unless a newer waits."""
    db.execute(
        "UPDATE wire_items SET taken_version = ?, taken_item = ?, "
        "state = CASE WHEN version > ? THEN 'updated' ELSE 'taken' END WHERE guid = ?",
        [version, item, version, guid],
    )


# -- the file journal ----------------------------------------------------------------------


def file_outcomes(db: Database, hashes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each file hash already handled, (outcome, reason)."""
    rows = db.execute(
        "SELECT sha256, outcome, reason FROM wire_files "
        "WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(hashes)))],
    ).fetchall()
    return {sha: (outcome, reason) for sha, outcome, reason in rows}


def record_files(db: Database, files: Sequence[tuple[str, str, int, str, str, int, str]]) -> None:
    """(sha256, name, size, outcome, reason, items, at) of files handled; once each."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO wire_files (sha256, name, size, outcome, reason, items, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        files,
    )

