"""The Wire view's background work as jobs on the window's one runner (ui/jobs/runner.py):
an ingest of files (the "work" lane, a progress dialog and a summary), and the window's
watched folder, a pass each half second in a lane of its own ("wire", one at a time).

Each job opens its own Desk on its worker thread and goes through `desk.wire`, so what it
changes reaches the window's panes as Changes (the runner's `changed`, ui/events.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from newsdesk.desk import Desk
from newsdesk.desk.wire_watch import FolderWatch
from newsdesk.ui.jobs.runner import Job, JobCancelled, JobProgress, Progress
from newsdesk.ui.settings import open_settings
from newsdesk.ui.window import StoryWindow
from newsdesk.wire.watch import look

WATCH_KEY = "wire/watch_folder"
WATCH_ON_KEY = "wire/watch_on"
WATCH_INTERVAL_MS = 500  # a pass each half second: a file is in within a second
WATCH_LANE = "wire"


@dataclass
class IngestSummary:
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


def _failed(exc: Exception) -> IngestSummary:
    if isinstance(exc, JobCancelled):
        return IngestSummary(cancelled=True)
    return IngestSummary(error=str(exc))


def ingest_job(db_path: Path, paths: list[Path]) -> Job:
    """Ingest wire files through the file journal (desk.wire.ingest_paths)."""

    def work(desk: Desk, progress: Progress) -> IngestSummary:
        report = desk.wire.ingest_paths(paths, progress=progress)
        return IngestSummary(report.arrivals.as_dict(), report.files,
                             [(str(p), reason) for p, reason in report.rejected])

    return Job(db_path, work, fail=_failed)


def watch_job(db_path: Path, folder: Path) -> Job:
    """One pass over a watched folder (desk/wire_watch.py)."""

    def work(desk: Desk, progress: Progress) -> IngestSummary:
        report = FolderWatch(desk.wire, folder).run(once=True, progress=progress)
        return IngestSummary(report.arrivals.as_dict(), len(report.done), report.rejected)

    return Job(db_path, work, fail=_failed)


class IngestProgress(JobProgress):
    """A file ingest a person waits for: its progress dialog, then the summary."""

    def __init__(self, window: StoryWindow, paths: list[Path], *, quiet: bool = False):
        super().__init__(window.dialog_parent(), window.jobs, ingest_job(window.desk.path, paths),
                         title="Ingest", verb="Ingesting", show_summary=show_summary,
                         quiet=quiet)


def summary_text(summary: IngestSummary) -> str:
    if summary.error:
        return f"The ingest stopped: {summary.error}"
    if summary.cancelled:
        return "Ingest cancelled; the batches written before stay in the queue."
    counts = summary.counts
    lines = [f"{summary.files} file(s): {counts.get('new', 0)} new, "
             f"{counts.get('updated', 0)} updated, {counts.get('duplicates', 0)} duplicate(s)."]
    lines.extend(f"• {reason}" for _name, reason in summary.rejected[:20])
    return "\n".join(lines)


def show_summary(parent: QWidget, summary: object) -> None:
    QMessageBox.information(parent, "Ingest", summary_text(cast(IngestSummary, summary)))


class FolderWatcher(QObject):
    """The window's watched folder (a setting kept between sessions): while on, a pass
    every half second as a job in the "wire" lane, its progress told, no dialog in the way."""

    passed = Signal(object)  # IngestSummary of a pass
    progress = Signal(int, int, str)

    def __init__(self, window: StoryWindow):
        widget = cast(QWidget, window)
        super().__init__(widget)
        self._window = window
        self.timer = QTimer(self, interval=WATCH_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.job: Job | None = None
        widget.installEventFilter(self)  # the window closing stops the watch
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    @property
    def folder(self) -> str:
        return str(open_settings().value(WATCH_KEY, "") or "")

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def set_folder(self, folder: Path) -> None:
        open_settings().setValue(WATCH_KEY, str(folder))

    def set_on(self, on: bool) -> None:
        open_settings().setValue(WATCH_ON_KEY, "true" if on else "false")
        if on and self.folder:
            self.timer.start()
        else:
            self.stop()

    def saved_on(self) -> bool:
        return bool(self.folder) and open_settings().value(WATCH_ON_KEY, "false") == "true"

    def _tick(self) -> None:
        widget = cast(QWidget, self._window)
        if not widget.isVisible():
            self.stop()  # the window closed (a close that was refused keeps it visible)
            return
        folder = Path(self.folder)
        if self.job is not None or not folder.is_dir() or not look(folder):
            return  # one pass at a time; nothing there: no need to open a desk
        self.job = watch_job(self._window.desk.path, folder)
        self.job.progress.connect(self.progress)
        self.job.finished.connect(self._finished)
        self._window.jobs.start(self.job, WATCH_LANE)

    def _finished(self, summary: object) -> None:
        self.job = None
        self.passed.emit(summary)

    def stop(self) -> None:
        """Stop watching (the setting stays): the pass under way ends its batch first."""
        self.timer.stop()
        if self.job is not None:
            self.job.cancel()
            self._window.jobs.wait(WATCH_LANE)
            self.job = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False


def watcher_of(window: StoryWindow) -> FolderWatcher:
    """The window's one FolderWatcher, made on first use."""
    found = cast(QWidget, window).findChild(FolderWatcher)
    return found if found is not None else FolderWatcher(window)


def resume_watching(window: StoryWindow) -> None:
    """At startup: watch the folder again if it was being watched when the window closed."""
    if cast(QWidget, window).isVisible() and open_settings().value(WATCH_ON_KEY, "false") == "true":
        watcher = watcher_of(window)
        if watcher.saved_on():
            watcher.set_on(True)
