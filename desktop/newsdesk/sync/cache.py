"""The stat cache of a sync folder: per file (`sync_files`) and per group (`sync_groups`).

`sync_files`, per file: size, mtime, inode, content hash and the story id inside (or the
problem that makes it unreadable). Equal stats let a pass skip reading a file; they never
decide that content changed (hashes do that). As in git's index, a file modified less
than RACY_NS before its hash was taken is stored as "racy" (stat unknown) and read again
next time: a second edit within one timestamp tick would keep the same stat. (So a file
a pass wrote is hashed once more by the next pass.)

`sync_groups`, per group of files (a folder and a date, layout.group_of): the digest of
its listing (every story file's name and stat, layout.walk_tree), recorded at the end of a
pass only when the group is *settled*: each file in it has a cache row with exactly that
stat, is readable, and is the file of its story's base (same path, same file hash), each
base of a file in it has its file there, and none of its stories has an open conflict or
a pending base. A group whose listing still has that digest needs no look at any file in
it: nothing in it changed, nothing in it is missing, and no story in it has anything to
settle on the folder side, so a pass with one change reads the stat of every file and
otherwise works in proportion to what changed. Any other group (no digest, another
digest, or gone from the tree) is looked at file by file. A file written into a group,
or a base or cache row recorded for one, clears its digest.

Every group that holds (or held) a base or a cache row is listed in sync_groups, so that
a group gone from the tree is noticed; the row named "" says the list is complete
(databases synced before sync_groups existed get it once, from their bases).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import NamedTuple

from sqlite_utils import Database

from newsdesk.sync.layout import FileStat, folder_of, group_of, group_range

RACY_NS = 3_000_000_000
UNKNOWN_STAT = FileStat(-1, -1, -1)
_COMPLETE = ""


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


def trusted_stat(stat: FileStat) -> FileStat:
    """The stat to cache for content hashed now: unknown if the file is too new to trust."""
    return UNKNOWN_STAT if stat.mtime_ns >= time.time_ns() - RACY_NS else stat


_COLUMNS = "path, size, mtime_ns, inode, file_hash, story_id, deleted, problem"


def files_in(db: Database, folder_id: int, group: str) -> dict[str, CachedFile]:
    """The cache rows of the files of one group (layout.group_of)."""
    where, params = group_range(group)
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM sync_files WHERE folder_id = ? AND {where}", [folder_id, *params]
    )
    return {row[0]: CachedFile(*row) for row in rows}


def cached_file(db: Database, folder_id: int, path: str) -> CachedFile | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM sync_files WHERE folder_id = ? AND path = ?", [folder_id, path]
    ).fetchone()
    return CachedFile(*row) if row else None


def save_cache(db: Database, folder_id: int, entries: Iterable[CachedFile]) -> None:
    db.conn.executemany(
        f"INSERT OR REPLACE INTO sync_files(folder_id, {_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(folder_id, *e[:6], int(e.deleted), e.problem) for e in entries],
    )


def drop_cache(db: Database, folder_id: int, paths: Iterable[str]) -> None:
    db.conn.executemany(
        "DELETE FROM sync_files WHERE folder_id = ? AND path = ?",
        [(folder_id, path) for path in paths],
    )


def load_digests(db: Database, folder_id: int) -> dict[str, str | None]:
    """Every group of the tree this database knows, with its digest if settled."""
    rows = db.execute("SELECT name, digest FROM sync_groups WHERE folder_id = ?", [folder_id])
    digests: dict[str, str | None] = dict(rows)
    if _COMPLETE not in digests:
        # Synced before groups were listed: list the group of every base once.
        paths = db.execute("SELECT path FROM sync_base WHERE folder_id = ?", [folder_id])
        for group in {group_of(path) for (path,) in paths}:
            digests.setdefault(group, None)
        digests[_COMPLETE] = None
        set_digests(db, folder_id, digests)
    del digests[_COMPLETE]
    return digests


def set_digests(db: Database, folder_id: int, digests: dict[str, str | None]) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO sync_groups(folder_id, name, digest) VALUES (?, ?, ?)",
        [(folder_id, group, digest) for group, digest in digests.items()],
    )


def unsettle(db: Database, folder_id: int, paths: Iterable[str]) -> None:
    """The groups of these files changed (a file written, a base recorded): clear their
    digests and their folders', and list them if they are new."""
    keys = {key for path in paths for key in (group_of(path), folder_of(path))}
    set_digests(db, folder_id, dict.fromkeys(keys))


def forget_groups(db: Database, folder_id: int, groups: Iterable[str]) -> None:
    db.conn.executemany(
        "DELETE FROM sync_groups WHERE folder_id = ? AND name = ?",
        [(folder_id, group) for group in groups],
    )
