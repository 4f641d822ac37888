"""The Wire view's background work: ingest jobs (files, or one pass over a folder) in a
worker thread with its own Desk, and the window's watched folder, a pass each half second.

A sqlite3 connection belongs to the thread that opened it, so each job opens its own Desk,
as the import does; the window never waits for a burst.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QMessageBox, QWidget

from newsdesk.desk import Desk
from newsdesk.desk.wire_watch import FolderWatch
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui.settings import open_settings
from newsdesk.wire.watch import look

WATCH_KEY = "wire/watch_folder"
WATCH_ON_KEY = "wire/watch_on"
WATCH_INTERVAL_MS = 500  # a pass each half second: a file is in within a second


class IngestCancelled(NewsdeskError):
    """The user pressed Cancel; the batches written before stay."""


@dataclass
class IngestSummary:
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


class IngestWorker(QObject):
    """Runs in a QThread: ingests `paths`, or one pass over a watched `folder`."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # IngestSummary

    def __init__(self, db_path: Path, *, paths: list[Path] | None = None,
                 folder: Path | None = None):
        super().__init__()
        self._db_path, self._paths, self._folder = db_path, paths or [], folder
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True  # read between files by the progress callback

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self._cancel:
            raise IngestCancelled("cancelled")
        self.progress.emit(done, total, name)

    @Slot()
    def run(self) -> None:
        summary = IngestSummary()
        try:
            if self._folder is not None and not look(self._folder):
                self.finished.emit(summary)  # nothing there: no need to open the desk
                return
            with Desk.open(self._db_path, existing=True) as desk:
                wire = desk.wire
                if self._folder is not None:
                    report = FolderWatch(wire, self._folder).run(once=True,
                                                                 progress=self._on_progress)
                    summary.files, summary.rejected = len(report.done), report.rejected
                else:
                    ingest = wire.ingest_paths(self._paths, progress=self._on_progress)
                    summary.files = ingest.files
                    summary.rejected = [(str(p), r) for p, r in ingest.rejected]
                    report = ingest  # type: ignore[assignment]
                summary.counts = report.arrivals.as_dict()
        except IngestCancelled:
            summary.cancelled = True
        except (NewsdeskError, OSError) as exc:
            summary.error = str(exc)
        self.finished.emit(summary)


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
    QMessageBox.information(parent, "Ingest", summary_text(summary))  # type: ignore[arg-type]


class FolderWatcher(QObject):
    """The window's watched folder (a setting kept between sessions): while on, a pass
    every half second in a worker thread, its progress told, no dialog in the way."""

    passed = Signal(object)  # IngestSummary of a pass
    progress = Signal(int, int, str)

    def __init__(self, window: QWidget, db_path: Path):
        super().__init__(window)
        self.db_path = db_path
        self.timer = QTimer(self, interval=WATCH_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.thread: QThread | None = None
        self.worker: IngestWorker | None = None
        window.installEventFilter(self)  # the window closing stops the watch
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
        window = self.parent()
        if isinstance(window, QWidget) and not window.isVisible():
            self.stop()  # the window closed (a close that was refused keeps it visible)
            return
        folder = Path(self.folder)
        if self.thread is not None or not folder.is_dir():
            return  # one pass at a time
        self.thread, self.worker = QThread(self), IngestWorker(self.db_path, folder=folder)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self.progress)
        self.worker.finished.connect(self._finished)
        self.thread.start()

    def _finished(self, summary: object) -> None:
        self._join()
        self.passed.emit(summary)

    def _join(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        # Dropped, not deleteLater(): PySide frees the worker's wrapper with the last
        # reference (see jobs/wire_task.py).
        self.thread = self.worker = None

    def stop(self) -> None:
        """Stop watching (the setting stays): the pass under way ends its batch first."""
        self.timer.stop()
        if self.worker is not None:
            self.worker.cancel()
        self._join()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False


def watcher_of(window: QWidget, db_path: Path) -> FolderWatcher:
    """The window's one FolderWatcher, made on first use."""
    found = window.findChild(FolderWatcher)
    return found if found is not None else FolderWatcher(window, db_path)


def resume_watching(window: QWidget, db_path: Path) -> None:
    """At startup: watch the folder again if it was being watched when the window closed."""
    if window.isVisible() and open_settings().value(WATCH_ON_KEY, "false") == "true":
        watcher = watcher_of(window, db_path)
        if watcher.saved_on():
            watcher.set_on(True)
