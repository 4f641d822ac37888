"""Spelling squiggles in the body editor, and the menu that fixes a word or adds it to the list.

A QSyntaxHighlighter only changes how text is drawn, never the document's own formats, so
the squiggles cannot leak into the Markdown the editor writes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QMenu, QTextEdit

from newsdesk.desk import Desk
from newsdesk.model import NewsdeskError, Story
from newsdesk.ui import theme

MAX_SUGGESTIONS = 5


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines words that neither the dictionary nor the newsroom word list knows."""

    def __init__(
        self, document: QTextDocument, desk: Desk, story: Callable[[], Story | None]
    ) -> None:
        super().__init__(document)
        self.desk = desk
        self.story = story
        self.enabled = True

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if not self.enabled or not text.strip():
            return
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        fmt.setUnderlineColor(QColor(theme.colors().error))
        for start, length, _word in self.desk.misspelled(text, self.story()):
            # Qt counts UTF-16 code units; Python counts code points.
            begin = _utf16(text[:start])
            self.setFormat(begin, _utf16(text[start : start + length]), fmt)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def word_under(edit: QTextEdit, pos: QPoint) -> QTextCursor:
    cursor = edit.cursorForPosition(pos)
    cursor.select(QTextCursor.SelectionType.WordUnderCursor)
    return cursor


def spelling_menu(
    edit: QTextEdit, pos: QPoint, highlighter: SpellHighlighter, message: Callable[[str], None]
) -> QMenu:
    """The edit's standard context menu, headed by suggestions and "Add to word list" when
    the word under the pointer is unknown."""
    menu = edit.createStandardContextMenu(pos)
    cursor = word_under(edit, pos)
    word = cursor.selectedText().strip("'’")
    if not word or not highlighter.enabled:
        return menu
    misses = highlighter.desk.misspelled(word, highlighter.story())
    if not misses:
        return menu
    first = menu.actions()[0] if menu.actions() else None
    suggestions = highlighter.desk.spelling_suggestions(word)[:MAX_SUGGESTIONS]
    for suggestion in suggestions:
        action = menu.addAction(suggestion)
        action.triggered.connect(lambda _on=False, s=suggestion: _replace(edit, cursor, s))
        menu.insertAction(first, action)
    if not suggestions:
        none = menu.addAction("No suggestions")
        none.setEnabled(False)
        menu.insertAction(first, none)
    add = menu.addAction(f"Add “{word}” to Word List")
    add.triggered.connect(lambda: _add(highlighter, word, message))
    menu.insertAction(first, add)
    menu.insertSeparator(first)
    return menu


def _replace(edit: QTextEdit, cursor: QTextCursor, text: str) -> None:
    cursor.insertText(text)
    edit.setTextCursor(cursor)


def _add(highlighter: SpellHighlighter, word: str, message: Callable[[str], None]) -> None:
    try:
        highlighter.desk.add_word(word)
    except NewsdeskError as exc:
        message(str(exc))
        return
    message(f"Added “{word}” to the newsroom word list")
    highlighter.rehighlight()
