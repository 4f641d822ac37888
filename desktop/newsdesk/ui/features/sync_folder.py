"""File › Sync with Folder… and File › Sync Conflicts…: the sync dialog (a job with its
own Desk, dialogs/sync.py) and the conflict resolver (dialogs/sync_conflicts.py), both
imported when first opened. What a pass or a resolution changes reaches the panes as
Changes (ui/events.py); nothing here refreshes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from newsdesk.ui.dialogs.sync import SyncDialog, SyncOutcome
    from newsdesk.ui.window import StoryWindow


class SyncTools(QObject):
    """The window's sync front door: the registry's sync actions, the dialog, the resolver."""

    def __init__(self, window: StoryWindow) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.dialog: SyncDialog | None = None
        self.sync_action = window.actions_["sync"]
        self.conflicts_action = window.actions_["sync_conflicts"]
        self.sync_action.triggered.connect(self.open_dialog)
        self.conflicts_action.triggered.connect(self.open_conflicts)

    def open_dialog(self) -> SyncDialog:
        from newsdesk.ui.dialogs.sync import SyncDialog

        if self.dialog is None:
            self.window.save_now()  # the story being typed goes out as saved
            self.dialog = SyncDialog(self.window.desk.path, self.window.jobs,
                                     self.window.dialog_parent())
            self.dialog.synced.connect(self._synced)
            self.dialog.conflicts_requested.connect(self.open_conflicts)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def open_conflicts(self) -> QDialog:
        from newsdesk.ui.dialogs.sync_conflicts import ConflictResolver

        resolver = ConflictResolver(self.window.desk, self.window.dialog_parent())
        resolver.open()
        return resolver

    def _synced(self, outcome: SyncOutcome) -> None:
        if outcome.report is not None:
            self.window.show_message(outcome.report.summary(), 8000)

    def shutdown(self) -> None:
        if self.dialog is not None and self.dialog.running:
            self.dialog.close()
