"""Keeps the Preview tab showing the open story as an article, as it is typed.

Rendering costs time on long bodies, so the preview follows the editor and the metadata
panel only while its tab is on screen, and catches up when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow


def refresh(window: MainWindow, at_once: bool = False) -> None:
    if window.editor_tabs.currentIndex() != 1:
        return
    story = window.desk_tools.story_in_window() if hasattr(window, "desk_tools") else None
    if story is None:
        window.preview.show_markdown(window.editor.markdown(), at_once=at_once)
    else:
        window.preview.show_story(story, at_once=at_once)


def _tab_changed(window: MainWindow, index: int) -> None:
    window.actions_["toggle_preview"].setChecked(index == 1)
    if index == 1:
        refresh(window, at_once=True)


def install(window: MainWindow) -> None:
    window.actions_["toggle_preview"].toggled.connect(
        lambda on: window.editor_tabs.setCurrentIndex(1 if on else 0)
    )
    window.editor_tabs.currentChanged.connect(lambda index: _tab_changed(window, index))
    for signal in (window.editor.changed, window.metadata.changed):
        signal.connect(lambda: refresh(window))
