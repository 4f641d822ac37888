"""The export's caches: each approved text's rendered HTML body, by content hash; and
the mark of each folder's last export, for a re-export with nothing changed.

An approved text never changes (its content hash is what the desk chief signed), so its
Markdown is rendered and sanitized once, by the first export that needs it, and kept here
keyed by (content hash, renderer). The renderer key names the body renderer's code and
libraries (publish/render.py `body_renderer`), so an upgrade renders again instead of
reading bodies an older renderer made. The cache is derived data, never the record: the
manifest and `verify-export` re-render every page from the approved text, so a row
changed by hand makes verify-export fail, and `export --full` renders afresh and writes
the rows again. `StoreRenderCache` is publish/source.py's RenderCache.

`export_marks` holds, per export folder, what the last export read of the desk and left
in the tree (publish/quiet.py's QuietMark, as JSON): a re-export that finds both the same
has nothing to do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from sqlite_utils import Database

import newsdesk.store.rows as rows

RENDER_CACHE_TABLE = """
CREATE TABLE IF NOT EXISTS render_cache (
    content_hash TEXT NOT NULL,
    renderer TEXT NOT NULL,
    body_html TEXT NOT NULL,
    PRIMARY KEY (content_hash, renderer)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS export_marks (
    folder TEXT PRIMARY KEY,
    mark TEXT NOT NULL
);
"""

# Hashes per query: well under SQLite's limit on bound parameters.
_BATCH = 400


def cached_bodies(db: Database, hashes: Sequence[str], renderer: str) -> dict[str, str]:
    """The cached body of each content hash that has one under `renderer`."""
    found: dict[str, str] = {}
    for batch in _batches(sorted(set(hashes))):
        marks = ", ".join("?" for _ in batch)
        cursor = db.execute(
            f"SELECT content_hash, body_html FROM render_cache "
            f"WHERE renderer = ? AND content_hash IN ({marks})",
            [renderer, *batch],
        )
        found.update(cursor.fetchall())
    return found


def keep_bodies(db: Database, bodies: Mapping[str, str], renderer: str) -> None:
    """Store (or replace) the body of each content hash under `renderer`."""
    db.conn.executemany(
        "INSERT INTO render_cache (content_hash, renderer, body_html) VALUES (?, ?, ?) "
        "ON CONFLICT(content_hash, renderer) DO UPDATE SET body_html = excluded.body_html",
        [(content_hash, renderer, html) for content_hash, html in sorted(bodies.items())],
    )


def export_mark(db: Database, folder: str) -> str | None:
    """The mark the last export to `folder` left (JSON text), if any."""
    row = db.execute("SELECT mark FROM export_marks WHERE folder = ?", [folder]).fetchone()
    return row[0] if row else None


def set_export_mark(db: Database, folder: str, mark: str | None) -> None:
    """Record (or, with None, forget) the mark of the export just made to `folder`."""
    if mark is None:
        db.execute("DELETE FROM export_marks WHERE folder = ?", [folder])
    else:
        db.execute(
            "INSERT INTO export_marks (folder, mark) VALUES (?, ?) "
            "ON CONFLICT(folder) DO UPDATE SET mark = excluded.mark", [folder, mark])


def schema_generation(db: Database) -> int:
    """The schema version: a migration may rewrite rows without moving the counter."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _batches(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


class _Store(Protocol):
    """What the cache needs of store.Store (not imported: the schema imports this module)."""

    @property
    def db(self) -> Database: ...

    def transaction(self) -> AbstractContextManager[Database]: ...


class StoreRenderCache:
    """The render cache of a store, as an export reads and fills it."""

    def __init__(self, store: _Store) -> None:
        self.store = store

    def bodies(self, hashes: Sequence[str], renderer: str) -> dict[str, str]:
        return cached_bodies(self.store.db, hashes, renderer)

    def keep(self, bodies: Mapping[str, str], renderer: str) -> None:
        if bodies:
            with self.store.transaction() as db:
                keep_bodies(db, bodies, renderer)

    def mark(self, folder: str) -> str | None:
        return export_mark(self.store.db, folder)

    def set_mark(self, folder: str, mark: str | None) -> None:
        with self.store.transaction() as db:
            set_export_mark(db, folder, mark)

    def counter(self) -> int:
        return rows.change_counter(self.store.db)

    def schema(self) -> int:
        return schema_generation(self.store.db)
