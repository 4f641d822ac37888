"""File › Import… and files dropped on the window: stories imported in a job (the list
hears of them through ui/events.py), the first one selected; pictures dropped go to the
photos feature instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from newsdesk.domain import wording
from newsdesk.ui.features import photos
from newsdesk.ui.jobs.imports import ImportController, Importer, ImportSummary

if TYPE_CHECKING:
    from newsdesk.ui.jobs.autosave import Autosaver
    from newsdesk.ui.panes.story_list_view import StoryListView
    from newsdesk.ui.window import StoryWindow


class ImportDrops(QObject):
    """Imports chosen in a file dialog or dropped, with the open story saved first."""

    def __init__(self, window: StoryWindow, importer: Importer, autosaver: Autosaver,
                 story_list: StoryListView) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.importer = importer
        self.autosaver = autosaver
        self.story_list = story_list
        window.actions_["import"].triggered.connect(
            lambda: self.import_paths(importer.choose_files()))
        importer.finished.connect(self._imported)

    def import_paths(self, paths: list, *, quiet: bool = False) -> ImportController | None:
        """Import in a job; the list hears of the new stories, and the first is selected."""
        if not paths:
            return None
        self.autosaver.flush()
        return self.importer.start(paths, quiet=quiet)

    def _imported(self, summary: ImportSummary) -> None:
        if summary.imported_ids:
            self.story_list.select_story(summary.imported_ids[0])
        self.window.show_message(
            f"Imported {wording.count(len(summary.imported_ids), 'story')}")

    def drag_enter(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if photos.picture_paths(mime) or self.importer.dropped_paths(mime):
            event.acceptProposedAction()

    def drop(self, event: QDropEvent, pictures: photos.Photos) -> None:
        """Pictures to the open story (the photos feature), other files imported."""
        if pictures.take_drop(event):
            return
        paths = self.importer.dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
