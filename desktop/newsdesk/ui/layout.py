"""The window's pane layout: default split, restoring and saving it, and resetting it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

# Default share of the width: list 35 %, editor 40 %, metadata 25 %.
DEFAULT_SPLIT = (35, 40, 25)
DEFAULT_SIZE = (1440, 900)


def _split(width: int) -> list[int]:
    return [width * share // 100 for share in DEFAULT_SPLIT]


def restore(window: MainWindow) -> None:
    """Geometry, pane sizes and visibility, list columns and sort, as last left."""
    s = window.settings
    geometry = s.geometry()
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*DEFAULT_SIZE)
    state = s.window_state()
    if state is not None:
        window.restoreState(state)
    splitter = s.splitter("main")
    if splitter is None or not window.splitter.restoreState(splitter):
        window.splitter.setSizes(_split(DEFAULT_SIZE[0]))
    header = s.header()
    if header is not None:
        window.story_list.restore_header(header)
    for key, pane in (("list", window.list_pane), ("metadata", window.metadata)):
        visible = s.pane_visible(key)
        window.actions_[f"toggle_{key}"].setChecked(visible)
        pane.setVisible(visible)


def save(window: MainWindow) -> None:
    current = window.current_story()
    window.settings.save(
        geometry=window.saveGeometry(),
        window_state=window.saveState(),
        splitters={"main": window.splitter.saveState()},
        header=window.story_list.horizontalHeader().saveState(),
        last_story=current.id if current else "",
        panes={"list": window.list_pane.isVisible(), "metadata": window.metadata.isVisible()},
    )


def reset(window: MainWindow) -> None:
    """Every pane shown, at the default split."""
    for key in ("toggle_list", "toggle_metadata"):
        window.actions_[key].setChecked(True)
    window.editor_tabs.setCurrentIndex(0)
    window.splitter.setSizes(_split(max(window.splitter.width(), DEFAULT_SIZE[0])))
