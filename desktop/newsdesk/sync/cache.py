"""The stat cache of a sync folder: per file (`sync_files`) and per group (`sync_groups`).

`sync_files`, per file: size, mtime, inode, content hash and the story id inside (or the
problem that makes it unreadable). Equal stats let a pass skip reading a file; they never
decide that content changed (hashes do that). As in git's index, a file modified less
than RACY_NS before its hash was taken is stored as "racy" (stat unknown) and read again
next time: a second edit within one timestamp tick would keep the same stat. (So a file
a pass wrote is hashed once more by the next pass.)

`sync_groups`, per group of files (a folder and a date, store/sync_cache.group_of): the digest of
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

The rows are read and written by store/sync_cache.py; this module says when a stat can
be trusted.
"""

from __future__ import annotations

import time

from newsdesk.store.sync_cache import FileStat

RACY_NS = 3_000_000_000
UNKNOWN_STAT = FileStat(-1, -1, -1)


def trusted_stat(stat: FileStat) -> FileStat:
    """The stat to cache for content hashed now: unknown if the file is too new to trust."""
    return UNKNOWN_STAT if stat.mtime_ns >= time.time_ns() - RACY_NS else stat
