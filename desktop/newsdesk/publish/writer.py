"""Writes of an export: changed files staged in batches and made durable together."""

from __future__ import annotations

import contextlib
from pathlib import Path

from newsdesk.publish.files import ExportError, atomic_write, read_bytes
from newsdesk.sync.atomic import StagedWrite, put_in_place, stage


class Writer:
    """Writes the changed files of an export in batches: each file goes to a temporary
    file beside its target; a batch is made durable at once (one flush of the file system
    on Linux instead of an fsync per file, which made a first export of thousands of
    files spend most of its time waiting on the disk), then each temporary file is renamed
    over its target and the folders are flushed. So readers see the old file or the new
    one, and nothing is listed as written before it is on disk. `flush` puts every staged
    file in place (and raises the first error) before the manifest lists the files."""

    BATCH = 500

    def __init__(self, root: Path, written: list[str]) -> None:
        self.root = root
        self.written = written  # relative paths, as each write is known to be done
        self.staged: list[StagedWrite] = []
        self.made: set[Path] = set()

    def add(self, files: dict[str, bytes]) -> bool:
        """Stage the files whose bytes differ from what is on disk; True if any does."""
        changed = [(p, d) for p, d in sorted(files.items()) if read_bytes(self.root / p) != d]
        for path, data in changed:
            target = self.root / path
            try:
                self.staged.append(stage(target, data, None, path, made=self.made))
            except OSError as exc:
                raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None
        if len(self.staged) >= self.BATCH:
            self.flush()
        return bool(changed)

    def flush(self) -> None:
        staged, self.staged = self.staged, []
        done, failed = put_in_place(staged)
        self.written.extend(str(item.tag) for item in done)
        if failed:
            item, exc = failed[0]
            raise ExportError(f"cannot write {item.path} ({exc.strerror or exc})")

    def close(self) -> None:
        """Remove the temporary files of writes that were never put in place."""
        for item in self.staged:
            with contextlib.suppress(OSError):
                item.tmp.unlink()
        self.staged = []


def write_file(target: Path, data: bytes) -> None:
    """atomic_write, with a failure as an ExportError that names the file."""
    try:
        atomic_write(target, data)
    except OSError as exc:
        raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None
