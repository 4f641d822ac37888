"""Spelling squiggles in the body editor, and the menu that fixes a word or adds it to the list.

A QSyntaxHighlighter only changes how text is drawn, never the document's own formats, so
the squiggles cannot leak into the Markdown the editor writes back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextEdit

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.ui import theme
from newsdesk.ui.actions import menu_entry

MAX_SUGGESTIONS = 5
MAX_REMEMBERED = 5000  # block texts whose misses are kept (typing makes a new one each key)


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines words that neither the dictionary nor the newsroom word list knows.

    Checking a long story at once held up opening it (Qt highlights every block as the
    body loads), so each turn of the event loop checks blocks for at most BUDGET_MS and
    leaves the rest to the next turns; what was checked is remembered per block text.
    A body just loaded is checked once it has been on screen for SETTLE_MS: the story and
    the window show first, and stories the user only passes through are not checked.
    """

    BUDGET_MS = 15
    SETTLE_MS = 150

    def __init__(
        self, document: QTextDocument, desk: Desk, story: Callable[[], Story | None]
    ) -> None:
        super().__init__(document)
        self.desk = desk
        self.story = story
        self.enabled = True
        self._misses: dict[str, list[tuple[int, int, str]]] = {}
        self._rules: object = None  # held, so that a new word list is a new object
        self._metadata: tuple[object, ...] = ()
        self._pending: list[QTextBlock] = []
        self._spent = 0.0  # seconds spent checking in this turn of the event loop
        self._unlimited = False  # within rehighlight(): no budget
        self._turn = QTimer(self)
        self._turn.setSingleShot(True)
        self._turn.setInterval(0)
        self._turn.timeout.connect(self._next_turn)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(self.SETTLE_MS)
        self._settle.timeout.connect(self._check_all)

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        self.rehighlight()

    def rehighlight(self) -> None:
        """Every block now, budget or not: asked for outright (another story, a new word
        list), and checking is a few milliseconds a thousand words once the dictionary is in.
        Quietly: squiggles are no edit, and the editor would serialize the body to hear it."""
        document = self.document()
        blocked = document.blockSignals(True)
        self._unlimited = True
        try:
            super().rehighlight()
        finally:
            self._unlimited = False
            document.blockSignals(blocked)

    def check_soon(self) -> None:
        """A new body was loaded: check all of it in SETTLE_MS, then BUDGET_MS a turn."""
        self._pending = []  # blocks of the body that was replaced
        self._turn.stop()
        self._settle.start()

    def is_checking(self) -> bool:
        """Whether squiggles are still to come for the body loaded last."""
        return self._settle.isActive() or bool(self._pending)

    def _check_all(self) -> None:
        block = self.document().begin()
        while block.isValid():
            self._pending.append(block)
            block = block.next()
        self._next_turn()

    def highlightBlock(self, text: str) -> None:
        if not self.enabled or not text.strip():
            return
        misses = self._check(text)
        if misses is None:
            self._pending.append(self.currentBlock())
            return
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        fmt.setUnderlineColor(QColor(theme.colors().error))
        for start, length, _word in misses:
            # Qt counts UTF-16 code units; Python counts code points.
            begin = _utf16(text[:start])
            self.setFormat(begin, _utf16(text[start : start + length]), fmt)

    def _check(self, text: str) -> list[tuple[int, int, str]] | None:
        """The misses in `text`, or None when this turn's budget is spent."""
        story = self.story()
        # What the answer depends on besides the text: the word list and the story's
        # metadata (names in the byline are not typos).
        rules, metadata = self.desk.rules(), _metadata(story)
        if (
            rules is not self._rules
            or metadata != self._metadata
            or len(self._misses) > MAX_REMEMBERED
        ):
            self._misses.clear()
            self._rules, self._metadata = rules, metadata
        if text in self._misses:
            return self._misses[text]
        if not self._turn.isActive():
            self._spent = 0.0
            self._turn.start()
        if self._spent * 1000 > self.BUDGET_MS and not self._unlimited:
            return None
        started = time.perf_counter()
        misses = self._misses[text] = self.desk.misspelled(text, story)
        self._spent += time.perf_counter() - started
        return misses

    def _next_turn(self) -> None:
        pending, self._pending = self._pending, []
        self._spent = 0.0
        seen: set[int] = set()
        document = self.document()
        # Squiggles are formats, not text: the editor need not hear of each block (it
        # would serialize the whole body each time); the view repaints all the same.
        blocked = document.blockSignals(True)
        try:
            for index, block in enumerate(pending):
                if self._spent * 1000 > self.BUDGET_MS:
                    self._pending = pending[index:] + self._pending
                    self._turn.start()
                    break
                if block.isValid() and block.blockNumber() not in seen:
                    seen.add(block.blockNumber())
                    self.rehighlightBlock(block)
        finally:
            document.blockSignals(blocked)


def _metadata(story: Story | None) -> tuple[object, ...]:
    if story is None:
        return ()
    return (story.headline, story.byline, story.editor, story.source, story.section,
            story.caption, story.dateline.place, story.tags)


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
        action = menu_entry(menu, suggestion)
        action.triggered.connect(lambda _on=False, s=suggestion: _replace(edit, cursor, s))
        menu.insertAction(first, action)
    if not suggestions:
        none = menu_entry(menu, "No suggestions", enabled=False)
        menu.insertAction(first, none)
    add = menu_entry(menu, f"Add “{word}” to Word List")
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
