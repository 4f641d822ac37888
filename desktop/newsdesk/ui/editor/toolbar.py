"""The body editor's actions and formatting toolbar: the actions come from the registry
(ui/actions.py), get their slots here, and show the formatting under the cursor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QFont, QTextListFormat
from PySide6.QtWidgets import QLabel, QSizePolicy, QTextEdit, QToolBar, QWidget

import newsdesk.ui.editor.formatting as formatting
from newsdesk.formats.source.blocks import HEADING, PARA, QUOTE
from newsdesk.ui import actions, icons, theme
from newsdesk.ui.editor.document import block_kind, text_list

if TYPE_CHECKING:
    from newsdesk.ui.editor.widget import BodyEditor

# Where each kind of formatting shows as checked, in the order of the toolbar.
FORMAT_KEYS = ("paragraph", "heading2", "heading3", "bold", "italic", "link", "bullets",
               "numbers", "quote")


def make_actions(editor: BodyEditor) -> tuple[dict[str, QAction], dict[QAction, str]]:
    """The editor's actions by key, each with its slot; and our line icons by action."""
    rich = editor.rich
    slots: dict[str, Callable] = {
        "undo": lambda: editor.view().undo(),
        "redo": lambda: editor.view().redo(),
        "paragraph": lambda: formatting.set_block_kind(rich, PARA),
        "heading2": lambda: formatting.toggle_block_kind(rich, HEADING, 2),
        "heading3": lambda: formatting.toggle_block_kind(rich, HEADING, 3),
        "bold": lambda on: formatting.set_char_style(rich, bold=on),
        "italic": lambda on: formatting.set_char_style(rich, italic=on),
        "link": editor.edit_link,
        "bullets": lambda: formatting.toggle_list(rich, ordered=False),
        "numbers": lambda: formatting.toggle_list(rich, ordered=True),
        "quote": lambda: formatting.toggle_block_kind(rich, QUOTE),
        "find": lambda: editor.find_bar.open_bar(),
        "replace": lambda: editor.find_bar.open_bar(replace=True),
        "source": editor.show_source,
    }
    made = actions.editor_actions(editor)
    line_icons: dict[QAction, str] = {}
    for key, action in made.items():
        action.triggered.connect(slots[key])
        if actions.editor_icon(key):
            line_icons[action] = actions.editor_icon(key)
    return made, line_icons


def retint(line_icons: dict[QAction, str]) -> None:
    """Draw the toolbar's icons in the current scheme's text colour."""
    color = theme.colors().text
    for action, name in line_icons.items():
        action.setIcon(icons.line_icon(name, color))


def fill_toolbar(toolbar: QToolBar, made: dict[str, QAction], count_label: QLabel) -> None:
    """The most used first: on a laptop the editor's column is narrow, and what does
    not fit (undo and redo, which every editor knows by key) goes into the » menu."""
    toolbar.clear()
    groups = (("bold", "italic", "link"), ("heading2", "heading3", "paragraph"),
              ("bullets", "numbers", "quote"), ("undo", "redo"))
    for number, group in enumerate(groups):
        if number:
            toolbar.addSeparator()
        toolbar.addActions([made[key] for key in group])
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addWidget(count_label)


def checked_states(rich: QTextEdit) -> dict[str, bool]:
    """Which formatting the cursor stands in, by action key."""
    fmt = rich.currentCharFormat()
    block = rich.textCursor().block()
    kind, level = block_kind(block), block.blockFormat().headingLevel()
    lst = text_list(block)
    ordered = lst is not None and lst.format().style() == QTextListFormat.Style.ListDecimal
    return {
        "bold": fmt.fontWeight() >= QFont.Weight.Bold,
        "italic": fmt.fontItalic(),
        "heading2": kind == HEADING and level == 2,
        "heading3": kind == HEADING and level == 3,
        "bullets": lst is not None and not ordered,
        "numbers": ordered,
        "quote": kind == QUOTE,
    }


def update_actions(editor: BodyEditor) -> None:
    """Enable what the view allows and check the formatting under the cursor."""
    editable = not editor.rich.isReadOnly()
    rich = not editor.is_source_shown()
    for action in editor.format_actions:
        action.setEnabled(editable and rich)
    editor.action_replace.setEnabled(editable)
    document = editor.view().document()
    editor.action_undo.setEnabled(editable and document.isUndoAvailable())
    editor.action_redo.setEnabled(editable and document.isRedoAvailable())
    for key, on in checked_states(editor.rich).items():
        action = editor.made[key]
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)
