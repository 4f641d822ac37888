"""The window's pane layout: default split, restoring and saving it, and resetting it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

# Default share of the width: list 45 %, editor 37 %, metadata 18 %. At 1440 px the list
# shows all seven columns with a 160 px headline and the editor keeps a 60-character line.
DEFAULT_SPLIT = (45, 37, 18)
DEFAULT_SIZE = (1440, 900)
# Versioned with the split: sizes saved for the narrower list of old would squeeze its columns.
SPLITTER = "main-v2"


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
    splitter = s.splitter(SPLITTER)
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
        splitters={SPLITTER: window.splitter.saveState()},
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
