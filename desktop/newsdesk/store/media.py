"""Picture bytes in the database, by content hash, and their cached renditions.

Why in the database (README, "Pictures: where they are kept"): the SQLite file is the
system of record, and a picture stored in it moves with it: a backup (the SQLite backup
API), a restore and a database carried to another laptop hold the pictures with the
stories that use them, and adding a picture commits in the same transaction as the
story's new revision, so neither can exist without the other after a crash.
`media` holds each original once, keyed by its id ("sha256:<hex>" of the bytes);
`media_renditions` caches encoded renditions under newsdesk.media.rendition_key (which
names the id, the spec, the metadata rule and the encoder), so a rendition is made once.
The bytes are the last column: SQLite reads a row's columns in order, so the listing of
pictures never touches their overflow pages.

Plain functions over the database, run inside the caller's transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlite_utils import Database

from newsdesk.store.errors import NotFound

MEDIA_TABLES = """
CREATE TABLE IF NOT EXISTS media (
    id TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS media_renditions (
    key TEXT PRIMARY KEY,
    picture_id TEXT NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS media_renditions_picture ON media_renditions(picture_id);
"""


@dataclass(frozen=True)
class StoredRendition:
    """Rendition bytes as cached, with what they are."""

    media_type: str
    width: int
    height: int
    data: bytes


def put_original(
    db: Database, id: str, media_type: str, width: int, height: int, data: bytes, at: str
) -> bool:
    """Store a picture's original bytes once; False when they are stored already."""
    cursor = db.execute(
        "INSERT INTO media (id, media_type, width, height, size, added_at, data) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
        [id, media_type, width, height, len(data), at, data],
    )
    return cursor.rowcount > 0


def original(db: Database, id: str) -> bytes:
    """The original bytes of a stored picture; NotFound if it is not stored."""
    row = db.execute("SELECT data FROM media WHERE id = ?", [id]).fetchone()
    if row is None:
        raise NotFound(f"no picture {id[:80]!r} in this database")
    return bytes(row[0])


def stored_types(db: Database, ids: Iterable[str]) -> dict[str, str]:
    """The media type of each of `ids` whose bytes are stored."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(db.execute(
            f"SELECT id, media_type FROM media WHERE id IN ({marks})", chunk
        ).fetchall())
    return found


def all_types(db: Database) -> dict[str, str]:
    """The media type of every stored picture, by id."""
    return dict(db.execute("SELECT id, media_type FROM media").fetchall())


def media_count(db: Database) -> tuple[int, int]:
    """How many originals are stored and their bytes in all."""
    count, size = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM media").fetchone()
    return int(count), int(size)


def rendition(db: Database, key: str) -> StoredRendition | None:
    """The cached rendition under `key`, if there is one."""
    row = db.execute(
        "SELECT media_type, width, height, data FROM media_renditions WHERE key = ?", [key]
    ).fetchone()
    return None if row is None else StoredRendition(row[0], row[1], row[2], bytes(row[3]))


def put_rendition(db: Database, key: str, picture_id: str, made: StoredRendition) -> None:
    """Cache a rendition (the same key always holds the same bytes: a second is ignored)."""
    db.execute(
        "INSERT INTO media_renditions (key, picture_id, media_type, width, height, data) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING",
        [key, picture_id, made.media_type, made.width, made.height, made.data],
    )


def media_problem(conn: sqlite3.Connection) -> str | None:
    """A stored picture whose bytes no longer hash to its id (changed behind Newsdesk's
    back: no SQLite check sees that in a blob), else None. For check_database."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'media'").fetchone():
        return None  # a database from before pictures
    for id, data in conn.execute("SELECT id, data FROM media"):
        if "sha256:" + hashlib.sha256(data).hexdigest() != id:
            return f"damaged: picture {id[:19]} does not match its content hash"
    return None


def referenced_ids(db: Database) -> set[str]:
    """The ids of the pictures the current version of any story (live or in the trash)
    lists in its `pictures` extra key: what a sync sends."""
    rows = db.execute(
        "SELECT DISTINCT json_extract(p.value, '$.id') FROM stories, "
        "json_each(stories.extra, '$.pictures') AS p "
        "WHERE json_valid(stories.extra) AND json_type(stories.extra, '$.pictures') = 'array'"
    )
    return {row[0] for row in rows if isinstance(row[0], str)}


Original = tuple[str, str, int]
CachedRendition = tuple[str, str, str, int]


def stored_blobs(db: Database) -> tuple[list[Original], list[CachedRendition]]:
    """Every stored original (id, type, size) and cached rendition (key, picture id,
    type, size), in a stable order: what a purge weighs (media/purge.py)."""
    originals = db.execute("SELECT id, media_type, size FROM media ORDER BY id").fetchall()
    renditions = db.execute(
        "SELECT key, picture_id, media_type, length(data) FROM media_renditions ORDER BY key"
    ).fetchall()
    return [tuple(row) for row in originals], [tuple(row) for row in renditions]


# Every text the database keeps that may name a picture: the stories (live and trashed),
# every revision (named versions are revisions), and the sync's copies of stories.
_REFERRING = (
    ("stories", "extra"), ("stories", "body"), ("revisions", "snapshot"),
    ("sync_snapshots", "snapshot"), ("sync_pending", "snapshot"),
    ("sync_conflicts", "base"), ("sync_conflicts", "local"), ("sync_conflicts", "remote"),
)


def _as_text(value: object) -> str:
    """A column's value as text: snapshots are zlib-compressed JSON or Markdown."""
    if isinstance(value, bytes):
        with contextlib.suppress(zlib.error):  # else stored plain
            value = zlib.decompress(value)
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else ""


def referring_texts(db: Database) -> Iterator[str]:
    """The texts that may name a stored picture (one at a time: revisions are many)."""
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, column in _REFERRING:
        if table not in present:
            continue
        for (value,) in db.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
            yield _as_text(value)


def remove_blobs(db: Database, picture_ids: Iterable[str], rendition_keys: Iterable[str]) -> None:
    """Delete these originals (their renditions go with them) and these renditions."""
    db.conn.executemany("DELETE FROM media_renditions WHERE key = ?",
                        [(key,) for key in rendition_keys])
    db.conn.executemany("DELETE FROM media WHERE id = ?", [(id,) for id in picture_ids])


def cached_keys(db: Database, keys: Iterable[str]) -> set[str]:
    """Which of these rendition keys are cached (the bytes are not read)."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        found.update(row[0] for row in db.execute(
            f"SELECT key FROM media_renditions WHERE key IN ({marks})", chunk))
    return found


def _listed(extra: object) -> list[object]:
    """The `pictures` list of a story's extra keys (JSON text or a mapping), else []."""
    if isinstance(extra, str):
        try:
            extra = json.loads(extra)
        except ValueError:
            return []
    listed = extra.get("pictures") if isinstance(extra, dict) else None
    return listed if isinstance(listed, list) else []


def picture_entries(db: Database, *, everywhere: bool = False) -> Iterator[object]:
    """The entries of the `pictures` lists of the stories' current versions (live and
    trashed), and with `everywhere` of every revision; unchecked (media.attached checks)."""
    for (extra,) in db.execute("SELECT extra FROM stories WHERE extra LIKE '%pictures%'"):
        yield from _listed(extra)
    if everywhere:
        for (blob,) in db.execute("SELECT snapshot FROM revisions"):
            with contextlib.suppress(ValueError, zlib.error):
                yield from _listed(json.loads(zlib.decompress(blob)).get("extra"))
