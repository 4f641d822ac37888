"""BodyEditor: the WYSIWYG editor of a story body, which is stored as Markdown.

The body is never re-encoded wholesale: see document.py. Positions: `select_text` takes
offsets into `plain_text()` (what the rich view shows, a line break per block or hard
break); `select_range` takes offsets into `markdown()`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import newsdesk.ui.editor.formatting as formatting
import newsdesk.ui.editor.selection as selection
import newsdesk.ui.editor.toolbar as toolbar
from newsdesk.copydesk.typography import Style
from newsdesk.domain.model import word_count
from newsdesk.formats.source.blocks import split_blocks
from newsdesk.formats.source.splice import utf16_len
from newsdesk.ui.editor.document import render, to_markdown
from newsdesk.ui.editor.findbar import FindBar
from newsdesk.ui.editor.rich_edit import RichEdit

BODY_FONTS = ["Charter", "Georgia", "Source Serif Pro", "Noto Serif", "DejaVu Serif", "serif"]


class BodyEditor(QWidget):
    """Rich editing of a Markdown body; `markdown()` returns untouched text byte for byte."""

    changed = Signal()
    counts_changed = Signal(int, int)  # words (model.word_count of the Markdown), characters
    # A body was put in the rich view as a whole (another story, or back from the source
    # view). The document is silent while it fills, so a highlighter hears it here.
    loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rich = RichEdit()
        self.rich.setAcceptRichText(False)  # pasted text comes in plain, never as HTML
        self.rich.setTabChangesFocus(False)
        font = QFont()
        font.setFamilies(BODY_FONTS)
        font.setPointSizeF(max(12.0, QFont().pointSizeF() * 1.2))
        self.rich.document().setDefaultFont(font)
        self.rich.document().setDocumentMargin(18)
        self.source = QPlainTextEdit()
        self.source.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.source.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.source.document().setDocumentMargin(12)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.rich)
        self.stack.addWidget(self.source)
        self.find_bar = FindBar(self.view, self)
        self.find_bar.hide()
        self.find_bar.closed.connect(lambda: self.view().setFocus())
        self.count_label = QLabel()
        self.count_label.setContentsMargins(8, 0, 8, 0)
        self.toolbar = QToolBar("Formatting")
        self._make_actions()
        # Icons for what every editor knows by sight (bold, a link, a list, undo); the
        # kinds of block by name. So the toolbar fits the editor's column on a laptop.
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.toolbar.setIconSize(QSize(18, 18))
        self.retint()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.find_bar)
        self.ask_url: Callable[[str], str | None] = self._ask_url
        self._loading = False
        self._layout = split_blocks("")
        self._signatures: list = []
        self._cache: tuple[str, list] | None = None
        self._saved = ""
        self._source_shown: str | None = None  # source text as shown, while in source view
        self._source_markdown = ""
        doc = self.rich.document()
        doc.contentsChanged.connect(self._on_rich_changed)
        doc.undoAvailable.connect(self.action_undo.setEnabled)
        doc.redoAvailable.connect(self.action_redo.setEnabled)
        self.rich.cursorPositionChanged.connect(self._on_cursor_moved)
        self.rich.currentCharFormatChanged.connect(lambda _fmt: self._on_cursor_moved())
        self.source.textChanged.connect(self._on_source_changed)
        self.set_markdown("")

    # actions -------------------------------------------------------------------------
    def _make_actions(self) -> None:
        """The registry's actions with their slots (editor/toolbar.py), by name too."""
        made, self._icons = toolbar.make_actions(self)
        self.made = made
        self.action_undo, self.action_redo = made["undo"], made["redo"]
        self.action_paragraph = made["paragraph"]
        self.action_heading2, self.action_heading3 = made["heading2"], made["heading3"]
        self.action_bold, self.action_italic = made["bold"], made["italic"]
        self.action_link = made["link"]
        self.action_bullets, self.action_numbers = made["bullets"], made["numbers"]
        self.action_quote = made["quote"]
        self.action_find, self.action_replace = made["find"], made["replace"]
        self.action_source = made["source"]
        toolbar.fill_toolbar(self.toolbar, made, self.count_label)
        self.format_actions = [made[key] for key in toolbar.FORMAT_KEYS]

    def retint(self) -> None:
        """Draw the toolbar's icons in the current scheme's text colour."""
        toolbar.retint(self._icons)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.retint()  # light and dark switched
        super().changeEvent(event)

    def editor_actions(self) -> list[QAction]:
        """Every action, for the main window's menus (shortcuts work inside the editor)."""
        return [self.action_undo, self.action_redo, *self.format_actions, self.action_find,
                self.action_replace, self.action_source]

    # content -------------------------------------------------------------------------
    def set_markdown(self, text: str) -> None:
        """Load a body: clears undo history; not modified afterwards."""
        self._loading = True
        try:
            self._load_rich(text)
            self._source_shown = None
            self.stack.setCurrentWidget(self.rich)
            self.action_source.setChecked(False)
        finally:
            self._loading = False
        self._saved = text
        self._update_actions()
        self._emit_counts()

    def replace_markdown(self, text: str) -> None:
        """Put another body in as an edit of this one (modified: the autosave saves it);
        the undo history starts over, the story's history keeps the text before."""
        saved = self._saved
        self.set_markdown(text)
        self._saved = saved
        self.changed.emit()
        self._emit_counts()

    def _load_rich(self, text: str) -> None:
        doc = self.rich.document()
        doc.setUndoRedoEnabled(False)
        self._layout = split_blocks(text)
        # The view's cursor follows every inserted run; reacting to each move (toolbar
        # state) cost more than the rest of a long load. Once, after the move below. The
        # document's own signals would have a highlighter check every block while the
        # story opens: it is told of the whole body after (`loaded`).
        with QSignalBlocker(self.rich), QSignalBlocker(doc):
            self._signatures = render(self._layout, doc)
        # Nothing has changed since render: its signatures are the document's own.
        self._cache = to_markdown(doc, self._layout, self._signatures, self._signatures)
        doc.setUndoRedoEnabled(True)
        doc.setModified(False)
        self.rich.moveCursor(QTextCursor.MoveOperation.Start)
        self.loaded.emit()

    def set_typography(self, style: Style | None) -> None:
        """Quotes, dashes and ellipses typed become the house's (None: left as typed)."""
        self.rich.typography = style

    def markdown(self) -> str:
        if self._source_shown is not None:
            shown = self._source_text()
            if shown == self._source_shown:
                return self._source_markdown
            return shown.replace("\n", "\r\n") if self._layout.newline != "\n" else shown
        return self._rich_markdown()[0]

    def _rich_markdown(self) -> tuple[str, list]:
        if self._cache is None:
            self._cache = to_markdown(self.rich.document(), self._layout, self._signatures)
        return self._cache

    def is_modified(self) -> bool:
        return self.markdown() != self._saved

    def mark_saved(self) -> None:
        """The current body is what is stored now (after a save)."""
        self._saved = self.markdown()

    def set_read_only(self, read_only: bool) -> None:
        self.rich.setReadOnly(read_only)
        self.source.setReadOnly(read_only)
        self._update_actions()

    def is_read_only(self) -> bool:
        return self.rich.isReadOnly()

    def plain_text(self) -> str:
        """The text as the rich view shows it; blocks and hard breaks end with a newline."""
        return self.rich.document().toPlainText()

    def counts(self) -> tuple[int, int]:
        """Words (of the Markdown) and characters (of the shown text, line breaks aside)."""
        markdown = self.markdown()
        if self._source_shown is None:
            plain = self.plain_text()
        else:
            scratch = QTextEdit()
            render(split_blocks(markdown), scratch.document())
            plain = scratch.document().toPlainText()
        return word_count(markdown), len(plain) - plain.count("\n")

    # selection -----------------------------------------------------------------------
    def select_text(self, offset: int, length: int) -> None:
        """Select `length` characters at `offset` of `plain_text()` in the rich view."""
        self.show_source(False)
        plain = self.plain_text()
        start = utf16_len(plain[:offset])
        end = start + utf16_len(plain[offset : offset + length])
        selection.select(self.rich, start, end)

    def select_range(self, start: int, end: int) -> None:
        """Select what corresponds to `markdown()[start:end]` in the current view."""
        markdown = self.markdown()
        if self._source_shown is not None:
            shown = self._source_text()
            selection.select(self.source,
                             *selection.source_positions(markdown, shown, start, end))
            return
        _text, spans = self._rich_markdown()
        doc = self.rich.document()
        positions = [selection.rich_position(doc, spans, markdown, offset)
                     for offset in (start, end)]
        selection.select(self.rich, positions[0], max(positions))

    # views ---------------------------------------------------------------------------
    def show_source(self, on: bool) -> None:
        """Switch between the rich view and the Markdown source; edits carry over."""
        if on == (self._source_shown is not None):
            self.action_source.setChecked(on)
            return
        self._loading = True
        try:
            if on:
                self._source_markdown = self.markdown()
                self._source_shown = self._source_markdown.replace("\r\n", "\n")
                self.source.setPlainText(self._source_shown)
                self._source_shown = self._source_text()
                self.stack.setCurrentWidget(self.source)
            else:
                text = self.markdown()
                if text != self._source_markdown:
                    self._load_rich(text)  # the source edit becomes the new baseline
                self._source_shown = None
                self.stack.setCurrentWidget(self.rich)
        finally:
            self._loading = False
        self.action_source.setChecked(on)
        self.view().setFocus()
        self._update_actions()

    def _source_text(self) -> str:
        # toPlainText() would turn no-break spaces into spaces; the raw text keeps them.
        return self.source.document().toRawText().replace("\u2029", "\n")

    def is_source_shown(self) -> bool:
        return self._source_shown is not None

    def view(self) -> QTextEdit | QPlainTextEdit:
        """The view shown: the rich text or the Markdown source."""
        return self.source if self._source_shown is not None else self.rich

    # reactions -----------------------------------------------------------------------
    def _on_rich_changed(self) -> None:
        self._cache = None
        if not self._loading:
            self.changed.emit()
            self._emit_counts()

    def _on_source_changed(self) -> None:
        if not self._loading:
            self.changed.emit()
            self._emit_counts()

    def _emit_counts(self) -> None:
        words, chars = self.counts()
        self.count_label.setText(f"{words:,} words · {chars:,} characters")
        self.counts_changed.emit(words, chars)

    def _on_cursor_moved(self) -> None:
        if not self.rich.isReadOnly():
            formatting.leave_span(self.rich)
        self._update_actions()

    def _update_actions(self) -> None:
        toolbar.update_actions(self)

    # links ---------------------------------------------------------------------------
    def edit_link(self) -> None:
        """Ctrl+K: link the selection, change the link under the cursor, or remove it."""
        if self.rich.isReadOnly() or self._source_shown is not None:
            return
        cursor = self.rich.textCursor()
        current = cursor.charFormat().anchorHref() if cursor.charFormat().isAnchor() else ""
        url = self.ask_url(current)
        if url is None:
            return
        self.set_link(url.strip())

    def set_link(self, url: str) -> None:
        """Link the selection (or the link under the cursor) to url; "" removes the link."""
        formatting.set_link(self.rich, url)

    def _ask_url(self, current: str) -> str | None:
        url, ok = QInputDialog.getText(self, "Link", "Address (empty removes the link):",
                                       text=current or "https://")
        return url if ok else None
