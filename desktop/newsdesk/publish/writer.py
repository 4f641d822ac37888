"""Writes of an export: changed files staged in batches and made durable together."""

from __future__ import annotations

import contextlib
from pathlib import Path

from newsdesk.publish.files import TMP_DIR, ExportError, atomic_write, read_bytes
from newsdesk.sync.atomic import StagedWrite, put_in_place, stage


class Writer:
    """Writes the changed files of an export in batches: each file goes to a temporary
    file in the tree's TMP_DIR; a batch is made durable at once (one flush of the file
    system on Linux instead of an fsync per file, which made a first export of thousands
    of files spend most of its time waiting on the disk), then each temporary file is
    renamed over its target and the folders are flushed. So readers see the old file or
    the new one, nothing is listed as written before it is on disk, and a killed export
    leaves its temporary files in one place, where the next export clears them
    (files.clear_debris). `flush` puts every staged file in place (and raises the first
    error) before the manifest lists the files."""

    # Files per flush: each story writes its page(s) and its record of approved content,
    # so this is about 500 stories a flush (one os.sync() on Linux, which flushes every
    # file system: fewer of them cost a large export less).
    BATCH = 1000

    def __init__(self, root: Path, written: list[str]) -> None:
        self.root = root
        self.tmp = root / TMP_DIR
        self.written = written  # relative paths, as each write is known to be done
        self.staged: list[StagedWrite] = []
        self.made: set[Path] = set()  # folders known to exist

    def add(self, files: dict[str, bytes]) -> bool:
        """Stage the files whose bytes differ from what is on disk; True if any does."""
        changed = [(p, d) for p, d in sorted(files.items()) if read_bytes(self.root / p) != d]
        for path, data in changed:
            target = self.root / path
            try:
                self._folder(target.parent)
                item = stage(self.tmp / target.name, data, None, path, made=self.made)
            except OSError as exc:
                raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None
            item.path = target  # staged in TMP_DIR, renamed from there into place
            self.staged.append(item)
        if len(self.staged) >= self.BATCH:
            self.flush()
        return bool(changed)

    def _folder(self, folder: Path) -> None:
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)

    def flush(self) -> None:
        staged, self.staged = self.staged, []
        done, failed = put_in_place(staged)
        self.written.extend(str(item.tag) for item in done)
        if failed:
            item, exc = failed[0]
            raise ExportError(f"cannot write {item.path} ({exc.strerror or exc})")

    def write_now(self, path: str, data: bytes) -> None:
        """One file written at once (the manifest, last), through TMP_DIR as well."""
        target = self.root / path
        try:
            atomic_write(target, data, self.tmp)
        except OSError as exc:
            raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None

    def close(self) -> None:
        """Remove the temporary files of writes that were never put in place."""
        for item in self.staged:
            with contextlib.suppress(OSError):
                item.tmp.unlink()
        self.staged = []
