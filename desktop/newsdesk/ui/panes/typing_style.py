"""The house style as you type in the metadata panel's text fields (headline, deck, caption).

The same rule as the body editor (newsdesk.copydesk.typography.as_typed): after a quote, a hyphen, a
space or a full stop is typed, what it makes becomes the house's, in an undo step of its
own, so one Ctrl+Z gives back what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from newsdesk.copydesk.typography import Style, as_typed

TRIGGERS = frozenset("\"'- .")


class HouseStyleTyping(QObject):
    """An event filter for line and plain-text edits; `style` None leaves text as typed."""

    def __init__(self, style: Style | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.style = style

    def watch(self, *edits: QWidget) -> None:
        for edit in edits:
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, QLineEdit) and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.matches(QKeySequence.StandardKey.Undo)):
            # A line edit selects what an undo put back: typing on would replace the
            # quote just given back. The cursor goes after it instead, as in the body.
            watched.undo()
            if watched.hasSelectedText():
                watched.setCursorPosition(watched.selectionEnd())
            return True
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.text() and event.text() in TRIGGERS and self.style is not None):
            watched.event(event)  # type it first, as the field would
            if isinstance(watched, QLineEdit):
                _line_edit(watched, event.text(), self.style)
            elif isinstance(watched, QPlainTextEdit):
                _text_edit(watched, event.text(), self.style)
            return True
        return super().eventFilter(watched, event)


def _line_edit(edit: QLineEdit, typed: str, style: Style) -> None:
    if edit.isReadOnly() or edit.hasSelectedText():
        return
    before = edit.text()[: edit.cursorPosition()]
    answer = as_typed(before[:-1], typed, style) if before.endswith(typed) else None
    if answer is not None:
        count, replacement = answer
        edit.setSelection(edit.cursorPosition() - count, count)
        edit.insert(replacement)  # QLineEdit's undo takes a replacement as one step


def _text_edit(edit: QPlainTextEdit, typed: str, style: Style) -> None:
    cursor = edit.textCursor()
    if edit.isReadOnly() or cursor.hasSelection():
        return
    start = QTextCursor(cursor)
    start.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
    before = start.selectedText()
    answer = as_typed(before[:-1], typed, style) if before.endswith(typed) else None
    if answer is not None:
        count, replacement = answer
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor,
                            count)
        cursor.insertText(replacement)
        cursor.endEditBlock()
        edit.setTextCursor(cursor)
