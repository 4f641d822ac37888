"""The one job runner: imports, syncs, exports, counts and backups off the GUI thread.

A Job runs a function on a worker thread of a QThreadPool, on a Desk it opens there (a
sqlite3 connection belongs to the thread that opened it). It reports progress, the
Changes its Desk makes (the window's panes hear them through ui/events.py) and its
result, all by signals, delivered on the GUI thread. A job stops at its next progress
report once cancelled, where the operation supports it (what it finished stays).

Jobs run in lanes: "work" (imports, syncs, exports, wire ingests; a few at once),
"counts" (one at a time; a newer count supersedes one not started yet), "backups" (one at
a time) and "wire" (the watched folder's passes, one at a time).
`JobProgress` adds a progress dialog and a summary for the jobs a person waits for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.identity.profile import Profile

Progress = Callable[[int, int, str], None]
Work = Callable[[Desk, Progress], object]

LANES = {"work": 4, "counts": 1, "backups": 1, "wire": 1}


class JobCancelled(NewsdeskError):
    """The user stopped the job; what it finished before the stop stays done."""


def _error_text(exc: Exception) -> object:
    return str(exc)


class Job(QObject):
    """One piece of work on a Desk of its own; `fail` turns an error (JobCancelled
    included) into the result the job reports instead."""

    progress = Signal(int, int, str)
    changed = Signal(object)  # Changes made by the job's Desk
    finished = Signal(object)  # the result

    def __init__(
        self,
        db_path: Path,
        work: Work,
        *,
        profile: Profile | None = None,
        fail: Callable[[Exception], object] = _error_text,
    ) -> None:
        super().__init__()
        self._db_path = db_path
        self._work = work
        self._profile = profile
        self._fail = fail
        self._cancelled = False
        self.superseded = False
        self.started = False

    def cancel(self) -> None:
        # A plain flag read at the next progress report; no lock needed for a bool.
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _report(self, done: int, total: int, label: str) -> None:
        if self._cancelled:
            raise JobCancelled("stopped")
        self.progress.emit(done, total, label)

    def run(self) -> None:
        """On the worker thread."""
        self.started = True
        if self.superseded:
            return
        try:
            with Desk.open(self._db_path, existing=True) as desk:
                if self._profile is not None:
                    desk.use_profile(self._profile)
                desk.subscribe(self.changed.emit)
                result = self._work(desk, self._report)
        except (NewsdeskError, OSError) as exc:
            result = self._fail(exc)
        # The window may have closed meanwhile; then nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self.finished.emit(result)


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job  # the runnable keeps the job alive while it runs

    def run(self) -> None:
        self._job.run()


class JobRunner(QObject):
    """Starts jobs in their lanes; `changed` repeats the Changes of every job."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, QThreadPool] = {}
        self.running: list[Job] = []

    def _pool(self, lane: str) -> QThreadPool:
        if lane not in self._pools:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(LANES[lane])
            self._pools[lane] = pool
        return self._pools[lane]

    def start(self, job: Job, lane: str = "work", *, supersede: bool = False) -> Job:
        """Run `job` in `lane`; with `supersede`, jobs of the lane not started yet are
        dropped (an out-of-date count)."""
        if supersede:
            for queued in self.lane_jobs(lane):
                if not queued.started:
                    queued.superseded = True
                    self.running.remove(queued)
        job.setProperty("lane", lane)
        job.changed.connect(self.changed)
        job.finished.connect(self._finished)
        self.running.append(job)
        self._pool(lane).start(_Runnable(job))
        return job

    def lane_jobs(self, lane: str) -> list[Job]:
        return [job for job in self.running if job.property("lane") == lane]

    def busy(self, lane: str) -> bool:
        return bool(self.lane_jobs(lane))

    @Slot(object)
    def _finished(self, _result: object) -> None:
        job = self.sender()
        if job in self.running:
            self.running.remove(job)  # type: ignore[arg-type]

    def wait(self, lane: str | None = None, msecs: int = -1) -> bool:
        """Wait for the jobs of a lane (all lanes: None) to end."""
        pools = [self._pools[lane]] if lane in self._pools else (
            list(self._pools.values()) if lane is None else [])
        return all(pool.waitForDone(msecs) for pool in pools)

    def settle(self, lane: str | None = None) -> None:
        """Wait, then deliver what the jobs reported now rather than at the next event."""
        self.wait(lane)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.MetaCall)

    def shutdown(self) -> None:
        """Cancel every job and wait for them (closing the window)."""
        for job in list(self.running):
            job.cancel()
            job.superseded = True
        self.wait()


class JobProgress(QObject):
    """A job a person waits for: a progress dialog (Cancel stops the job), then a summary
    unless `quiet`; `done(result)` tells the caller."""

    done = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        runner: JobRunner,
        job: Job,
        *,
        title: str,
        verb: str,
        show_summary: Callable[[QWidget, object], None],
        quiet: bool = False,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._runner = runner
        self._verb = verb
        self._show_summary = show_summary
        self._quiet = quiet
        self.job = job
        self._over = False
        self.dialog = QProgressDialog(f"{verb}…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        # Direct: the job is busy on its own thread and reads the flag between files.
        self.dialog.canceled.connect(job.cancel, Qt.ConnectionType.DirectConnection)
        job.progress.connect(self._progress)
        job.finished.connect(self._finished)

    def start(self) -> None:
        self._runner.start(self.job)

    def running(self) -> bool:
        return not self._over

    def _progress(self, done: int, total: int, name: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done - 1)
        self.dialog.setLabelText(f"{self._verb} {name} ({done} of {total})")

    def _finished(self, result: object) -> None:
        self._over = True
        # The dialog belongs to the window and may outlive the job: cut its line first.
        self.dialog.canceled.disconnect()
        self.dialog.close()
        self.dialog.deleteLater()
        if not self._quiet:
            self._show_summary(self._parent, result)
        self.done.emit(result)
