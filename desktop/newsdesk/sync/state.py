"""What a database remembers about each sync folder: the bases, the stat cache, conflicts.

Tables (in the story database, prefixed `sync_`):
- `sync_folders`: one row per folder path, with the workspace id read from its marker and
  `seen_seq`, the store's change counter up to which local changes were synced.
- `sync_base`: per folder and story, the version both sides last agreed on: its sync
  hash, whether it was deleted, the store change_seq it had, the file it lives in and
  that file's hash; `sync_snapshots` holds that version itself (the merge base, as the
  Markdown file text, zlib-compressed). A snapshot without a sync_base row belongs to
  the pending base of a story that had none (see `save_fresh`).
- `sync_files` and `sync_groups`: the stat cache (cache.py).
- `sync_conflicts`: a merge that needs a person: base, local and remote versions, kept
  until `resolve_conflict`.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass
from datetime import UTC
from typing import NamedTuple

from sqlite_utils import Database

from newsdesk.model import Story, format_datetime
from newsdesk.sync.layout import group_range

DELETED_KEY = "deleted"


def ensure_tables(db: Database) -> None:
    """Create the sync tables if missing (idempotent; the caller holds a transaction)."""
    have = db.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('sync_groups', 'sync_base_path')"
    ).fetchone()[0]
    if have == 2:
        return  # the last of them exist, so all do
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS sync_folders (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            workspace_id TEXT NOT NULL,
            seen_seq INTEGER NOT NULL DEFAULT 0,
            last_sync_at TEXT
        );
        CREATE TABLE IF NOT EXISTS sync_base (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            local_seq INTEGER NOT NULL DEFAULT 0,
            path TEXT NOT NULL,
            file_hash TEXT NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        -- The base stories themselves, compressed and apart from sync_base, so that a
        -- pass reads the small bookkeeping rows of a big archive without paging through
        -- every story's text.
        CREATE TABLE IF NOT EXISTS sync_snapshots (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            snapshot BLOB NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        -- Bases of files a pass is about to write: committed with the database side of
        -- a batch, before the renames, and made bases once the files are in place. A
        -- pass killed in between finds them next time and keeps those whose file holds
        -- what was written, so the base always describes what the folder really has.
        CREATE TABLE IF NOT EXISTS sync_pending (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            local_seq INTEGER NOT NULL DEFAULT 0,
            path TEXT NOT NULL,
            file_hash TEXT NOT NULL,
            snapshot BLOB NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        -- Bases by file, for the folders of the tree a pass has to look into.
        CREATE INDEX IF NOT EXISTS sync_base_path ON sync_base(folder_id, path);
        CREATE TABLE IF NOT EXISTS sync_files (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            file_hash TEXT NOT NULL,
            story_id TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            problem TEXT,
            PRIMARY KEY (folder_id, path)
        );
        CREATE TABLE IF NOT EXISTS sync_conflicts (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            path TEXT NOT NULL,
            base TEXT,
            local TEXT NOT NULL,
            remote TEXT NOT NULL,
            remote_file_hash TEXT NOT NULL,
            fields TEXT NOT NULL,
            origin TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        CREATE INDEX IF NOT EXISTS sync_conflicts_story ON sync_conflicts(story_id);
        -- Per group of files of the tree: the digest of its listing when every file in
        -- it was last settled (NULL: look at each file). See cache.py.
        CREATE TABLE IF NOT EXISTS sync_groups (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            digest TEXT,
            PRIMARY KEY (folder_id, name)
        );
        """
    )


def sync_hash(story: Story, deleted: bool = False) -> str:
    """Hash of everything that travels: editable fields, status, approvals, signed
    actions, extra keys, and deletion. Not revision, updated_at or modified_by (nor
    modified_key): each database keeps its own, and comparing them would make two
    laptops rewrite each other's files forever."""
    data: dict[str, object] = dict(story.editable())
    data["status"] = story.status
    data["approvals"] = sorted(
        (
            [a.approver, a.revision, a.content_hash, _utc(a.approved_at), a.signature]
            for a in story.approvals
        ),
        key=lambda item: (item[3], item[0], item[2]),
    )
    if story.actions:  # absent when none, so stories without any hash as they always did
        data["actions"] = sorted(
            [a.action, _utc(a.at), a.public_key, a.signature] for a in story.actions
        )
    data["extra"] = {k: v for k, v in story.extra.items() if k != DELETED_KEY}
    data["deleted"] = bool(deleted)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc(value: object) -> str:
    return format_datetime(value.astimezone(UTC)) if hasattr(value, "astimezone") else str(value)


def is_tombstone(story: Story) -> bool:
    return story.extra.get(DELETED_KEY) is True


def as_file_story(story: Story, deleted: bool) -> Story:
    """The story as the file holds it: a tombstone is the whole story plus `deleted: true`,
    so a delete on one laptop can be undone on another and no text is lost."""
    if not deleted and DELETED_KEY not in story.extra:
        return story
    extra = {k: v for k, v in story.extra.items() if k != DELETED_KEY}
    if deleted:
        extra[DELETED_KEY] = True
    return story.replace(extra=extra)


def without_tombstone(story: Story) -> Story:
    return as_file_story(story, False)


@dataclass(frozen=True)
class Folder:
    id: int
    path: str
    workspace_id: str
    seen_seq: int


class Base(NamedTuple):
    """What both sides last agreed on for one story. `hash` is its sync_hash, or "" when
    the pass that recorded it did not compute it (the first export of a story that had
    no base): then it is the sync_hash of the snapshot, computed where it is needed."""

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
    """The bases whose file is in one group of the tree (layout.group_of)."""
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
    return zlib.decompress(row[0]).decode("utf-8") if row else None


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
    return zlib.decompress(row[0]).decode("utf-8") if row and row[0] else None


def settle_pending(db: Database, folder_id: int, story_id: str, *, written: bool) -> None:
    """The staged file is in place (`written`): its pending base becomes the base."""
    settle_pending_many(db, folder_id, [story_id], written=written)


def settle_pending_many(
    db: Database, folder_id: int, story_ids: list[str], *, written: bool
) -> None:
    """settle_pending for many stories, a statement each for all of them."""
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


def touch_base(db: Database, folder_id: int, story_id: str, **columns: object) -> None:
    """Update bookkeeping columns of a base whose content did not change."""
    assignments = ", ".join(f"{name} = ?" for name in columns)
    db.execute(
        f"UPDATE sync_base SET {assignments} WHERE folder_id = ? AND story_id = ?",
        [*columns.values(), folder_id, story_id],
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


def has_conflict(db: Database, story_id: str) -> bool:
    """True while a sync conflict of this story waits for a person (blocks approval)."""
    if not db["sync_conflicts"].exists():
        return False
    row = db.execute("SELECT 1 FROM sync_conflicts WHERE story_id = ? LIMIT 1", [story_id])
    return row.fetchone() is not None


def conflict_ids(db: Database, folder_id: int) -> set[str]:
    rows = db.execute("SELECT story_id FROM sync_conflicts WHERE folder_id = ?", [folder_id])
    return {row[0] for row in rows}
