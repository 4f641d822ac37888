"""The watched folder: wire files dropped into DIR go into the queue, then to DIR/.done/.

A pass takes the files that are complete (wire/watch.py), reads a batch of them, and in
ONE transaction puts their items in the queue and records each file, by the hash of its
bytes, in the journal (wire_files) with its outcome; only after that commit are the
files moved (.done/, or .rejected/ with a .reason). So a kill at any point loses and
duplicates nothing: before the commit nothing happened and the files are still there;
after it, a file met again is in the journal and is only moved where it was going.
Items are idempotent by (guid, version) as well: a copy under another name adds nothing.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import newsdesk.store.wire_queue as queue
from newsdesk.desk.context import Progress
from newsdesk.desk.wire import Arrivals, WireDesk
from newsdesk.domain.model import NewsdeskError, utcnow
from newsdesk.domain.times import format_datetime
from newsdesk.formats.detect import MAX_WIRE_BYTES, parse_wire_bytes
from newsdesk.formats.errors import FormatError
from newsdesk.formats.wire_item import WireItem, checked
from newsdesk.store.errors import StoreError
from newsdesk.wire.watch import look, move, stable

# Files read and committed together; a kill loses at most the work of one batch.
WATCH_BATCH = 500
PARALLEL_FROM = 400  # files in a pass from which workers read them
MAX_WORKERS = 4
SETTLE_SECONDS = 0.25  # between two looks: a file unchanged across them is complete


@dataclass
class WatchReport:
    arrivals: Arrivals = field(default_factory=Arrivals)
    done: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    again: list[str] = field(default_factory=list)  # met before (a crash, or a copy)
    waiting: list[str] = field(default_factory=list)  # still being written
    errors: list[str] = field(default_factory=list)  # passes that failed and were retried


@dataclass
class _Read:
    name: str
    sha: str = ""
    size: int = 0
    items: list[WireItem] = field(default_factory=list)
    reason: str = ""


class FolderWatch:
    """One watched folder feeding one desk's queue."""

    def __init__(self, wire: WireDesk, folder: str | Path, settle: float = SETTLE_SECONDS):
        self.wire = wire
        self.folder = Path(folder)
        self.settle = settle
        if not self.folder.is_dir():
            raise NewsdeskError(f"{self.folder}: not a folder (give the folder to watch)")

    def run(self, *, once: bool = False, stop: Callable[[], bool] = lambda: False,
            progress: Progress | None = None,
            on_pass: Callable[[WatchReport], None] | None = None) -> WatchReport:
        """Pass after pass until `stop()` (or after one pass with `once`): each takes the
        files unchanged since the look before it, a settle interval earlier. A pass that
        fails (the database busy, the folder gone for a moment) is reported and the next
        one tries again; with `once` it is the error."""
        total = WatchReport()
        before = look(self.folder)
        while True:
            time.sleep(self.settle)
            try:
                now = look(self.folder)
                ready = stable(before, now)
                report = self.handle(ready, progress)
            except (StoreError, OSError) as exc:
                if once:
                    raise NewsdeskError(f"{self.folder}: {_why(exc)}") from None
                now, ready = {}, []
                report = WatchReport(errors=[f"{self.folder}: {_why(exc)}; trying again"])
            report.waiting = sorted(set(now) - set(ready))
            _add(total, report)
            if on_pass and (ready or once or report.errors):
                on_pass(report)
            if once or stop():
                total.waiting = report.waiting
                return total
            before = {name: stamp for name, stamp in now.items() if name not in ready}

    def handle(self, names: list[str], progress: Progress | None = None) -> WatchReport:
        """Ingest these files of the folder, a batch per transaction, then move them. A
        burst is read (the parsing is most of the work) by worker processes, one a core,
        which read ahead while a batch is written."""
        report = WatchReport()
        paths = [self.folder / name for name in names]
        with _readers(len(names)) as pool:
            reads = pool.map(read_file, paths, chunksize=25) if pool else map(read_file, paths)
            batch: list[_Read] = []
            for done, read in enumerate(reads, 1):
                if progress:
                    progress(done, len(names), read.name)
                batch.append(read)
                if len(batch) == WATCH_BATCH or done == len(names):
                    self._commit(batch, report)
                    batch = []
        return report

    def _commit(self, batch: list[_Read], report: WatchReport) -> None:
        """The batch's items and journal rows in one transaction; the moves after it."""
        at = format_datetime(utcnow())
        with self.wire.store.transaction() as db:
            before = queue.file_outcomes(db, (r.sha for r in batch if r.sha))
            fresh: dict[str, _Read] = {}
            for read in batch:
                if read.sha and read.sha not in before:
                    fresh.setdefault(read.sha, read)
            items = [item for read in fresh.values() for item in read.items]
            report.arrivals.add(self.wire.receive(items))
            queue.record_files(db, [
                (r.sha, r.name, r.size, "rejected" if r.reason else "done", r.reason,
                 len(r.items), at) for r in fresh.values()
            ])
        for read in batch:
            outcome, reason = before.get(read.sha, ("rejected" if read.reason else "done",
                                                    read.reason))
            if read.sha in before or (read.sha in fresh and fresh[read.sha] is not read):
                report.again.append(read.name)
            try:
                move(self.folder, read.name, outcome, reason)
            except FileNotFoundError:
                continue  # another watcher of the same folder moved it
            if outcome == "done":
                report.done.append(read.name)
            else:
                report.rejected.append((read.name, reason))


def read_file(path: Path) -> _Read:
    """The checked items of one file, or why it is refused (run in a worker for a burst)."""
    name = path.name
    read = _Read(name)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_WIRE_BYTES + 1)
    except OSError as exc:
        read.reason = f"{name}: cannot read the file ({exc.strerror or exc})"
        return read
    read.sha, read.size = hashlib.sha256(data).hexdigest(), len(data)
    try:
        read.items = [checked(item, name) for item in parse_wire_bytes(data, name)]
        if not read.items:
            raise FormatError("no wire item in the file", name)
    except NewsdeskError as exc:
        read.reason, read.items = str(exc), []
    except RecursionError:
        read.reason, read.items = f"{name}: nested too deeply to be a wire file", []
    return read


@contextmanager
def _readers(files: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for a burst of at least PARALLEL_FROM files on a machine of more
    than one core, else None (starting them costs more than a few files take). Spawned,
    not forked: the window's process has threads that a fork would copy half-way."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if files < PARALLEL_FROM or workers < 2:
        yield None
        return
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    try:
        yield pool
    finally:
        # A cancel (or an error) must not wait for the rest of the burst to be parsed.
        pool.shutdown(wait=True, cancel_futures=True)


def _add(total: WatchReport, report: WatchReport) -> None:
    total.arrivals.add(report.arrivals)
    total.done.extend(report.done)
    total.rejected.extend(report.rejected)
    total.again.extend(report.again)
    total.errors.extend(report.errors)


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read the folder ({exc.strerror or exc})"
    return str(exc)
