"""The house style as you type in the body editor, undone with one Ctrl+Z (issue 19)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from newsdesk.copydesk.typography import Style
from newsdesk.ui.editor import BodyEditor


@pytest.fixture
def editor(qtbot) -> BodyEditor:
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_typography(Style())
    widget.set_markdown("")
    widget.rich.setFocus()
    return widget


def undo(qtbot, editor: BodyEditor) -> None:
    qtbot.keyClick(editor.rich, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_quotes_dashes_and_ellipses_become_the_houses_as_typed(editor, qtbot):
    qtbot.keyClicks(editor.rich, "He said \"it's done\" -- twice... and 'maybe' - once")
    assert editor.markdown() == "He said “it’s done” – twice… and ‘maybe’ – once\n"


def test_one_ctrl_z_gives_back_what_was_typed(editor, qtbot):
    qtbot.keyClicks(editor.rich, 'She said "')
    assert editor.plain_text() == "She said “"
    undo(qtbot, editor)
    assert editor.plain_text() == 'She said "'
    qtbot.keyClicks(editor.rich, "Wait..")
    qtbot.keyClicks(editor.rich, ".")
    assert editor.plain_text().endswith("Wait…")
    undo(qtbot, editor)
    assert editor.plain_text().endswith("Wait...")


def test_code_and_protected_text_are_left_as_typed(editor, qtbot):
    editor.set_markdown('Run `x=1` now\n\n```\nfenced\n```\n')
    cursor = editor.rich.textCursor()
    cursor.setPosition(editor.plain_text().index("x=1") + 1)  # inside the code span
    editor.rich.setTextCursor(cursor)
    qtbot.keyClicks(editor.rich, '"')
    block = editor.rich.document().findBlockByNumber(2)  # "fenced", shown as written
    cursor = QTextCursor(block)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.rich.setTextCursor(cursor)
    qtbot.keyClicks(editor.rich, ' "x" -- y...')
    assert editor.markdown() == 'Run `x"=1` now\n\n```\nfenced "x" -- y...\n```\n'


def test_without_a_house_style_nothing_changes(editor, qtbot):
    editor.set_typography(None)
    qtbot.keyClicks(editor.rich, 'A "b" -- c...')
    assert editor.markdown() == 'A "b" -- c...\n'


def test_the_window_types_in_the_house_style_of_its_rules(qtbot, make_window, desk):
    story = desk.create(headline="Quotes", body="")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.editor.rich.setFocus()
    qtbot.keyClicks(window.editor.rich, 'It\'s "done"')
    assert window.editor.markdown() == "It’s “done”\n"


def test_apply_house_style_lists_the_changes_and_makes_them(qtbot, make_window, desk):
    from PySide6.QtWidgets import QDialogButtonBox

    from newsdesk.ui.dialogs.house_style import HouseStyleDialog

    story = desk.create(headline="Mayor: 'We rebuild'", caption='The "new" pier',
                        body='She said "soon" -- maybe... Run `x="y"`.\n')
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.actions_["house_style"].trigger()
    dialog = window.findChild(HouseStyleDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.count() == 8  # 2 in the headline, 2 in the caption, 4 in the body
    assert "Body, line 1" in dialog.list.item(7).text()
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(
        QDialogButtonBox.StandardButton.Apply), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.get(story.id).revision == 2)
    stored = desk.get(story.id)
    assert stored.headline == "Mayor: ‘We rebuild’"
    assert stored.caption == "The “new” pier"
    assert stored.body == 'She said “soon” – maybe… Run `x="y"`.\n'
    assert desk.revision(story.id, 1).body == story.body  # the text before is kept
    window.actions_["house_style"].trigger()  # nothing left to change
    assert "already follows" in window.status.currentMessage()


def test_the_headline_deck_and_caption_are_typed_in_the_house_style(qtbot, make_window, desk):
    story = desk.create(headline="Draft")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    panel = window.metadata
    panel.headline.selectAll()
    qtbot.keyClicks(panel.headline, 'Mayor: "We rebuild"')
    assert panel.headline.text() == "Mayor: “We rebuild”"
    qtbot.keyClick(panel.headline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.headline.text() == "Mayor: “We rebuild\""  # one Ctrl+Z: what was typed
    qtbot.keyClicks(panel.headline, " -- now")
    assert panel.headline.text() == "Mayor: “We rebuild\" – now"
    panel.deck.setFocus()
    qtbot.keyClicks(panel.deck, "It's done...")
    assert panel.deck.toPlainText() == "It’s done…"
    qtbot.keyClick(panel.deck, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.deck.toPlainText() == "It’s done..."
    assert window.save_now()
    assert desk.get(story.id).deck == "It’s done..."
