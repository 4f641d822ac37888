"""The window's pane layout: first size and split, restoring and saving it, and resetting it.

The first size comes from the screen the window opens on (a 1366x768 laptop gets a window
that fits it, frame and all); the split gives the metadata panel its full form, and the
story list hides its least needed columns where it would leave the headline no room.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

DEFAULT_SIZE = (1440, 900)
# What a window's frame and title bar take beside the client area, with some room to
# spare (a 1366x768 screen gets a window of 1350x720).
FRAME_ALLOWANCE = (16, 48)
METADATA_SHARE = 18  # % of the width, but never less than the form needs
LIST_SHARE = 55  # % of what the metadata panel leaves; the editor takes the rest
# Columns the list gives up first when it is narrow, so the headline keeps room to be
# read (they come back from the header's context menu).
OPTIONAL_COLUMNS = ("editor", "section", "updated_at", "slug")
MIN_HEADLINE = 140
# Versioned with the split: sizes saved for the narrower list of old would squeeze its columns.
SPLITTER = "main-v2"


def first_size(available_width: int, available_height: int) -> tuple[int, int]:
    """The window's first size on a screen whose free area is that wide and high."""
    return (
        min(DEFAULT_SIZE[0], available_width - FRAME_ALLOWANCE[0]),
        min(DEFAULT_SIZE[1], available_height - FRAME_ALLOWANCE[1]),
    )


def split(width: int, metadata_minimum: int) -> list[int]:
    """Widths of the list, the editor and the metadata panel across `width`."""
    metadata = max(metadata_minimum, width * METADATA_SHARE // 100)
    rest = max(0, width - metadata)
    story_list = rest * LIST_SHARE // 100
    return [story_list, rest - story_list, metadata]


def columns_to_hide(widths: dict[str, int], room: int) -> list[str]:
    """Optional columns to hide so that the headline gets MIN_HEADLINE of `room`."""
    fixed = sum(width for key, width in widths.items() if key != "headline")
    hidden: list[str] = []
    for key in OPTIONAL_COLUMNS:
        if room - fixed >= MIN_HEADLINE:
            break
        if key in widths:
            hidden.append(key)
            fixed -= widths[key]
    return hidden


def _first_layout(window: MainWindow) -> None:
    screen = window.screen().availableGeometry()
    width, height = first_size(screen.width(), screen.height())
    window.resize(width, height)
    frame = window.frameGeometry()
    frame.setSize(frame.size().expandedTo(window.size()))
    frame.moveCenter(screen.center())
    window.move(max(screen.left(), frame.left()), max(screen.top(), frame.top()))


def restore(window: MainWindow) -> None:
    """Geometry, pane sizes and visibility, list columns and sort, as last left."""
    s = window.settings
    geometry = s.geometry()
    if geometry is None or not window.restoreGeometry(geometry):
        _first_layout(window)
    state = s.window_state()
    if state is not None:
        window.restoreState(state)
    splitter = s.splitter(SPLITTER)
    if splitter is None or not window.splitter.restoreState(splitter):
        sizes = split(window.width(), window.metadata.minimumWidth())
        window.splitter.setSizes(sizes)
        _fit_columns(window, sizes[0])
    header = s.header()
    if header is not None:
        window.story_list.restore_header(header)
    for key, pane in (("list", window.list_pane), ("metadata", window.metadata)):
        visible = s.pane_visible(key)
        window.actions_[f"toggle_{key}"].setChecked(visible)
        pane.setVisible(visible)


def _fit_columns(window: MainWindow, list_width: int) -> None:
    view = window.story_list
    room = list_width - view.verticalScrollBar().sizeHint().width() - 2 * view.frameWidth()
    widths = view.column_widths()
    for key in columns_to_hide(widths, room):
        view.set_column_shown(key, False)


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
    window.splitter.setSizes(split(window.splitter.width(), window.metadata.minimumWidth()))

