"""The rich text view of the body: Enter, and the house style applied as you type.

Enter after a heading starts a paragraph; Enter on an empty list item ends the list. A
quote, dash or ellipsis typed is made the house's (newsdesk.copydesk.typography) in an undo step
of its own, so one Ctrl+Z gives back what was typed; never in protected text or code.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QTextEdit

import newsdesk.ui.editor.formatting as formatting
from newsdesk.copydesk.typography import Style, as_typed
from newsdesk.formats.source.blocks import HEADING, ITEM, OPAQUE, PARA
from newsdesk.formats.source.inline import Run
from newsdesk.ui.editor.document import P_RAW, block_format, block_kind, char_format, prop

TRIGGERS = frozenset("\"'- .")


class RichEdit(QTextEdit):
    """A QTextEdit that knows the body's blocks and the house style."""

    def __init__(self) -> None:
        super().__init__()
        self.typography: Style | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain_enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        )
        cursor = self.textCursor()
        block = cursor.block()
        if plain_enter and not self.isReadOnly() and not cursor.hasSelection():
            if block_kind(block) == HEADING and cursor.atBlockEnd():
                base = self.document().defaultFont()
                cursor.insertBlock(block_format(PARA), char_format(Run(""), PARA, 0, base))
                self.setTextCursor(cursor)
                return
            if block_kind(block) == ITEM and not block.text():
                formatting.set_block_kind(self, PARA)
                return
        super().keyPressEvent(event)
        if event.text() in TRIGGERS and event.text():
            self._house_style(event.text())

    def _house_style(self, typed: str) -> None:
        """Make what was just typed the house's, as an undo step of its own."""
        cursor = self.textCursor()
        if self.typography is None or self.isReadOnly() or cursor.hasSelection():
            return
        if block_kind(cursor.block()) == OPAQUE or prop(cursor.charFormat(), P_RAW):
            return  # protected text and code are written back as typed
        start = QTextCursor(cursor)
        start.movePosition(QTextCursor.MoveOperation.StartOfBlock,
                           QTextCursor.MoveMode.KeepAnchor)
        before = start.selectedText()
        if not before.endswith(typed):
            return
        answer = as_typed(before[:-1], typed, self.typography)
        if answer is None:
            return
        count, replacement = answer
        fmt = cursor.charFormat()
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor,
                            count)
        cursor.insertText(replacement, fmt)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
