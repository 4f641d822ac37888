"""Formatting commands on the rich body document: character styles, block kinds, lists.

Every command is one undo step, and restyles the blocks it touches so that fonts follow
the block kind (heading size, monospace for protected text) while the meaning of each run
(bold, italic, link, raw) is kept.
"""

from __future__ import annotations

from itertools import count

from PySide6.QtGui import QFont, QTextBlock, QTextCharFormat, QTextCursor, QTextListFormat
from PySide6.QtWidgets import QTextEdit

from newsdesk.formats.source.blocks import HEADING, ITEM, OPAQUE, PARA, QUOTE
from newsdesk.formats.source.inline import Run
from newsdesk.formats.source.splice import utf16_len
from newsdesk.ui.editor.document import (
    HEADING_WEIGHT,
    LIST_STYLES,
    P_CODE,
    P_GROUP,
    P_MARKER,
    P_RAW,
    block_format,
    block_kind,
    block_runs,
    char_format,
    prop,
    text_list,
)

_keys = count(1_000_000)  # groups made while editing; loaded ones count from 1


def selected_blocks(cursor: QTextCursor) -> list[QTextBlock]:
    doc = cursor.document()
    first = doc.findBlock(cursor.selectionStart())
    last = doc.findBlock(cursor.selectionEnd())
    blocks = [first]
    while blocks[-1] != last and blocks[-1].next().isValid():
        blocks.append(blocks[-1].next())
    return blocks


def restyle(block: QTextBlock) -> None:
    """Re-apply the fonts of the block's kind to each run, keeping what the runs mean."""
    kind = block_kind(block)
    level = block.blockFormat().headingLevel()
    base = block.document().defaultFont()
    cursor = QTextCursor(block)
    cursor.setBlockCharFormat(char_format(Run(""), kind, level, base))
    position = block.position()
    for run in block_runs(block):
        if kind == OPAQUE:
            run = Run(run.text)
        cursor.setPosition(position)
        cursor.setPosition(position + utf16_len(run.text), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(char_format(run, kind, level, base))
        position += utf16_len(run.text)


def set_char_style(edit: QTextEdit, *, bold: bool | None = None, italic: bool | None = None,
                   href: str | None = None) -> None:
    """Bold, italic or a link on the selection, or on what is typed next."""
    fmt = QTextCharFormat()
    if bold is not None:
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    if italic is not None:
        fmt.setFontItalic(italic)
    if href is not None:
        fmt.setAnchor(bool(href))
        fmt.setAnchorHref(href)
        fmt.setFontUnderline(bool(href))
    cursor = edit.textCursor()
    if not cursor.hasSelection():
        if bold is False and block_kind(cursor.block()) == HEADING:
            fmt.setFontWeight(HEADING_WEIGHT)
        edit.mergeCurrentCharFormat(fmt)
        return
    cursor.beginEditBlock()
    cursor.mergeCharFormat(fmt)
    for block in selected_blocks(cursor):
        restyle(block)
    cursor.endEditBlock()


def _leave_list(block: QTextBlock) -> None:
    lst = text_list(block)
    if lst is not None:
        lst.remove(block)


def set_block_kind(edit: QTextEdit, kind: str, level: int = 0) -> None:
    """Make the selected blocks paragraphs, headings of `level`, or a block quote."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    blocks = selected_blocks(cursor)
    group = 0
    if kind == QUOTE:
        before = blocks[0].previous()
        group = (prop(before.blockFormat(), P_GROUP)
                 if before.isValid() and block_kind(before) == QUOTE else next(_keys))
    for block in blocks:
        _leave_list(block)
        target = QTextCursor(block)
        target.setBlockFormat(block_format(kind, level, group))
        restyle(block)
    cursor.endEditBlock()
    edit.setCurrentCharFormat(QTextCursor(edit.textCursor()).charFormat())


def toggle_block_kind(edit: QTextEdit, kind: str, level: int = 0) -> None:
    blocks = selected_blocks(edit.textCursor())
    same = all(block_kind(b) == kind and b.blockFormat().headingLevel() == level
               for b in blocks)
    set_block_kind(edit, PARA if same and kind != PARA else kind, level)


def toggle_list(edit: QTextEdit, ordered: bool) -> None:
    """Turn the selected blocks into a bullet or numbered list, or back to paragraphs."""
    cursor = edit.textCursor()
    blocks = selected_blocks(cursor)
    decimal = QTextListFormat.Style.ListDecimal

    def is_mine(block: QTextBlock) -> bool:
        lst = text_list(block)
        return lst is not None and (lst.format().style() == decimal) == ordered

    if all(is_mine(b) for b in blocks):
        set_block_kind(edit, PARA)
        return
    cursor.beginEditBlock()
    before = blocks[0].previous()
    target = text_list(before) if before.isValid() and is_mine(before) else None
    for block in blocks:
        _leave_list(block)
        QTextCursor(block).setBlockFormat(block_format(ITEM))
        restyle(block)
        if target is None:
            fmt = QTextListFormat()
            fmt.setIndent(1)
            fmt.setProperty(P_GROUP, next(_keys))
            fmt.setStyle(decimal if ordered else LIST_STYLES[0])
            fmt.setProperty(P_MARKER, "." if ordered else "-")
            target = QTextCursor(block).createList(fmt)
        else:
            target.add(block)
    cursor.endEditBlock()


def leave_span(edit: QTextEdit) -> None:
    """Text typed next to a raw span (such as `<TK>`) or a link is ordinary text; only text
    typed strictly inside one stays part of it. So a link ends at its last character: text
    typed after it, and a paragraph started after it, are plain."""
    cursor = edit.textCursor()
    fmt = edit.currentCharFormat()
    raw, href = bool(prop(fmt, P_RAW)), fmt.anchorHref() if fmt.isAnchor() else ""
    if cursor.hasSelection() or not (raw or href):
        return
    if not cursor.atBlockStart() and not cursor.atBlockEnd():
        ahead = QTextCursor(cursor)
        ahead.movePosition(QTextCursor.MoveOperation.NextCharacter,
                           QTextCursor.MoveMode.KeepAnchor)
        after = ahead.charFormat()
        if (bool(prop(after, P_RAW)) if raw else
                after.isAnchor() and after.anchorHref() == href):
            return
    kind = block_kind(cursor.block())
    plain = char_format(Run("", fmt.fontWeight() >= QFont.Weight.Bold, fmt.fontItalic()),
                        kind, cursor.block().blockFormat().headingLevel(),
                        edit.document().defaultFont())
    plain.setProperty(P_RAW, False)
    plain.setProperty(P_CODE, False)
    edit.setCurrentCharFormat(plain)


def set_link(edit: QTextEdit, url: str) -> None:
    """Link the selection (or the link under the cursor) to url; "" removes the link."""
    cursor = edit.textCursor()
    if not cursor.hasSelection() and cursor.charFormat().isAnchor():
        href = cursor.charFormat().anchorHref()
        block = cursor.block()
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            inside = frag.position() <= cursor.position() <= frag.position() + frag.length()
            if inside and frag.charFormat().anchorHref() == href:
                cursor.setPosition(frag.position())
                cursor.setPosition(frag.position() + frag.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                break
            it += 1
        edit.setTextCursor(cursor)
    if not cursor.hasSelection():
        if not url:
            return
        fmt = edit.currentCharFormat()
        start = cursor.position()
        cursor.insertText(url, fmt)
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        edit.setTextCursor(cursor)
    set_char_style(edit, href=url)
