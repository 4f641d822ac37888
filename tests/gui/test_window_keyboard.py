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


def test_f6_and_ctrl_digits_move_between_list_editor_and_metadata(qtbot, make_window, desk):
    story = desk.create(headline="Keyboard story", body="Text.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    activate(qtbot, window)
    panes = {"list": window.list_pane, "editor": window.editor_tabs,
             "metadata": window.metadata}

    def where() -> str:
        return next((name for name, pane in panes.items() if inside(focused(), pane)), "")

    def key(k, modifiers=Qt.KeyboardModifier.NoModifier) -> str:
        qtbot.keyClick(focused() or window, k, modifiers)
        return where()

    window.story_list.setFocus()
    assert key(Qt.Key.Key_F6) == "editor"
    assert focused() is window.editor.rich
    assert key(Qt.Key.Key_F6) == "metadata"
    assert focused() is window.metadata.headline
    assert key(Qt.Key.Key_F6) == "list"
    assert key(Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier) == "metadata"
    assert key(Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier) == "editor"
    ctrl = Qt.KeyboardModifier.ControlModifier
    assert key(Qt.Key.Key_1, ctrl) == "list"
    assert key(Qt.Key.Key_3, ctrl) == "metadata"
    assert key(Qt.Key.Key_2, ctrl) == "editor"
    assert window.editor.markdown() == "Text."  # Ctrl+2 no longer makes a heading


def test_a_hidden_pane_is_shown_when_asked_for_by_key(qtbot, make_window, desk):
    desk.create(headline="Story")
    window = make_window(desk)
    activate(qtbot, window)
    window.actions_["toggle_metadata"].setChecked(False)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.metadata.isVisible() and inside(focused(), window.metadata)


def test_formatting_is_named_in_words_with_its_shortcut(make_window, desk):
    window = make_window(desk)
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    names = [a.text() for a in menus["Format"].actions() if not a.isSeparator()]
    assert names[:3] == ["Paragraph", "Heading", "Subheading"]
    assert not {"¶", "H2", "H3"} & set(names)
    editor = window.editor
    for action, keys in ((editor.action_paragraph, "Ctrl+0"),
                         (editor.action_heading2, "Ctrl+Shift+2"),
                         (editor.action_heading3, "Ctrl+Shift+3")):
        assert action.shortcut().toString() == keys
        assert keys in action.toolTip()
    toolbar_texts = [a.text() for a in editor.toolbar.actions() if a.text()]
    assert "Heading" in toolbar_texts and "H2" not in toolbar_texts


def test_ctrl_4_reaches_the_copy_checks_and_enter_selects_a_finding(qtbot, make_window, desk):
    story = desk.create(headline="Checks", body="The mayor said TK today.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    tools = window.copy_desk
    tools.checks.refresh()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert focused() is tools.checks.view
    rows = [tools.checks.view.item(i).text() for i in range(tools.checks.view.count())]
    tools.checks.view.setCurrentRow(next(i for i, t in enumerate(rows) if "TK" in t))
    qtbot.keyClick(tools.checks.view, Qt.Key.Key_Return)
    assert window.editor.rich.textCursor().selectedText() == "TK"
