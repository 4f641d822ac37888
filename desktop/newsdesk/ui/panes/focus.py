"""Moving between the window's panes by keyboard: F6 / Shift+F6 in turn, Ctrl+1/2/3 each,
Ctrl+4 the copy checks.

The panes in order: the story list, the editor (the body, or the Markdown source), the
metadata panel (its first field). A hidden pane is shown when asked for by key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

PANES = ("list", "editor", "metadata")


def containers(window: MainWindow) -> dict[str, QWidget]:
    return {"list": window.list_pane, "editor": window.editor_tabs, "metadata": window.metadata}


def current(window: MainWindow) -> int:
    """Which pane holds the focus (its index in PANES), or -1."""
    focus = QApplication.focusWidget()
    for index, name in enumerate(PANES):
        pane = containers(window)[name]
        if focus is not None and (focus is pane or pane.isAncestorOf(focus)):
            return index
    return -1


def focus(window: MainWindow, name: str) -> None:
    """Put the focus in a pane, showing it first if it is hidden."""
    if name in ("list", "metadata"):
        window.actions_[f"toggle_{name}"].setChecked(True)
    if name == "list":
        target: QWidget = window.story_list
    elif name == "editor":
        window.editor_tabs.setCurrentIndex(0)
        target = window.editor.rich if not window.editor.is_source_shown() else (
            window.editor.source)
    else:
        target = window.metadata.headline
        window.metadata.ensureWidgetVisible(target)
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)


def cycle(window: MainWindow, step: int) -> None:
    """The next (+1) or previous (-1) pane, round; the first one from anywhere else."""
    here = current(window)
    index = (here + step) % len(PANES) if here >= 0 else 0
    focus(window, PANES[index])


def focus_checks(window: MainWindow) -> None:
    """The copy checks under the editor (shown first if hidden), on their first finding."""
    tools = window.copy_desk
    tools.checks_action.setChecked(True)
    view = tools.checks.view
    if view.currentRow() < 0 and view.count():
        view.setCurrentRow(0)
    view.setFocus(Qt.FocusReason.ShortcutFocusReason)


def install(window: MainWindow) -> None:
    actions = window.actions_
    for name in PANES:
        actions[f"focus_{name}"].triggered.connect(lambda _=False, n=name: focus(window, n))
    actions["focus_checks"].triggered.connect(lambda: focus_checks(window))
    actions["next_pane"].triggered.connect(lambda: cycle(window, +1))
    actions["previous_pane"].triggered.connect(lambda: cycle(window, -1))
