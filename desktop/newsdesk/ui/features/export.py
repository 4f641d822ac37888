"""File › Export for Publishing…: the dialog, then the export as a job with a progress
dialog (dialogs/export.py, imported when first asked). The story being typed is saved
first; the stories marked published reach the panes as Changes (ui/events.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from newsdesk.ui.dialogs.export import ExportController, ExportSummary
    from newsdesk.ui.window import StoryWindow


class ExportAction(QObject):
    """Runs the registry's export action; `exported(summary)` after each export."""

    exported = Signal(object)

    def __init__(self, window: StoryWindow) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.controllers: list[ExportController] = []
        window.actions_["export"].triggered.connect(lambda _checked=False: self.run())

    def run(self, fmt: str | None = None, folder: Path | None = None,
            *, quiet: bool = False) -> ExportController | None:
        """Export; with `fmt` and `folder` given, without asking (scripts and tests)."""
        from newsdesk.ui.dialogs.export import ExportController, ask_and_export

        window = self.window
        window.save_now()  # the story being typed goes out as saved, not as it was
        parent = window.dialog_parent()
        if fmt is None or folder is None:
            controller = ask_and_export(parent, window.desk, window.jobs, quiet=quiet)
        else:
            controller = ExportController(parent, window.desk, fmt, folder, quiet=quiet,
                                          runner=window.jobs)
            controller.start()
        if controller is not None:
            controller.done.connect(self._finished)
            self.controllers.append(controller)
        return controller

    def _finished(self, summary: ExportSummary) -> None:
        self.controllers = [c for c in self.controllers if c.running()]
        self.exported.emit(summary)
