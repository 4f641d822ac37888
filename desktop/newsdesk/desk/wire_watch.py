"""The watched folder: wire files dropped into DIR go into the queue, then to DIR/.done/.

A pass takes the files that are complete (wire/watch.py), reads a batch of them, and in
ONE transaction puts their items in the queue and records each file, by the hash of its
bytes, in the journal (wire_files) with its outcome (desk/wire_journal.py, the same
journal `newsdesk ingest FILE...` uses); only after that commit are the files moved
(.done/, or .rejected/ with a .reason). So a kill at any point loses and
duplicates nothing: before the commit nothing happened and the files are still there;
after it, a file met again is in the journal and is only moved where it was going.
Items are idempotent by (guid, version) as well: a copy under another name adds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.desk.context import Progress
from newsdesk.desk.wire import WireDesk
from newsdesk.desk.wire_journal import Handled
from newsdesk.domain.model import NewsdeskError
from newsdesk.store.errors import StoreError
from newsdesk.wire.arrival import Arrivals
from newsdesk.wire.watch import look, move, stable

SETTLE_SECONDS = 0.25  # between two looks: a file unchanged across them is complete


@dataclass
class WatchReport:
    arrivals: Arrivals = field(default_factory=Arrivals)
    done: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    again: list[str] = field(default_factory=list)  # met before (a crash, or a copy)
    waiting: list[str] = field(default_factory=list)  # still being written
    errors: list[str] = field(default_factory=list)  # passes that failed and were retried


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
        """Ingest these files of the folder through the file journal, a batch per
        transaction (desk/wire_journal.py), moving each batch's files after its commit."""
        report = WatchReport()
        files = [(self.folder / name, name) for name in names]
        for arrivals, handled in self.wire.batches(files, progress):
            report.arrivals.add(arrivals)
            for one in handled:
                self._move(one, report)
        return report

    def _move(self, one: Handled, report: WatchReport) -> None:
        """A committed file to .done/ or .rejected/ (a file met again goes where the
        journal says it went the first time)."""
        name = one.read.name
        if one.again:
            report.again.append(name)
        try:
            move(self.folder, name, one.outcome, one.reason)
        except FileNotFoundError:
            return  # another watcher of the same folder moved it
        if one.outcome == "done":
            report.done.append(name)
        else:
            report.rejected.append((name, one.reason))


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
