"""Importing files off the GUI thread: a worker with its own Desk, a progress dialog, a summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from newsdesk.desk import Desk
from newsdesk.model import NewsdeskError
from newsdesk.ui.jobs.runner import BackgroundTask


class ImportCancelled(NewsdeskError):
    """The user pressed Cancel; files already imported stay imported."""


@dataclass
class ImportSummary:
    imported_ids: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


class ImportWorker(QObject):
    """Runs in a QThread. It opens its own Desk: a sqlite3 connection is the opener thread's."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # ImportSummary

    def __init__(self, db_path: Path, paths: list[Path]):
        super().__init__()
        self._db_path = db_path
        self._paths = paths
        self._cancel = False

    def cancel(self) -> None:
        # A plain flag read by the progress callback between files; no lock needed for a bool.
        self._cancel = True

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self._cancel:
            raise ImportCancelled("import cancelled")
        self.progress.emit(done, total, name)

    @Slot()
    def run(self) -> None:
        summary = ImportSummary()
        try:
            with Desk.open(self._db_path) as desk:
                report = desk.import_paths(self._paths, progress=self._on_progress)
        except ImportCancelled:
            summary.cancelled = True
        except (NewsdeskError, OSError) as exc:
            summary.error = str(exc)
        else:
            summary.imported_ids = [story.id for story in report.imported]
            summary.rejected = [(str(path), reason) for path, reason in report.rejected]
            summary.notes = [(str(path), note) for path, note in report.notes]
        self.finished.emit(summary)


class ImportController(BackgroundTask):
    """Starts one import, shows progress, and reports back with `done(summary)`."""

    def __init__(self, parent: QWidget, db_path: Path, paths: list[Path], *, quiet: bool = False):
        super().__init__(
            parent,
            ImportWorker(db_path, paths),
            title="Import",
            verb="Importing",
            show_summary=show_summary,
            quiet=quiet,
        )


class Importer(QObject):
    """The window's import front door: the file chooser, dropped files, running imports."""

    finished = Signal(object)  # ImportSummary, after the summary was shown

    def __init__(self, parent: QWidget, db_path: Path):
        super().__init__(parent)
        self._parent = parent
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
        controller = ImportController(self._parent, self._db_path, paths, quiet=quiet)
        controller.done.connect(self._done)
        self.running.append(controller)
        controller.start()
        return controller

    def _done(self, summary: ImportSummary) -> None:
        self.running = [c for c in self.running if c.thread.isRunning()]
        self.finished.emit(summary)

    def stop_all(self) -> None:
        """Cancel and wait for running imports (closing the window)."""
        for controller in self.running:
            controller.worker.cancel()
            controller.thread.quit()
            controller.thread.wait()


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
