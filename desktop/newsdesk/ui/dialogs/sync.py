"""The Sync action: a dialog that syncs with a folder off the GUI thread, with progress and
a summary, and opens the conflict resolver when a pass leaves conflicts.

The File menu's entries that open it are in file_tools.py (SyncTools). The
pass runs in a worker thread with its own Desk (a sqlite3 connection belongs to the
thread that opened it); the window keeps working and refreshes its list afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.model import NewsdeskError
from newsdesk.sync.report import ATTENTION_KINDS, SyncReport
from newsdesk.ui.settings import open_settings

FOLDER_KEY = "sync/folder"


class SyncCancelled(NewsdeskError):
    """The user pressed Stop: the batch in progress is rolled back, earlier ones stay."""


@dataclass
class SyncOutcome:
    report: SyncReport | None = None
    error: str = ""
    cancelled: bool = False


class SyncWorker(QObject):
    """Runs one pass in a QThread, on a Desk opened in that thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # SyncOutcome

    def __init__(self, db_path: Path, folder: Path, restore_missing: bool):
        super().__init__()
        self._db_path = db_path
        self._folder = folder
        self._restore_missing = restore_missing
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _on_progress(self, done: int, total: int, label: str) -> None:
        if self._cancel:
            raise SyncCancelled("sync stopped")
        self.progress.emit(done, total, label)

    @Slot()
    def run(self) -> None:
        outcome = SyncOutcome()
        try:
            with Desk.open(self._db_path) as desk:
                outcome.report = desk.sync(
                    self._folder, self._on_progress, restore_missing=self._restore_missing
                )
        except SyncCancelled:
            outcome.cancelled = True
        except (NewsdeskError, OSError) as exc:
            outcome.error = str(exc)
        self.finished.emit(outcome)


def report_text(outcome: SyncOutcome) -> str:
    """The summary shown after a pass: counts first, then what needs a person."""
    if outcome.cancelled:
        return "Sync stopped. Stories settled before the stop are synced; run it again."
    if outcome.error:
        return f"Sync failed: {outcome.error}"
    report = outcome.report
    assert report is not None
    lines = [report.summary()]
    attention = report.attention
    if attention:
        lines.append("")
        lines.append("Needs attention:")
        lines.extend(f"• {e.kind}: {e.message}" for e in attention[:50])
        if len(attention) > 50:
            lines.append(f"• … and {len(attention) - 50} more")
    changes = [e for e in report.entries if e.kind not in ATTENTION_KINDS]
    if changes:
        lines.append("")
        lines.append("Changes:")
        lines.extend(f"• {e.kind}: {e.message}" for e in changes[:50])
        if len(changes) > 50:
            lines.append(f"• … and {len(changes) - 50} more")
    return "\n".join(lines)


class SyncDialog(QDialog):
    """Choose the folder, run the pass, read the summary; modeless."""

    synced = Signal(object)  # SyncOutcome
    conflicts_requested = Signal()

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Sync with Folder")
        self.setObjectName("syncDialog")
        self._db_path = db_path
        self._thread: QThread | None = None
        self._worker: SyncWorker | None = None
        self.folder_edit = QLineEdit(str(open_settings().value(FOLDER_KEY, "") or ""))
        self.folder_edit.setPlaceholderText("A shared folder or a git clone")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.restore_missing = QCheckBox("Write back files that vanished from the folder")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("Stories are exchanged both ways; nothing is deleted silently.")
        self.status.setWordWrap(True)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setPlaceholderText("The summary of the pass appears here.")
        self.buttons = QDialogButtonBox()
        self.sync_button = self.buttons.addButton("Sync", QDialogButtonBox.ButtonRole.AcceptRole)
        self.stop_button = self.buttons.addButton("Stop", QDialogButtonBox.ButtonRole.ActionRole)
        self.conflicts_button = self.buttons.addButton(
            "Resolve Conflicts…", QDialogButtonBox.ButtonRole.ActionRole
        )
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.stop_button.setEnabled(False)
        self.conflicts_button.setVisible(False)
        self.sync_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        close.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(QLabel("Folder:"))
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.restore_missing)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 420)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Sync folder", self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)

    def start(self) -> None:
        text = self.folder_edit.text().strip()
        if not text or self.running:
            self.status.setText("Choose a folder first." if not text else self.status.text())
            return
        folder = Path(text).expanduser()
        open_settings().setValue(FOLDER_KEY, str(folder))
        self.summary.clear()
        self.conflicts_button.setVisible(False)
        self.progress.setRange(0, 0)  # busy until the pass knows how much there is
        self.status.setText(f"Syncing with {folder}…")
        self.sync_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._thread = QThread(self)
        self._worker = SyncWorker(self._db_path, folder, self.restore_missing.isChecked())
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._progress)
        self._worker.finished.connect(self._finished)
        self._thread.start()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            self.status.setText("Stopping after the story in progress…")

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Settled {done} of {total} changed stories…")

    def _finished(self, outcome: SyncOutcome) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = self._worker = None
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.sync_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.summary.setPlainText(report_text(outcome))
        report = outcome.report
        if report is not None and report.stopped:
            self.status.setText("The sync stopped before changing anything; see below.")
        elif report is not None:
            self.status.setText(report.summary())
        else:
            self.status.setText(outcome.error or "Sync stopped.")
        self.conflicts_button.setVisible(bool(report and report.of("conflict")))
        self.synced.emit(outcome)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.running:
            self.stop()
            assert self._thread is not None
            self._thread.quit()
            self._thread.wait()
        super().closeEvent(event)
