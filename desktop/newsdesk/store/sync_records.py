"""What a database remembers about each sync folder: the folder, and per story its base
(the version both sides last agreed on) and its pending base. All of it is read and
written here; what it means is the sync's (sync/engine.py, docs/architecture.md).

Tables (made by the migration `_sync_tables`, store/sync_tables.py):
- `sync_folders`: one row per folder path, with the workspace id read from its marker and
  `seen_seq`, the store's change counter up to which local changes were synced.
- `sync_base`: per folder and story, the version both sides last agreed on: its sync
  hash, whether it was deleted, the store change_seq it had, the file it lives in and
  that file's hash; `sync_snapshots` holds that version itself (the merge base, as the
  Markdown file text, zlib-compressed). A snapshot without a sync_base row belongs to
  the pending base of a story that had none (see `save_fresh`).
- `sync_pending`: bases of files a pass is about to write, made bases once the files are
  in place (settle_pending).
- `sync_commits`: for a git clone, the story tree last found settled and the commit that
  holds it (sync/delivery.py).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import NamedTuple

from sqlite_utils import Database

from newsdesk.store.sync_cache import group_range


@dataclass(frozen=True)
class Folder:
    id: int
    path: str
    workspace_id: str
    seen_seq: int


class Base(NamedTuple):
    """What both sides last agreed on for one story. `hash` is its sync hash, or "" when
    the pass that recorded it did not compute it (the first export of a story that had
    no base): then it is the sync hash of the snapshot, computed where it is needed."""

    story_id: str
    hash: str
    deleted: bool
    local_seq: int
    path: str
    file_hash: str


_BASE_COLUMNS = "story_id, hash, deleted, local_seq, path, file_hash"
# Ids per query when bases are fetched by story (SQLite allows 999 parameters or more).
_IDS_PER_QUERY = 500


def pack(data: bytes) -> bytes:
    """A snapshot as stored: zlib at its fastest level (text still shrinks to a third)."""
    return zlib.compress(data, 1)


def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


# -- folders ---------------------------------------------------------------------------


def folder_by_path(db: Database, path: str) -> Folder | None:
    row = db.execute(
        "SELECT id, path, workspace_id, seen_seq FROM sync_folders WHERE path = ?", [path]
    ).fetchone()
    return Folder(*row) if row else None


def add_folder(db: Database, path: str, workspace_id: str) -> Folder:
    db.execute("INSERT INTO sync_folders(path, workspace_id) VALUES (?, ?)", [path, workspace_id])
    folder = folder_by_path(db, path)
    assert folder is not None
    return folder


def set_workspace(db: Database, path: str, workspace_id: str) -> None:
    """The folder at `path` now holds workspace `workspace_id` (two trees became one)."""
    db.execute("UPDATE sync_folders SET workspace_id = ? WHERE path = ?", [workspace_id, path])


def finish_pass(db: Database, folder_id: int, seen_seq: int, at: str) -> None:
    """A pass synced every local change up to `seen_seq`, at time `at`."""
    db.execute(
        "UPDATE sync_folders SET seen_seq = ?, last_sync_at = ? WHERE id = ?",
        [seen_seq, at, folder_id],
    )


def lower_seen_seq(db: Database, folder_id: int, seq: int) -> None:
    """Make the next pass look at local changes after `seq` again."""
    db.execute(
        "UPDATE sync_folders SET seen_seq = MIN(seen_seq, ?) WHERE id = ?", [seq, folder_id]
    )


def committed_tree(db: Database, folder_id: int) -> tuple[str, str] | None:
    """(tree digest, commit) of the story tree last found settled and committed."""
    row = db.execute(
        "SELECT tree, head FROM sync_commits WHERE folder_id = ?", [folder_id]
    ).fetchone()
    return (row[0], row[1]) if row else None


def set_committed_tree(db: Database, folder_id: int, tree: str, head: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO sync_commits(folder_id, tree, head) VALUES (?, ?, ?)",
        [folder_id, tree, head],
    )


# -- bases -----------------------------------------------------------------------------


def bases_for(db: Database, folder_id: int, story_ids: list[str]) -> dict[str, Base]:
    """The bases of these stories (those that have one), a few hundred ids per query."""
    found: dict[str, Base] = {}
    for start in range(0, len(story_ids), _IDS_PER_QUERY):
        chunk = story_ids[start : start + _IDS_PER_QUERY]
        marks = ", ".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT {_BASE_COLUMNS} FROM sync_base WHERE folder_id = ? AND story_id IN ({marks})",
            [folder_id, *chunk],
        ):
            found[row[0]] = Base(*row)
    return found


def bases_in(db: Database, folder_id: int, group: str) -> list[Base]:
    """The bases whose file is in one group of the tree (sync_cache.group_of)."""
    where, params = group_range(group)
    rows = db.execute(
        f"SELECT {_BASE_COLUMNS} FROM sync_base WHERE folder_id = ? AND {where}",
        [folder_id, *params],
    )
    return [Base(*row) for row in rows]


def count_bases(db: Database, folder_id: int) -> int:
    row = db.execute("SELECT COUNT(*) FROM sync_base WHERE folder_id = ?", [folder_id])
    return row.fetchone()[0]


def base_snapshot(db: Database, folder_id: int, story_id: str) -> str | None:
    """The text of a story's base; None when it has none (a snapshot without a base row
    is a pending one, see save_fresh)."""
    row = db.execute(
        "SELECT s.snapshot FROM sync_snapshots s JOIN sync_base b ON b.folder_id = s.folder_id "
        "AND b.story_id = s.story_id WHERE s.folder_id = ? AND s.story_id = ?",
        [folder_id, story_id],
    ).fetchone()
    return _unpack(row[0]) if row else None


def save_base(db: Database, folder_id: int, base: Base, snapshot: str) -> None:
    """Record a new base and its story text (the caller holds the transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO sync_snapshots(folder_id, story_id, snapshot) VALUES (?, ?, ?)",
        [folder_id, base.story_id, pack(snapshot.encode("utf-8"))],
    )
    db.execute(
        f"INSERT OR REPLACE INTO sync_base(folder_id, {_BASE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [folder_id, *base[:2], int(base.deleted), *base[3:]],
    )


def touch_base(
    db: Database, folder_id: int, story_id: str, *, local_seq: int, path: str, file_hash: str
) -> None:
    """Update the bookkeeping of a base whose content did not change."""
    db.execute(
        "UPDATE sync_base SET local_seq = ?, path = ?, file_hash = ? "
        "WHERE folder_id = ? AND story_id = ?",
        [local_seq, path, file_hash, folder_id, story_id],
    )


def purged_with_base(db: Database, folder_id: int) -> list[str]:
    """Stories purged from this database whose base is not a tombstone yet: the folder
    still has them as live files. (A story leaves the stories table only by a purge,
    which the store records in `purged`.)"""
    # CROSS JOIN keeps purged the outer loop: a few rows, each one lookup of a base.
    rows = db.execute(
        "SELECT b.story_id FROM purged p CROSS JOIN sync_base b ON b.folder_id = ? "
        "AND b.story_id = p.id WHERE b.deleted = 0 "
        "AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = p.id)",
        [folder_id],
    )
    return [row[0] for row in rows]


# -- pending bases ---------------------------------------------------------------------


def save_pending(db: Database, folder_id: int, base: Base, snapshot: str) -> None:
    """Record the base a staged file will have once it is renamed into place."""
    db.execute(
        f"INSERT OR REPLACE INTO sync_pending(folder_id, {_BASE_COLUMNS}, snapshot) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [folder_id, *base[:2], int(base.deleted), *base[3:], pack(snapshot.encode("utf-8"))],
    )


def save_fresh(db: Database, folder_id: int, items: list[tuple[Base, bytes]]) -> None:
    """Pending bases of stories that have no base yet, with their packed snapshots.

    With no base to keep until the file is in place, the snapshot goes straight to
    sync_snapshots (the pending row holds an empty one): written once, never copied. It
    is not a base until settle_pending adds the sync_base row, and it is removed if the
    file is not written.
    """
    db.conn.executemany(
        "INSERT OR REPLACE INTO sync_snapshots(folder_id, story_id, snapshot) VALUES (?, ?, ?)",
        [(folder_id, base.story_id, packed) for base, packed in items],
    )
    db.conn.executemany(
        f"INSERT OR REPLACE INTO sync_pending(folder_id, {_BASE_COLUMNS}, snapshot) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, x'')",
        [(folder_id, *base[:2], int(base.deleted), *base[3:]) for base, _packed in items],
    )


def save_bases(db: Database, folder_id: int, items: list[tuple[Base, bytes]]) -> None:
    """Bases with their packed snapshots, many at once, for files already in place (a
    story taken from the folder as it is: the file is the base)."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO sync_snapshots(folder_id, story_id, snapshot) VALUES (?, ?, ?)",
        [(folder_id, base.story_id, packed) for base, packed in items],
    )
    db.conn.executemany(
        f"INSERT OR REPLACE INTO sync_base(folder_id, {_BASE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(folder_id, *base[:2], int(base.deleted), *base[3:]) for base, _packed in items],
    )


def settle_fresh(db: Database, folder_id: int, bases: list[Base]) -> None:
    """settle_pending(written=True) for pending bases recorded by save_fresh: stories
    with no base and no open conflict, whose snapshot is in place already."""
    db.conn.executemany(
        f"INSERT OR REPLACE INTO sync_base(folder_id, {_BASE_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(folder_id, *b[:2], int(b.deleted), *b[3:]) for b in bases],
    )
    db.conn.executemany(
        "DELETE FROM sync_pending WHERE folder_id = ? AND story_id = ?",
        [(folder_id, b.story_id) for b in bases],
    )


def load_pending(db: Database, folder_id: int) -> list[Base]:
    rows = db.execute(f"SELECT {_BASE_COLUMNS} FROM sync_pending WHERE folder_id = ?", [folder_id])
    return [Base(*row) for row in rows]


def pending_snapshot(db: Database, folder_id: int, story_id: str) -> str | None:
    row = db.execute(
        "SELECT CASE WHEN length(p.snapshot) > 0 THEN p.snapshot ELSE s.snapshot END "
        "FROM sync_pending p LEFT JOIN sync_snapshots s ON s.folder_id = p.folder_id "
        "AND s.story_id = p.story_id WHERE p.folder_id = ? AND p.story_id = ?",
        [folder_id, story_id],
    ).fetchone()
    return _unpack(row[0]) if row and row[0] else None


def settle_pending(db: Database, folder_id: int, story_id: str, *, written: bool) -> None:
    """The staged file is in place (`written`): its pending base becomes the base."""
    settle_pending_many(db, folder_id, [story_id], written=written)


def settle_pending_many(
    db: Database, folder_id: int, story_ids: list[str], *, written: bool
) -> None:
    """settle_pending for many stories, a statement each for all of them. A base put in
    place closes the story's open conflict in this folder (it is settled now)."""
    params = [(folder_id, story_id) for story_id in story_ids]
    run = db.conn.executemany
    if written:
        run(
            f"INSERT OR REPLACE INTO sync_base(folder_id, {_BASE_COLUMNS}) SELECT folder_id, "
            f"{_BASE_COLUMNS} FROM sync_pending WHERE folder_id = ? AND story_id = ?",
            params,
        )
        run(
            "INSERT OR REPLACE INTO sync_snapshots(folder_id, story_id, snapshot) "
            "SELECT folder_id, story_id, snapshot FROM sync_pending "
            "WHERE folder_id = ? AND story_id = ? AND length(snapshot) > 0",
            params,
        )
        run("DELETE FROM sync_conflicts WHERE folder_id = ? AND story_id = ?", params)
    else:
        # The snapshot of a story that had no base, now that it will not get one.
        run(
            "DELETE FROM sync_snapshots WHERE folder_id = ?1 AND story_id = ?2 AND EXISTS "
            "(SELECT 1 FROM sync_pending p WHERE p.folder_id = ?1 AND p.story_id = ?2 "
            "AND length(p.snapshot) = 0) AND NOT EXISTS (SELECT 1 FROM sync_base b "
            "WHERE b.folder_id = ?1 AND b.story_id = ?2)",
            params,
        )
    run("DELETE FROM sync_pending WHERE folder_id = ? AND story_id = ?", params)
