"""Importing files as a job (ui/jobs/runner.py): its own Desk, a progress dialog, a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from newsdesk.desk import Desk
from newsdesk.ui.jobs.runner import Job, JobCancelled, JobProgress, JobRunner, Progress


@dataclass
class ImportSummary:
    imported_ids: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


def import_job(db_path: Path, paths: list[Path]) -> Job:
    """Import `paths` on a worker with its own Desk; the result is an ImportSummary."""

    def work(desk: Desk, progress: Progress) -> ImportSummary:
        report = desk.import_paths(paths, progress=progress)
        return ImportSummary(
            imported_ids=[story.id for story in report.imported],
            rejected=[(str(path), reason) for path, reason in report.rejected],
            notes=[(str(path), note) for path, note in report.notes],
        )

    def fail(exc: Exception) -> ImportSummary:
        if isinstance(exc, JobCancelled):
            return ImportSummary(cancelled=True)
        return ImportSummary(error=str(exc))

    return Job(db_path, work, fail=fail)


class ImportController(JobProgress):
    """One import with its progress dialog; reports back with `done(summary)`."""

    def __init__(self, parent: QWidget, runner: JobRunner, db_path: Path, paths: list[Path],
                 *, quiet: bool = False):
        super().__init__(parent, runner, import_job(db_path, paths), title="Import",
                         verb="Importing", show_summary=show_summary, quiet=quiet)


class Importer(QObject):
    """The window's import front door: the file chooser, dropped files, running imports."""

    finished = Signal(object)  # ImportSummary, after the summary was shown

    def __init__(self, parent: QWidget, runner: JobRunner, db_path: Path):
        super().__init__(parent)
        self._parent = parent
        self._runner = runner
        self._db_path = db_path
        self.running: list[ImportController] = []

    def choose_files(self) -> list[Path]:
        names, _filter = QFileDialog.getOpenFileNames(
            self._parent,
            "Import stories",
            str(Path.home()),
            "Stories (*.txt *.md *.markdown);;All files (*)",
        )
        return [Path(name) for name in names]

    @staticmethod
    def dropped_paths(mime: QMimeData) -> list[Path]:
        """Local files and folders in a drag; empty for anything else (text, web links)."""
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def start(self, paths: list[Path], *, quiet: bool = False) -> ImportController:
        controller = ImportController(self._parent, self._runner, self._db_path, paths,
                                      quiet=quiet)
        controller.done.connect(self._done)
        self.running.append(controller)
        controller.start()
        return controller

    def _done(self, summary: ImportSummary) -> None:
        self.running = [c for c in self.running if c.running()]
        self.finished.emit(summary)


def summary_text(summary: ImportSummary) -> str:
    if summary.error:
        return f"The import stopped: {summary.error}"
    count = len(summary.imported_ids)
    lines = [f"Imported {count} {'story' if count == 1 else 'stories'}."]
    if summary.cancelled:
        lines = ["Import cancelled; the files imported before stay in the desk."]
    if summary.rejected:
        lines.append(f"\n{len(summary.rejected)} not imported:")
        lines.extend(f"• {reason}" for _path, reason in summary.rejected[:20])
        if len(summary.rejected) > 20:
            lines.append(f"• … and {len(summary.rejected) - 20} more")
    if summary.notes:
        lines.append("\nNotes:")
        lines.extend(f"• {Path(path).name}: {note}" for path, note in summary.notes[:10])
    return "\n".join(lines)


def show_summary(parent: QWidget, summary: ImportSummary) -> None:
    icon = (
        QMessageBox.Icon.Warning
        if summary.rejected or summary.error
        else QMessageBox.Icon.Information
    )
    box = QMessageBox(icon, "Import", summary_text(summary), QMessageBox.StandardButton.Ok, parent)
    box.open()
