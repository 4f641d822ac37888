"""Keeps the Preview tab showing the open story as an article, as it is typed.

Rendering costs time on long bodies, so the preview follows the editor and the metadata
panel only while its tab is on screen, and catches up when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget

from newsdesk.ui.editor import PreviewPane
from newsdesk.ui.features import renditions

if TYPE_CHECKING:
    from newsdesk.ui.window import StoryWindow


class Preview:
    """The Preview tab of the editor's tabs, fed from the window's open story."""

    def __init__(self, window: StoryWindow, tabs: QTabWidget, pane: PreviewPane) -> None:
        self.window = window
        self.tabs = tabs
        self.pane = pane
        window.actions_["toggle_preview"].toggled.connect(
            lambda on: tabs.setCurrentIndex(1 if on else 0)
        )
        tabs.currentChanged.connect(self._tab_changed)
        # The story's pictures as published: the cached web renditions; those not made
        # yet (a picture that came by sync) are made in the background, then shown.
        jobs = renditions.for_window(window)
        pane.picture_source = lambda picture: window.desk.media.cached_rendition(picture, web=True)
        pane.on_missing = jobs.ensure
        jobs.ready.connect(lambda: self.refresh(at_once=True))

    def refresh(self, at_once: bool = False) -> None:
        if self.tabs.currentIndex() != 1:
            return
        story = self.window.story_in_window()
        if story is None:
            self.pane.show_markdown("", at_once=at_once)
        else:
            self.pane.show_story(story, at_once=at_once)

    def _tab_changed(self, index: int) -> None:
        self.window.actions_["toggle_preview"].setChecked(index == 1)
        if index == 1:
            self.refresh(at_once=True)
