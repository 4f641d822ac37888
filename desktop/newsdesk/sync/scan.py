"""The folder side of a pass: walk the tree, look only into groups of files that changed,
read only files whose stat changed, index what it read by story id.

A group whose listing digest equals the one recorded when it was last settled is not
looked into at all (cache.py says why that is safe). In any other group, a file whose
size, mtime and inode equal the cached ones is not read: its cached hash and story id
stand. Any other file is read and hashed; only a hash that differs from the cached one
makes it parsed. Stats are a cache, never the judge of a change: the engine compares
hashes with the base.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from newsdesk.disk.atomic import file_hash
from newsdesk.domain.model import ID_RE, NewsdeskError, Story
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import loads, split_front_matter
from newsdesk.formats.textfile import MAX_FILE_BYTES, decode, read_bytes
from newsdesk.store.sync_cache import CachedFile, FileStat, files_in, folder_of
from newsdesk.sync.cache import UNKNOWN_STAT, trusted_stat
from newsdesk.sync.layout import Listing, Walk, walk_tree
from newsdesk.sync.readers import read_files
from newsdesk.sync.state import is_tombstone, sync_hash, without_tombstone

# The loader gives a file without an id a new one on every read; such a file is adopted
# once (imported, and the id written into it) instead of being imported again each pass.
_ID_KEY_RE = re.compile(r"^id[ \t]*:[ \t]*\S", re.MULTILINE)


@dataclass(slots=True)
class FileState:
    """One story file as this pass sees it."""

    path: str
    stat: FileStat
    file_hash: str
    story_id: str | None
    deleted: bool
    problem: str | None
    text: str | None = None  # set when the file was read this pass
    story: Story | None = None  # parsed story, tombstone key removed
    needs_id: bool = False  # a file written by hand without an id: adopt it, write the id
    # The story's approvals and actions whose signatures were checked where the file
    # was read, and verify (readers.py): arrival.py does not check them again.
    verified: frozenset[object] = frozenset()
    story_hash: str = ""  # its sync hash, when worked out where the file was read
    # Worked out where the file was read (readers.py), for taking the story in: the
    # story's (word count, content hash), and the text packed as a base's snapshot.
    counted: tuple[int, str] | None = None
    packed: bytes | None = None

    def hash_of_story(self) -> str:
        """The sync hash of the file's story (as a tombstone, if it is one)."""
        if not self.story_hash and self.story is not None:
            self.story_hash = sync_hash(self.story, self.deleted)
        return self.story_hash

    def cache_entry(self) -> CachedFile:
        stat = trusted_stat(self.stat)
        return CachedFile(
            self.path,
            stat.size,
            stat.mtime_ns,
            stat.inode,
            self.file_hash,
            self.story_id,
            self.deleted,
            self.problem,
        )


# What the scan knows of a file: a cache row when its stat is unchanged (no new object
# per file of a big archive), else a FileState read this pass.
Seen = FileState | CachedFile


@dataclass
class FolderScan:
    """What the walk found in the groups of files it looked into (the "open" ones)."""

    walk: Walk = field(default_factory=Walk)  # which groups and folders are settled
    open: dict[str, Listing] = field(default_factory=dict)  # changed, new or gone groups
    files: dict[str, Seen] = field(default_factory=dict)  # every file of the open groups
    by_id: dict[str, list[Seen]] = field(default_factory=dict)  # readable ones by story id
    refreshed: list[FileState] = field(default_factory=list)  # cache rows to rewrite
    gone: list[CachedFile] = field(default_factory=list)  # cached files no longer there
    problems: list[Seen] = field(default_factory=list)  # files that are not stories
    temp_files: list[Path] = field(default_factory=list)


def scan_folder(
    root: Path, db: Database, folder_id: int, digests: dict[str, str | None]
) -> FolderScan:
    """Walk the tree and look into every group whose digest is not the recorded one."""
    scan = FolderScan()
    walk = scan.walk = walk_tree(root, digests, scan.temp_files)
    scan.open = walk.opened
    for group in digests:
        if not group.endswith("/") and group not in scan.open and not walk.is_settled(group):
            scan.open[group] = Listing([], "")  # gone from the tree
    seen_files: list[Seen | None] = []  # in walk order; None: to be read
    to_read: list[tuple[str, FileStat, CachedFile | None]] = []
    for group, listing in scan.open.items():
        cache = files_in(db, folder_id, group)
        folder = folder_of(group)
        for name, st in listing.files:
            rel = folder + name
            cached = cache.pop(rel, None)
            if cached is None or not cached.same_stat(st):
                to_read.append((rel, FileStat.of(st), cached))
                seen_files.append(None)
            else:
                seen_files.append(cached)
        scan.gone.extend(cache.values())
    # Reading is the costly part of a pass that meets many new files: on workers.
    fresh = iter(read_files(read_state, root, to_read))
    for seen in seen_files:
        if seen is None:
            seen = next(fresh)
            scan.refreshed.append(seen)
        _index(scan, seen)
    return scan


def _index(scan: FolderScan, seen: Seen) -> None:
    scan.files[seen.path] = seen
    if seen.problem:
        scan.problems.append(seen)
    elif seen.story_id:
        scan.by_id.setdefault(seen.story_id, []).append(seen)


def read_state(root: Path, rel: str, stat: FileStat, cached: CachedFile | None = None) -> FileState:
    """Read and hash a file; parse it unless the cache already knows this content."""
    try:
        data = read_bytes(root / rel, MAX_FILE_BYTES)
    except FormatError as exc:
        return FileState(rel, stat, "", None, False, exc.reason)
    digest = file_hash(data)
    if cached and cached.file_hash == digest and cached.problem is None:
        return FileState(rel, stat, digest, cached.story_id, cached.deleted, None)
    return parse_state(rel, stat, digest, data)


def parse_state(rel: str, stat: FileStat, digest: str, data: bytes) -> FileState:
    try:
        text, _notes = decode(data, rel)
        story = loads(text, rel)
    except FormatError as exc:
        where = f"line {exc.line}: " if exc.line else ""
        return FileState(rel, stat, digest, None, False, where + exc.reason)
    except NewsdeskError as exc:
        return FileState(rel, stat, digest, None, False, str(exc))
    if not ID_RE.match(story.id or ""):
        return FileState(rel, stat, digest, None, False, f"{story.id!r} is not a story id")
    deleted = is_tombstone(story)
    needs_id = not _ID_KEY_RE.search(split_front_matter(text, rel)[0])
    return FileState(
        rel, stat, digest, story.id, deleted, None, text, without_tombstone(story), needs_id
    )


def load_story(root: Path, seen: Seen) -> FileState:
    """The parsed story of a file (read now if the scan took it from the cache)."""
    if isinstance(seen, FileState) and (seen.story is not None or seen.problem):
        return seen
    with contextlib.suppress(OSError):
        data = (root / seen.path).read_bytes()
        fresh = parse_state(seen.path, seen.stat, file_hash(data), data)
        if fresh.file_hash != seen.file_hash:
            # Changed since the walk: treat it as changed content, not as the cached one.
            fresh.stat = UNKNOWN_STAT
        return fresh
    return FileState(seen.path, seen.stat, seen.file_hash, None, False, "cannot be read")
