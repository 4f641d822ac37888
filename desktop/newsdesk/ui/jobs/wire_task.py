"""The wire ingest's worker in a QThread, with a progress dialog and a summary.

The wire queue's ingest (ui/features/wire.py, wire_ingest.py) still runs here instead of
in the one job runner (runner.py): its worker streams a watched folder's files and owns
its Desk for the whole watch. Folding it into a runner lane is open work (issue 18)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class BackgroundTask(QObject):
    """Runs one worker (signals `progress(done, total, name)` and `finished(summary)`, slots
    `run` and `cancel`) in its own thread, shows progress, then the summary; `done(summary)`
    tells the caller."""

    done = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        worker: QObject,
        *,
        title: str,
        verb: str,
        show_summary: Callable[[QWidget, object], None],
        quiet: bool = False,
    ):
        super().__init__(parent)
        self._parent = parent
        self._verb = verb
        self._show_summary = show_summary
        self._quiet = quiet
        self.thread = QThread(self)
        self.worker = worker
        self.worker.moveToThread(self.thread)
        self.dialog = QProgressDialog(f"{verb}…", "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        # Direct: the worker is busy in its own thread and checks the flag between files.
        self.dialog.canceled.connect(self.worker.cancel, Qt.ConnectionType.DirectConnection)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)

    def start(self) -> None:
        self.thread.start()

    def _progress(self, done: int, total: int, name: str) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done - 1)
        self.dialog.setLabelText(f"{self._verb} {name} ({done} of {total})")

    def _finished(self, summary: object) -> None:
        self.thread.quit()
        self.thread.wait()
        # The dialog may outlive this task (it belongs to the window): cut its direct line
        # to the worker before either goes away.
        self.dialog.canceled.disconnect()
        self.dialog.close()
        self.dialog.deleteLater()
        if not self._quiet:
            self._show_summary(self._parent, summary)
        # No deleteLater() of the task: the worker's Python wrapper outlives a C++ delete
        # and crashes PySide when freed; the owner drops the finished task instead.
        self.done.emit(summary)
