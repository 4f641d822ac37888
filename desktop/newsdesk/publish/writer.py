"""Writes of an export: changed files staged in batches and made durable together."""

from __future__ import annotations

from pathlib import Path

from newsdesk.disk.atomic import write_atomic
from newsdesk.disk.staged import StagedWrite, discard, put_in_place, stage
from newsdesk.publish.files import TMP_DIR, ExportError, read_bytes


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
                # Staged in TMP_DIR, renamed from there into place.
                item = stage(target, data, None, path, made=self.made, tmp_dir=self.tmp)
            except OSError as exc:
                raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None
            self.staged.append(item)
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

    def write_now(self, path: str, data: bytes) -> None:
        """One file written at once (the manifest, last), through TMP_DIR as well."""
        target = self.root / path
        try:
            # strict=False: a share that refuses to flush a folder still takes the export.
            write_atomic(target, data, tmp_dir=self.tmp, strict=False)
        except OSError as exc:
            raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None

    def close(self) -> None:
        """Remove the temporary files of writes that were never put in place."""
        discard(self.staged)
        self.staged = []
