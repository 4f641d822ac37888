"""Atomic file writes: a temporary file in the same folder, fsync, replace, fsync the folder.

A reader (another laptop, a text editor, git) sees either the old file or the new one,
never half of one, and a crash leaves at worst a stray temporary file, which the next
sync pass removes (the walk in layout.py collects them).

Many files at once (`StagedWrites`, `put_in_place`): every temporary file is written
first, then made durable with one `os.sync()` on Linux (one flush instead of one fsync
per file, which is what makes a first export of a big archive take seconds, not
minutes), then each is renamed over its target, then the folders are flushed (one more
`os.sync()` when there are many of them). Nothing is renamed before its bytes are on
disk, and nothing is reported done before its rename is, so the guarantee is the same
as one by one. (`OpenFolder` and `flush_open` are the same steps taken one at a time,
with files named in an open folder instead of by Path, for a caller that overlaps them
with other work and writes very many: bulk.py.)
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.durable import fsync_dir, fsync_file

TEMP_PREFIX = ".newsdesk-tmp-"
# Linux's sync() waits until the data is on disk; macOS's only schedules it, so there
# (and on Windows) each staged file gets its own fsync instead.
_BULK_SYNC = sys.platform.startswith("linux")
# Temporary file names: random per process, then counted (no random draw per file).
_UNIQUE = secrets.token_hex(5)
_SERIAL = itertools.count()
# More files (folders) than this to flush: one os.sync() instead of an fsync each.
_FILES_PER_SYNC = 16
_FOLDERS_PER_SYNC = 4


class FileChangedError(OSError):
    """The file on disk is no longer the one the pass read: it must be merged first."""


def temp_owner(database: Path) -> str:
    """A short name for one database's temporary files in a shared folder: a pass removes
    its own leftovers at once, another laptop's only when they are old (that laptop may
    be in the middle of a pass)."""
    return hashlib.sha256(str(database).encode("utf-8")).hexdigest()[:8]


def is_stale_temp(path: Path, owner: str, max_age_s: float = 3600) -> bool:
    if path.name.startswith(f"{TEMP_PREFIX}{owner}-"):
        return True
    try:
        return path.stat().st_mtime < time.time() - max_age_s
    except OSError:
        return False


def file_hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_temp(
    path: Path, data: bytes, *, sync: bool, made: set[Path] | None = None, owner: str = ""
) -> Path:
    """Write `data` to a new temporary file beside `path`; returns the temporary path.

    `made` remembers folders already created, so a batch does not ask for each again."""
    parent = path.parent
    if made is None or parent not in made:
        parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(parent)
    tmp = parent / f"{TEMP_PREFIX}{owner or 'x'}-{_UNIQUE}{next(_SERIAL):x}-{path.name}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def check_unchanged(path: Path, expect_hash: str | None) -> None:
    """FileChangedError unless `path` still has `expect_hash` ("" means: must not exist).

    The check and the replace that follows are not one atomic step (no file system
    offers that), but the window is microseconds instead of the length of the pass.
    """
    if expect_hash is None:
        return
    try:
        if not expect_hash:
            os.stat(path)  # must not exist: no need to read it to know
        current = file_hash(path.read_bytes())
    except FileNotFoundError:
        current = ""
    if current != expect_hash:
        raise FileChangedError(f"{path} changed on disk during the sync; merged next time")


def write_atomic(path: Path, data: bytes, *, expect_hash: str | None = None) -> None:
    """Replace `path` with `data` atomically; `expect_hash` guards unseen edits."""
    tmp = write_temp(path, data, sync=True)
    try:
        check_unchanged(path, expect_hash)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


@dataclass
class StagedWrite:
    path: Path
    tmp: Path
    expect_hash: str | None
    tag: object = None


@dataclass
class StagedWrites:
    """Writes collected during a batch and made visible together by `commit`."""

    owner: str = ""  # names this writer's temporary files (see temp_owner)
    items: list[StagedWrite] = field(default_factory=list)
    made: set[Path] = field(default_factory=set)

    def add(self, path: Path, data: bytes, expect_hash: str | None, tag: object = None) -> None:
        self.items.append(stage(path, data, expect_hash, tag, made=self.made, owner=self.owner))

    def mark(self) -> int:
        return len(self.items)

    def discard_from(self, mark: int) -> None:
        """Drop (and delete) the writes staged after `mark`."""
        for item in self.items[mark:]:
            with contextlib.suppress(OSError):
                item.tmp.unlink()
        del self.items[mark:]

    def commit(self) -> tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]:
        """Flush, rename each over its target, flush folders: (done, failed)."""
        outcome = put_in_place(self.items)
        self.items = []
        return outcome


def stage(
    path: Path,
    data: bytes,
    expect_hash: str | None,
    tag: object = None,
    *,
    made: set[Path] | None = None,
    owner: str = "",
) -> StagedWrite:
    """Write `data` to a temporary file beside `path`, for `put_in_place` (made durable
    there on Linux, here elsewhere)."""
    tmp = write_temp(path, data, sync=not _BULK_SYNC, made=made, owner=owner)
    return StagedWrite(path, tmp, expect_hash, tag)


def put_in_place(
    items: list[StagedWrite],
) -> tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]:
    """Make staged files durable, rename each over its target unless the target changed
    (FileChangedError), then make the renames durable: (done, failed)."""
    if not items:
        return [], []
    # A few files: their own fsyncs cost less than flushing everything on the system.
    each = _BULK_SYNC and len(items) <= _FILES_PER_SYNC
    if _BULK_SYNC and not each:
        os.sync()
    done, failed = replace_staged(items, fsync_first=each)
    folders = {item.path.parent for item in done}
    if _BULK_SYNC and len(folders) > _FOLDERS_PER_SYNC:
        os.sync()
        return done, failed
    for folder in folders:
        try:
            fsync_dir(folder)
        except OSError as exc:
            # In place but perhaps not durable: not done, so no base claims them.
            failed += [(item, exc) for item in done if item.path.parent == folder]
            done = [item for item in done if item.path.parent != folder]
    return done, failed


def replace_staged(
    items: list[StagedWrite], *, fsync_first: bool = False
) -> tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]:
    """Rename each staged file over its target unless the target changed
    (FileChangedError): (done, failed). The caller has made the staged files durable
    (or asks for an fsync of each first) and makes the renames durable (`flush`)."""
    done: list[StagedWrite] = []
    failed: list[tuple[StagedWrite, OSError]] = []
    for item in items:
        try:
            if fsync_first:
                fsync_file(item.tmp)
            check_unchanged(item.path, item.expect_hash)
            os.replace(item.tmp, item.path)
            done.append(item)
        except OSError as exc:
            with contextlib.suppress(OSError):
                item.tmp.unlink()
            failed.append((item, exc))
    return done, failed


# Names relative to an open folder (openat, renameat: one name to look up, not the whole
# path) where the platform can.
_BY_FD = all(call in os.supports_dir_fd for call in (os.open, os.stat, os.unlink, os.rename))
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NEW_FILE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
)


class OpenFolder:
    """One folder (created if missing), its files named by their names in it: what a
    bulk export of many files uses instead of a Path per file. The same steps as
    `stage` and `put_in_place`, with the same guarantees; `close` when done.

    `by_fd=False` names files by full path instead of through an open folder (a caller
    that keeps many folders in use at once bounds the descriptors it holds)."""

    def __init__(self, path: str, *, by_fd: bool = True) -> None:
        os.makedirs(path, exist_ok=True)
        self.path = path
        self.fd: int | None = os.open(path, _DIR_FLAGS) if by_fd and _BY_FD else None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _at(self, name: str) -> str:
        return name if self.fd is not None else os.path.join(self.path, name)

    def write_temp(self, name: str, data: bytes, *, owner: str = "") -> str:
        """A new temporary file in this folder with `data`, for the file `name`; its name.
        As `stage`: made durable by `flush_open` on Linux, here elsewhere."""
        tmp = f"{TEMP_PREFIX}{owner or 'x'}-{_UNIQUE}{next(_SERIAL):x}-{name}"
        fd = os.open(self._at(tmp), _NEW_FILE, 0o644, dir_fd=self.fd)
        try:
            try:
                view = memoryview(data)
                while view:  # os.write may write less than it was given
                    view = view[os.write(fd, view) :]
                if not _BULK_SYNC:
                    os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:
            self.discard(tmp)
            raise
        return tmp

    def place_new(self, tmp: str, name: str) -> None:
        """Rename the temporary file `tmp` to `name`, which must not exist (else
        FileChangedError, as `check_unchanged` with an empty hash); on failure `tmp` is
        removed. The caller made `tmp` durable and makes the rename durable."""
        try:
            try:
                os.stat(self._at(name), dir_fd=self.fd)
            except FileNotFoundError:
                pass
            else:
                raise FileChangedError(
                    f"{os.path.join(self.path, name)} changed on disk during the sync; "
                    "merged next time"
                )
            os.replace(self._at(tmp), self._at(name), src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except OSError:
            self.discard(tmp)
            raise

    def discard(self, name: str) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self._at(name), dir_fd=self.fd)

    def fsync(self, name: str | None = None) -> None:
        """Flush a file of this folder, or (None) the folder's own entries."""
        if name is None and self.fd is not None:
            os.fsync(self.fd)
        elif name is None:
            fsync_dir(Path(self.path))  # knows the platforms that cannot
        else:
            fd = os.open(self._at(name), os.O_RDONLY, dir_fd=self.fd)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def flush_open(staged: list[tuple[OpenFolder, str]], folders: set[OpenFolder]) -> None:
    """Make the `staged` temporary files (folder, name) durable, and the renames done in
    `folders` (OSError if that fails): as put_in_place does, one os.sync() on Linux
    unless there are only a few of them; elsewhere staged files were fsync'ed when
    written (`OpenFolder.write_temp`)."""
    if _BULK_SYNC and (len(staged) > _FILES_PER_SYNC or len(folders) > _FOLDERS_PER_SYNC):
        os.sync()
        return
    if _BULK_SYNC:
        for folder, tmp in staged:
            folder.fsync(tmp)
    for folder in folders:
        folder.fsync()
