"""The stat cache of a sync folder in the database: per file (`sync_files`) and per group of
files (`sync_groups`), with the keys those groups go by.

What the cache means and when a pass may trust it is sync/cache.py's to say; this module
reads and writes its rows. A group is a folder of the tree and the first GROUP_CHARS
characters of a file name (the date of a story's file name), so a group is a day of
stories; a folder's own row (its path with the slash) stands for all its groups.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import NamedTuple

from sqlite_utils import Database

# Files are grouped by folder and the first characters of their name: the date of a
# story's file name ("2026-11-25-").
GROUP_CHARS = 11
# The row of sync_groups that says the list of groups is complete (see load_digests).
_COMPLETE = ""


class FileStat(NamedTuple):
    """What the stat cache compares: equal stats mean the file need not be read again."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


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


def folder_of(path: str) -> str:
    """The folder of a file or group, with its slash ("stories/2026/11/")."""
    return path[: path.rindex("/") + 1]


def group_of(path: str) -> str:
    """The group of a story file: its folder (with the slash) and its name's first
    GROUP_CHARS characters, such as "stories/2026/11/2026-11-25-"."""
    return path[: path.rindex("/") + 1 + GROUP_CHARS]


def group_range(group: str) -> tuple[str, list[object]]:
    """SQL condition and parameters for the `path` column: the files of one group."""
    name_at = group.rindex("/") + 2
    if len(group) < name_at - 1 + GROUP_CHARS:
        return "path = ?", [group]  # a name shorter than the group's share of it
    after = group[:-1] + chr(ord(group[-1]) + 1)
    return "path >= ? AND path < ? AND instr(substr(path, ?), '/') = 0", [group, after, name_at]


_COLUMNS = "path, size, mtime_ns, inode, file_hash, story_id, deleted, problem"


def files_in(db: Database, folder_id: int, group: str) -> dict[str, CachedFile]:
    """The cache rows of the files of one group."""
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
