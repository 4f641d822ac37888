"""Atomic writes of many files at once, with the guarantee of atomic.py for each.

Every temporary file is written first (`stage`), then made durable with one `os.sync()`
on Linux (one flush instead of one fsync per file, which is what makes a first export of
a big archive take seconds, not minutes), then each is renamed over its target, then the
folders are flushed (one more `os.sync()` when there are many of them): `put_in_place`.
Nothing is renamed before its bytes are on disk, and nothing is reported done before its
rename is, so the guarantee is the same as one by one.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.disk.atomic import check_unchanged, write_temp
from newsdesk.disk.durable import fsync_dir, fsync_file

# Linux's sync() waits until the data is on disk; macOS's only schedules it, so there
# (and on Windows) each staged file gets its own fsync instead.
BULK_SYNC = sys.platform.startswith("linux")
# More files (folders) than this to flush: one os.sync() instead of an fsync each.
FILES_PER_SYNC = 16
FOLDERS_PER_SYNC = 4


@dataclass
class StagedWrite:
    """A temporary file waiting to replace `path`; `expect_hash` as in check_unchanged,
    `tag` is the caller's (what to report once it is in place)."""

    path: Path
    tmp: Path
    expect_hash: str | None
    tag: object = None


def stage(
    path: Path,
    data: bytes,
    expect_hash: str | None,
    tag: object = None,
    *,
    made: set[Path] | None = None,
    owner: str = "",
    tmp_dir: Path | None = None,
) -> StagedWrite:
    """Write `data` to a temporary file for `path` (beside it, or in `tmp_dir` on the
    same file system), for `put_in_place`: made durable there on Linux, here elsewhere."""
    tmp = write_temp(path, data, sync=not BULK_SYNC, made=made, owner=owner, tmp_dir=tmp_dir)
    return StagedWrite(path, tmp, expect_hash, tag)


def put_in_place(
    items: list[StagedWrite],
) -> tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]:
    """Make staged files durable, rename each over its target unless the target changed
    (FileChangedError), then make the renames durable: (done, failed)."""
    if not items:
        return [], []
    # A few files: their own fsyncs cost less than flushing everything on the system.
    each = BULK_SYNC and len(items) <= FILES_PER_SYNC
    if BULK_SYNC and not each:
        os.sync()
    done, failed = replace_staged(items, fsync_first=each)
    folders = {item.path.parent for item in done}
    if BULK_SYNC and len(folders) > FOLDERS_PER_SYNC:
        os.sync()
        return done, failed
    for folder in folders:
        try:
            fsync_dir(folder)
        except OSError as exc:
            # In place but perhaps not durable: not done, so nobody counts on them.
            failed += [(item, exc) for item in done if item.path.parent == folder]
            done = [item for item in done if item.path.parent != folder]
    return done, failed


def replace_staged(
    items: list[StagedWrite], *, fsync_first: bool = False
) -> tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]:
    """Rename each staged file over its target unless the target changed
    (FileChangedError): (done, failed). The caller has made the staged files durable
    (or asks for an fsync of each first) and makes the renames durable."""
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


def discard(items: list[StagedWrite]) -> None:
    """Remove the temporary files of staged writes that will not be put in place."""
    for item in items:
        with contextlib.suppress(OSError):
            item.tmp.unlink()


@dataclass
class StagedWrites:
    """Writes collected during a batch and made visible together by `commit`."""

    owner: str = ""  # names this writer's temporary files (sync/temps.py temp_owner)
    items: list[StagedWrite] = field(default_factory=list)
    made: set[Path] = field(default_factory=set)

    def add(self, path: Path, data: bytes, expect_hash: str | None, tag: object = None) -> None:
        self.items.append(stage(path, data, expect_hash, tag, made=self.made, owner=self.owner))

    def mark(self) -> int:
        return len(self.items)

    def discard_from(self, mark: int) -> None:
        """Drop (and delete) the writes staged after `mark`."""
        discard(self.items[mark:])
        del self.items[mark:]

    def commit(self) -> tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]:
        """Flush, rename each over its target, flush folders: (done, failed)."""
        outcome = put_in_place(self.items)
        self.items = []
        return outcome
