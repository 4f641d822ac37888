"""Links in the body editor end at their last character; new paragraphs are plain (issue 19)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from newsdesk.ui.editor import BodyEditor

URL = "https://example.org/papers"


@pytest.fixture
def editor(qtbot) -> BodyEditor:
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.ask_url = lambda current: URL
    return widget


def link_word(editor: BodyEditor, qtbot, word: str) -> None:
    """Select `word` with Shift+Left from its end, then Ctrl+K, as a person would."""
    offset = editor.plain_text().index(word) + len(word)
    cursor = editor.rich.textCursor()
    cursor.setPosition(offset)
    editor.rich.setTextCursor(cursor)
    editor.rich.setFocus()
    for _ in word:
        qtbot.keyClick(editor.rich, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert editor.rich.textCursor().selectedText() == word
    qtbot.keyClick(editor.rich, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)


def test_text_typed_after_a_link_and_the_next_paragraph_are_plain(editor, qtbot):
    editor.set_markdown("Read the papers\n")
    link_word(editor, qtbot, "papers")
    assert editor.markdown() == f"Read the [papers]({URL})\n"
    qtbot.keyClick(editor.rich, Qt.Key.Key_End)
    qtbot.keyClicks(editor.rich, " now")
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.rich, "Second paragraph")
    assert editor.markdown() == f"Read the [papers]({URL}) now\n\nSecond paragraph\n"
    # A heading and list items after it are plain too.
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    editor.action_heading2.trigger()
    qtbot.keyClicks(editor.rich, "Heading")
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    editor.action_bullets.trigger()
    qtbot.keyClicks(editor.rich, "one")
    assert editor.markdown() == (
        f"Read the [papers]({URL}) now\n\nSecond paragraph\n\n## Heading\n\n- one\n"
    )


def test_enter_right_after_a_link_starts_a_plain_paragraph(editor, qtbot):
    editor.set_markdown("Read the papers\n")
    link_word(editor, qtbot, "papers")
    editor.rich.moveCursor(QTextCursor.MoveOperation.EndOfBlock)
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.rich, "Next")
    assert editor.markdown() == f"Read the [papers]({URL})\n\nNext\n"


def test_typing_inside_a_link_still_edits_the_link_text(editor, qtbot):
    editor.set_markdown(f"Read the [papers]({URL}) today\n")
    cursor = editor.rich.textCursor()
    cursor.setPosition(editor.plain_text().index("papers") + 3)
    editor.rich.setTextCursor(cursor)
    qtbot.keyClicks(editor.rich, "X")
    assert editor.markdown() == f"Read the [papXers]({URL}) today\n"
