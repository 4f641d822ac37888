"""Writes of an export: changed files on a few threads, while the export renders on."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from newsdesk.publish.files import ExportError, atomic_write, read_bytes


class Writer:
    """Writes changed files on a few threads while the export renders the next stories:
    each write is still temp file, fsync, rename, but concurrent fsyncs share the file
    system's journal commits, which makes a first export of thousands of files many times
    faster. `flush` waits for every write (and raises the first error) before the
    folders are synced and the manifest lists the files."""

    BATCH = 64
    THREADS = 8
    AHEAD = 16  # batches in flight at most, so rendering never runs far ahead of disk

    def __init__(self, root: Path, written: list[str]) -> None:
        self.root = root
        self.written = written  # relative paths, as each write is known to be done
        self.touched: set[Path] = set()  # folders written to: synced once, before the manifest
        self.pending: list[tuple[str, bytes]] = []
        self.in_flight: deque[tuple[list[str], list[Future[None]]]] = deque()
        self.pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="export-write")

    def add(self, files: dict[str, bytes]) -> bool:
        """Queue the files whose bytes differ from what is on disk; True if any does."""
        changed = [(p, d) for p, d in sorted(files.items()) if read_bytes(self.root / p) != d]
        self.pending.extend(changed)
        if len(self.pending) >= self.BATCH:
            self._submit()
        return bool(changed)

    def _submit(self) -> None:
        batch, self.pending = self.pending, []
        if batch:
            futures = []
            for path, data in batch:
                target = self.root / path
                if target.parent not in self.touched:
                    # Each folder once, here, rather than by every write into it.
                    _make_folder(target.parent)
                    self.touched.add(target.parent)
                futures.append(self.pool.submit(write_file, target, data, in_batch=True))
            self.in_flight.append(([path for path, _data in batch], futures))
        while len(self.in_flight) > self.AHEAD:
            self._settle()

    def _settle(self) -> None:
        paths, futures = self.in_flight.popleft()
        for future in futures:
            future.result()
        self.written.extend(paths)

    def flush(self) -> None:
        self._submit()
        while self.in_flight:
            self._settle()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def write_file(target: Path, data: bytes, *, in_batch: bool = False) -> None:
    """atomic_write, with a failure as an ExportError that names the file. `in_batch`:
    the Writer made the folder and syncs it after the batch."""
    try:
        atomic_write(target, data, sync_dir=not in_batch, make_parent=not in_batch)
    except OSError as exc:
        raise ExportError(f"cannot write {target} ({exc.strerror or exc})") from None


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot write {folder} ({exc.strerror or exc})") from None
