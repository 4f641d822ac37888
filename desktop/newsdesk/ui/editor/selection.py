"""Selections in the body editor's two views, by offsets into the Markdown: where an
offset of `markdown()` falls in the rich view's blocks or in the source view's text."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from newsdesk.formats.source.splice import block_offset, utf16_len


def select(view: QTextEdit | QPlainTextEdit, start: int, end: int) -> None:
    """Select from `start` to `end` (positions of the view's document) and show it."""
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()


def source_positions(markdown: str, shown: str, start: int, end: int) -> tuple[int, int]:
    """Where `markdown[start:end]` is in the source view, which shows CRLF as LF."""
    cr = markdown[:start].count("\r\n"), markdown[:end].count("\r\n")
    return utf16_len(shown[: start - cr[0]]), utf16_len(shown[: end - cr[1]])


def rich_position(doc: QTextDocument, spans: list, markdown: str, offset: int) -> int:
    """The rich view's position of a Markdown offset: within the block whose span holds
    it, else at the start of the next block's (or the last block's) span."""
    span = next((s for s in spans if s[1] <= offset <= s[2]), None)
    if span is None:
        span = next((s for s in spans if s[1] > offset), spans[-1] if spans else None)
    if span is None:
        return 0
    number, s_start, s_end = span
    block = doc.findBlockByNumber(number)
    inside = block_offset(markdown[s_start:s_end], block.text(), offset - s_start)
    return block.position() + utf16_len(block.text()[:inside])
