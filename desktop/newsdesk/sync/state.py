"""What a database remembers about each sync folder: the bases, the stat cache, conflicts.

Tables (in the story database, prefixed `sync_`):
- `sync_folders`: one row per folder path, with the workspace id read from its marker and
  `seen_seq`, the store's change counter up to which local changes were synced.
- `sync_base`: per folder and story, the version both sides last agreed on: its sync
  hash, whether it was deleted, the store change_seq it had, the file it lives in and
  that file's hash; `sync_snapshots` holds that version itself (the merge base, as the
  Markdown file text, zlib-compressed).
- `sync_files`: the stat cache, per folder and file: size, mtime, inode, content hash and
  the story id inside (or the problem that makes it unreadable). Equal stats let a pass
  skip reading a file; they never decide that content changed (hashes do that). As in
  git's index, a file modified less than RACY_NS before its hash was taken is stored as
  "racy" and read again next time: a second edit within one timestamp tick would keep
  the same stat. (So a file this pass wrote is hashed once more by the next pass.)
- `sync_conflicts`: a merge that needs a person: base, local and remote versions, kept
  until `resolve_conflict`.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from datetime import UTC
from typing import NamedTuple

from sqlite_utils import Database

from newsdesk.model import Story, format_datetime
from newsdesk.sync.layout import FileStat

DELETED_KEY = "deleted"


def ensure_tables(db: Database) -> None:
    """Create the sync tables if missing (idempotent; the caller holds a transaction)."""
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
        """
    )


def sync_hash(story: Story, deleted: bool = False) -> str:
    """Hash of everything that travels: editable fields, status, approvals, extra keys,
    and deletion. Not revision, updated_at or modified_by: each database keeps its own,
    and comparing them would make two laptops rewrite each other's files forever."""
    data: dict[str, object] = dict(story.editable())
    data["status"] = story.status
    data["approvals"] = sorted(
        (
            [a.approver, a.revision, a.content_hash, _utc(a.approved_at), a.signature]
            for a in story.approvals
        ),
        key=lambda item: (item[3], item[0], item[2]),
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
    story_id: str
    hash: str
    deleted: bool
    local_seq: int
    path: str
    file_hash: str


class CachedFile(NamedTuple):
    """A stat cache row; a pass uses it as is for a file whose stat did not change."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    file_hash: str
    story_id: str | None
    deleted: bool
    problem: str | None

    def same_stat(self, st: os.stat_result) -> bool:
        return (
            self.mtime_ns == st.st_mtime_ns and self.size == st.st_size and self.inode == st.st_ino
        )

    @property
    def stat(self) -> FileStat:
        return FileStat(self.size, self.mtime_ns, self.inode)


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


def load_bases(db: Database, folder_id: int) -> dict[str, Base]:
    rows = db.execute(
        "SELECT story_id, hash, deleted, local_seq, path, file_hash FROM sync_base "
        "WHERE folder_id = ?",
        [folder_id],
    )
    # Tuples, not dataclasses: a pass loads one per story of a possibly huge archive.
    return {row[0]: Base(*row) for row in rows}


def base_snapshot(db: Database, folder_id: int, story_id: str) -> str | None:
    row = db.execute(
        "SELECT snapshot FROM sync_snapshots WHERE folder_id = ? AND story_id = ?",
        [folder_id, story_id],
    ).fetchone()
    return zlib.decompress(row[0]).decode("utf-8") if row else None


def save_base(db: Database, folder_id: int, base: Base, snapshot: str) -> None:
    """Record a new base and its story text (the caller holds the transaction)."""
    db.execute(
        "INSERT OR REPLACE INTO sync_snapshots(folder_id, story_id, snapshot) VALUES (?, ?, ?)",
        [folder_id, base.story_id, zlib.compress(snapshot.encode("utf-8"), 6)],
    )
    db.execute(
        "INSERT OR REPLACE INTO sync_base(folder_id, story_id, hash, deleted, "
        "local_seq, path, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            folder_id,
            base.story_id,
            base.hash,
            int(base.deleted),
            base.local_seq,
            base.path,
            base.file_hash,
        ],
    )


def save_pending(db: Database, folder_id: int, base: Base, snapshot: str) -> None:
    """Record the base a staged file will have once it is renamed into place."""
    db.execute(
        "INSERT OR REPLACE INTO sync_pending(folder_id, story_id, hash, deleted, local_seq, "
        "path, file_hash, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            folder_id,
            base.story_id,
            base.hash,
            int(base.deleted),
            base.local_seq,
            base.path,
            base.file_hash,
            zlib.compress(snapshot.encode("utf-8"), 6),
        ],
    )


def load_pending(db: Database, folder_id: int) -> list[Base]:
    rows = db.execute(
        "SELECT story_id, hash, deleted, local_seq, path, file_hash FROM sync_pending "
        "WHERE folder_id = ?",
        [folder_id],
    )
    return [Base(*row) for row in rows]


def pending_snapshot(db: Database, folder_id: int, story_id: str) -> str | None:
    row = db.execute(
        "SELECT snapshot FROM sync_pending WHERE folder_id = ? AND story_id = ?",
        [folder_id, story_id],
    ).fetchone()
    return zlib.decompress(row[0]).decode("utf-8") if row else None


def settle_pending(db: Database, folder_id: int, story_id: str, *, written: bool) -> None:
    """The staged file is in place (`written`): its pending base becomes the base."""
    if written:
        params = [folder_id, story_id]
        db.execute(
            "INSERT OR REPLACE INTO sync_base(folder_id, story_id, hash, deleted, local_seq, "
            "path, file_hash) SELECT folder_id, story_id, hash, deleted, local_seq, path, "
            "file_hash FROM sync_pending WHERE folder_id = ? AND story_id = ?",
            params,
        )
        db.execute(
            "INSERT OR REPLACE INTO sync_snapshots(folder_id, story_id, snapshot) "
            "SELECT folder_id, story_id, snapshot FROM sync_pending "
            "WHERE folder_id = ? AND story_id = ?",
            params,
        )
        db.execute("DELETE FROM sync_conflicts WHERE folder_id = ? AND story_id = ?", params)
    db.execute(
        "DELETE FROM sync_pending WHERE folder_id = ? AND story_id = ?", [folder_id, story_id]
    )


def touch_base(db: Database, folder_id: int, story_id: str, **columns: object) -> None:
    """Update bookkeeping columns of a base whose content did not change."""
    assignments = ", ".join(f"{name} = ?" for name in columns)
    db.execute(
        f"UPDATE sync_base SET {assignments} WHERE folder_id = ? AND story_id = ?",
        [*columns.values(), folder_id, story_id],
    )


def load_cache(db: Database, folder_id: int) -> dict[str, CachedFile]:
    rows = db.execute(
        "SELECT path, size, mtime_ns, inode, file_hash, story_id, deleted, problem "
        "FROM sync_files WHERE folder_id = ?",
        [folder_id],
    )
    return {row[0]: CachedFile(*row) for row in rows}


def save_cache(db: Database, folder_id: int, entries: list[CachedFile]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO sync_files(folder_id, path, size, mtime_ns, inode, file_hash, "
        "story_id, deleted, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                folder_id,
                e.path,
                e.size,
                e.mtime_ns,
                e.inode,
                e.file_hash,
                e.story_id,
                int(e.deleted),
                e.problem,
            )
            for e in entries
        ],
    )


def drop_cache(db: Database, folder_id: int, paths: list[str]) -> None:
    db.conn.executemany(
        "DELETE FROM sync_files WHERE folder_id = ? AND path = ?",
        [(folder_id, path) for path in paths],
    )


def has_conflict(db: Database, story_id: str) -> bool:
    """True while a sync conflict of this story waits for a person (blocks approval)."""
    if not db["sync_conflicts"].exists():
        return False
    row = db.execute("SELECT 1 FROM sync_conflicts WHERE story_id = ? LIMIT 1", [story_id])
    return row.fetchone() is not None


def has_any_conflict(db: Database, folder_id: int) -> bool:
    row = db.execute("SELECT 1 FROM sync_conflicts WHERE folder_id = ? LIMIT 1", [folder_id])
    return row.fetchone() is not None
