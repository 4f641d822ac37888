"""Working the window from the keyboard: Tab leaves the list, F6 and Ctrl+1/2/3 (issue 19)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import activate


def focused():
    return QApplication.focusWidget()


def inside(widget, pane) -> bool:
    return widget is not None and (widget is pane or pane.isAncestorOf(widget))


def test_tab_leaves_the_story_list_and_opens_nothing(qtbot, make_window, desk):
    first = desk.create(headline="First story")
    desk.create(headline="Second story")
    window = make_window(desk)
    activate(qtbot, window)
    window.story_list.select_story(first.id)
    window.story_list.setFocus()
    qtbot.waitUntil(lambda: focused() is window.story_list)
    qtbot.keyClick(window.story_list, Qt.Key.Key_Tab)
    assert not inside(focused(), window.story_list)
    assert window.current_story().id == first.id
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused() is window.story_list
    assert window.current_story().id == first.id
