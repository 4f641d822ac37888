"""The Sync action: a dialog that syncs with a folder off the GUI thread, with progress and
a summary, and opens the conflict resolver when a pass leaves conflicts.

The File menu's entries that open it are in features/file_menu.py (SyncTools). The pass
is a job (jobs/runner.py) with its own Desk; the window keeps working, and hears what
the pass changed as it happens (ui/events.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
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
from newsdesk.sync.report import ATTENTION_KINDS, SyncReport
from newsdesk.ui.jobs.runner import Job, JobCancelled, JobRunner, Progress
from newsdesk.ui.settings import open_settings

FOLDER_KEY = "sync/folder"


@dataclass
class SyncOutcome:
    report: SyncReport | None = None
    error: str = ""
    cancelled: bool = False


def sync_job(db_path: Path, folder: Path, restore_missing: bool) -> Job:
    """One pass with `folder` on a worker with its own Desk; the result is a SyncOutcome."""

    def work(desk: Desk, progress: Progress) -> SyncOutcome:
        return SyncOutcome(desk.sync(folder, progress, restore_missing=restore_missing))

    def fail(exc: Exception) -> SyncOutcome:
        if isinstance(exc, JobCancelled):
            return SyncOutcome(cancelled=True)
        return SyncOutcome(error=str(exc))

    return Job(db_path, work, fail=fail)


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

    def __init__(self, db_path: Path, runner: JobRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Sync with Folder")
        self.setObjectName("syncDialog")
        self._db_path = db_path
        self._runner = runner
        self._job: Job | None = None
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
        return self._job is not None

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
        self._job = sync_job(self._db_path, folder, self.restore_missing.isChecked())
        self._job.progress.connect(self._progress)
        self._job.finished.connect(self._finished)
        self._runner.start(self._job)

    def stop(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.status.setText("Stopping after the story in progress…")

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(f"Settled {done} of {total} changed stories…")

    def _finished(self, outcome: SyncOutcome) -> None:
        self._job = None
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
            self._runner.wait("work")
        super().closeEvent(event)
