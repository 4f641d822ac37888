"""Wire files into the queue through the file journal: `newsdesk ingest FILE...`, the
window's ingest and the watched folder (desk/wire_watch.py) all come this way.

Files are read (by worker processes for a burst) and committed a batch at a time: in ONE
transaction the batch's items go into the queue and each file is recorded in the journal
(wire_files) by the hash of its bytes, with its outcome. A file whose bytes the journal
already holds is not ingested again, only reported as met again. So a kill at any point
loses and duplicates nothing: before a batch's commit nothing of it happened; after it,
its files are in the journal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import newsdesk.store.wire_queue as queue
from newsdesk.desk.context import Progress
from newsdesk.domain.model import NewsdeskError, utcnow
from newsdesk.domain.times import format_datetime
from newsdesk.formats.detect import MAX_WIRE_BYTES, parse_wire_bytes
from newsdesk.formats.errors import FormatError
from newsdesk.formats.wire_item import WireItem, checked
from newsdesk.store import Store
from newsdesk.wire.arrival import Arrivals
from newsdesk.workers import process_pool, worker_count

# Files read and committed together; a kill loses at most the work of one batch.
BATCH = 500
PARALLEL_FROM = 400  # files in a burst from which worker processes read them

# Puts a batch's items in the queue inside the caller's transaction (WireDesk.put).
Put = Callable[[Sequence[WireItem]], Arrivals]


@dataclass
class FileRead:
    """One file as read: its hash and items, or why it is refused. `name` is what reports
    and reasons call it (the name in a watched folder, the path given on the command line)."""

    path: Path
    name: str
    sha: str = ""
    size: int = 0
    items: list[WireItem] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class Handled:
    """What became of one file of a committed batch. `again`: its bytes were met before
    (in the journal already, or another file of the batch), so nothing was ingested."""

    read: FileRead
    outcome: str  # "done" or "rejected"
    reason: str
    again: bool


def read_file(path: Path, name: str | None = None) -> FileRead:
    """The checked items of one file, or why it is refused (run in a worker for a burst)."""
    name = name or path.name
    read = FileRead(path, name)
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


def _read_named(job: tuple[Path, str]) -> FileRead:
    return read_file(*job)


@contextmanager
def readers(files: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes (newsdesk/workers.py) for a burst of at least PARALLEL_FROM files
    where there are any, else None (starting them costs more than a few files take)."""
    workers = worker_count()
    if files < PARALLEL_FROM or not workers:
        yield None
        return
    pool = process_pool(workers)
    try:
        yield pool
    finally:
        # A cancel (or an error) must not wait for the rest of the burst to be parsed.
        pool.shutdown(wait=True, cancel_futures=True)


def batches(store: Store, put: Put, files: Sequence[tuple[Path, str]],
            progress: Progress | None = None) -> Iterator[tuple[Arrivals, list[Handled]]]:
    """Read `files` ((path, name) each) and commit them a batch at a time, yielding what
    each committed batch did (a caller moves files, or tells its window, after that)."""
    jobs = list(files)
    with readers(len(jobs)) as pool:
        reads = pool.map(_read_named, jobs, chunksize=25) if pool else map(_read_named, jobs)
        batch: list[FileRead] = []
        for done, read in enumerate(reads, 1):
            if progress:
                progress(done, len(jobs), read.name)
            batch.append(read)
            if len(batch) == BATCH or done == len(jobs):
                yield commit(store, put, batch)
                batch = []


def commit(store: Store, put: Put, batch: list[FileRead]) -> tuple[Arrivals, list[Handled]]:
    """The batch's new items and journal rows in one transaction; what became of each file."""
    at = format_datetime(utcnow())
    with store.transaction() as db:
        before = queue.file_outcomes(db, (r.sha for r in batch if r.sha))
        fresh: dict[str, FileRead] = {}
        for read in batch:
            if read.sha and read.sha not in before:
                fresh.setdefault(read.sha, read)
        arrivals = put([item for read in fresh.values() for item in read.items])
        queue.record_files(db, [
            (r.sha, r.name, r.size, _outcome(r), r.reason, len(r.items), at)
            for r in fresh.values()
        ])
    return arrivals, [_handled(read, before, fresh) for read in batch]


def _outcome(read: FileRead) -> str:
    return "rejected" if read.reason else "done"


def _handled(read: FileRead, before: dict[str, tuple[str, str]],
             fresh: dict[str, FileRead]) -> Handled:
    if read.sha in before:
        outcome, reason = before[read.sha]
        return Handled(read, outcome, reason, again=True)
    again = read.sha in fresh and fresh[read.sha] is not read
    return Handled(read, _outcome(read), read.reason, again)
