"""Export for publishing in the window: dialog, background worker, progress, summary.

The dialog asks for the format and the folder; a job (jobs/runner.py) with its own Desk
runs Desk.export; the summary says what went out, what was held back (stories with an
open sync conflict apart, with what clashed) and what was withdrawn.
The File menu's entry that opens it is in features/file_menu.py (ExportAction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.identity.profile import Profile
from newsdesk.ui.jobs.runner import Job, JobCancelled, JobProgress, JobRunner, Progress

FORMAT_LABELS = {
    "hugo": "Hugo site content (sections as folders)",
    "ninjs": "IPTC ninjs 2.2 (JSON)",
    "html": "HTML pages",
}
_SETTINGS_KEY = "export/folder/"


@dataclass
class ExportSummary:
    fmt: str
    out_dir: str
    text: str = ""
    held: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # held back for a sync conflict
    withdrawn: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    published_ids: list[str] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


class ExportDialog(QDialog):
    """Choose the format and the folder; the folder last used for a format comes back."""

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export for Publishing")
        self._settings = settings or QSettings()
        self.format_box = QComboBox()
        for key, label in FORMAT_LABELS.items():
            self.format_box.addItem(label, key)
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText("Folder the publishing system reads")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.full_box = QCheckBox("Render every story again (repairs files changed by hand)")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format:", self.format_box)
        form.addRow("Folder:", folder_row)
        form.addRow("", self.full_box)
        form.addRow(self.buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.folder_edit.textChanged.connect(self._update_ok)
        self._format_changed()

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def _format_changed(self) -> None:
        self.folder_edit.setText(str(self._settings.value(_SETTINGS_KEY + self.fmt(), "")))
        self._update_ok()

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.folder_edit.text().strip()))

    def _browse(self) -> None:
        start = self.folder_edit.text().strip() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Export folder", start)
        if chosen:
            self.folder_edit.setText(chosen)

    def accept(self) -> None:
        self._settings.setValue(_SETTINGS_KEY + self.fmt(), str(self.folder()))
        super().accept()


def export_job(db_path: Path, profile: Profile, fmt: str, out_dir: Path, full: bool) -> Job:
    """Desk.export on a worker with its own Desk, as `profile`; the result an ExportSummary."""

    def work(desk: Desk, progress: Progress) -> ExportSummary:
        report = desk.export(fmt, out_dir, progress=progress, full=full)
        summary = ExportSummary(fmt, str(out_dir), text=report.summary())
        conflicted = set(report.conflicted)
        summary.held = [f"{slug}: {reason}" for story_id, slug, reason in report.skipped
                        if story_id not in conflicted]
        summary.conflicts = [f"{slug}: {reason}" for story_id, slug, reason
                             in report.skipped if story_id in conflicted]
        summary.withdrawn = [f"{w.slug}: {w.reason}" for w in report.withdrawn]
        summary.notes = list(report.notes)
        summary.published_ids = list(report.published)
        return summary

    def fail(exc: Exception) -> ExportSummary:
        if isinstance(exc, JobCancelled):
            return ExportSummary(fmt, str(out_dir), cancelled=True)
        return ExportSummary(fmt, str(out_dir), error=str(exc))

    return Job(db_path, work, profile=profile, fail=fail)


class ExportController(JobProgress):
    """One export as a job with its progress dialog; reports back with `done`."""

    def __init__(self, parent: QWidget, desk: Desk, fmt: str, out_dir: Path, *,
                 full: bool = False, quiet: bool = False, runner: JobRunner | None = None):
        super().__init__(
            parent,
            runner or JobRunner(parent),
            export_job(desk.path, desk.profile, fmt, out_dir, full),
            title="Export",
            verb="Exporting",
            show_summary=show_summary,
            quiet=quiet,
        )


def summary_text(summary: ExportSummary) -> str:
    if summary.error:
        return f"The export stopped: {summary.error}\n\nNo story was marked published."
    if summary.cancelled:
        return "Export cancelled. No story was marked published; export again to finish."
    lines = [summary.text]
    for title, items in (
        ("Not exported: unresolved sync conflicts (resolve them, then export again)",
         summary.conflicts),
        ("Held back", summary.held), ("Withdrawn", summary.withdrawn), ("Notes", summary.notes),
    ):
        if items:
            lines.append(f"\n{title}:")
            lines.extend(f"• {item}" for item in items[:15])
            if len(items) > 15:
                lines.append(f"• … and {len(items) - 15} more")
    return "\n".join(lines)


def show_summary(parent: QWidget, summary: ExportSummary) -> None:
    warn = summary.error or summary.held or summary.conflicts or summary.notes
    icon = QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Information
    box = QMessageBox(icon, "Export", summary_text(summary), QMessageBox.StandardButton.Ok,
                      parent)
    box.open()


def ask_and_export(parent: QWidget, desk: Desk, runner: JobRunner, *, quiet: bool = False
                   ) -> ExportController | None:
    """Ask for format and folder, then export in the background; None if cancelled."""
    dialog = ExportDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    controller = ExportController(parent, desk, dialog.fmt(), dialog.folder(),
                                  full=dialog.full_box.isChecked(), quiet=quiet, runner=runner)
    controller.start()
    return controller
