"""The desk's sections where the window lists them (the filter bar, the metadata panel's
choice), read again when a change touches them, and Story › Manage Sections…"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from newsdesk.desk import Changes

if TYPE_CHECKING:
    from newsdesk.ui.panes.filter_bar import FilterBar
    from newsdesk.ui.panes.metadata_panel import MetadataPanel
    from newsdesk.ui.window import StoryWindow


class SectionLists(QObject):
    """Keeps the filter bar's and the metadata panel's sections those of the desk."""

    def __init__(self, window: StoryWindow, filter_bar: FilterBar,
                 metadata: MetadataPanel) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.filter_bar = filter_bar
        self.metadata = metadata
        window.events.changed.connect(self._heard)
        window.actions_["manage_sections"].triggered.connect(self.manage)
        metadata.manage_sections_requested.connect(self.manage)

    def _heard(self, changes: Changes) -> None:
        if changes.sections or changes.everything:
            self.reload()

    def reload(self) -> None:
        sections = self.window.desk.sections()
        self.filter_bar.set_sections(sections)
        self.metadata.set_sections(sections)

    def manage(self) -> None:
        from newsdesk.ui.dialogs.sections import SectionsDialog  # a dialog: when first asked

        SectionsDialog(self.window.desk, self.window.dialog_parent()).exec()
