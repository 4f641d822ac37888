"""The banner over the editor when the open story was saved (or moved to the trash)
elsewhere while it has unsaved edits here: the edits stay; the user compares, keeps
theirs or keeps their own."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from newsdesk.domain.model import Story
from newsdesk.ui import theme


def reloaded_text(theirs: Story) -> str:
    """'saved elsewhere at 14:05 by Xu Fang (revision 7)'"""
    when = theirs.updated_at.astimezone().strftime("%H:%M")
    who = f" by {theirs.modified_by}" if theirs.modified_by else ""
    return f"saved elsewhere at {when}{who} (revision {theirs.revision})"


def saved_elsewhere_text(theirs: Story) -> str:
    """'Saved elsewhere at 14:05 by Xu Fang (revision 7). Your edits are kept here...'"""
    return f"S{reloaded_text(theirs)[1:]}. Your edits are kept here, not saved yet."


DELETED_TEXT = ("Moved to the trash elsewhere. Your edits are kept here: Keep Mine brings "
                "the story back with them.")


class ElsewhereBanner(QFrame):
    """Hidden until shown; its buttons say what the user chose."""

    compare = Signal()
    keep_mine = Signal()
    take_theirs = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("elsewhereBanner")
        self.label = QLabel()
        self.label.setObjectName("elsewhereText")
        self.label.setWordWrap(True)
        self.compare_button = QPushButton("Compare…")
        self.compare_button.setToolTip("Both versions, field by field; choose there")
        self.keep_button = QPushButton("Keep Mine")
        self.keep_button.setToolTip("Save your version as a new revision on top of theirs")
        self.take_button = QPushButton("Take Theirs")
        self.take_button.setToolTip("Drop your unsaved edits and show the saved version")
        self.compare_button.clicked.connect(self.compare)
        self.keep_button.clicked.connect(self.keep_mine)
        self.take_button.clicked.connect(self.take_theirs)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 8, 6)
        row.addWidget(self.label, 1)
        for button in (self.compare_button, self.keep_button, self.take_button):
            row.addWidget(button)
        self.hide()

    def show_saved(self, theirs: Story) -> None:
        self._show(saved_elsewhere_text(theirs), comparable=True)

    def show_deleted(self) -> None:
        self._show(DELETED_TEXT, comparable=False)

    def _show(self, text: str, *, comparable: bool) -> None:
        self.label.setText(text)
        self.compare_button.setVisible(comparable)
        self.take_button.setText("Take Theirs" if comparable else "Close It")
        warning = theme.colors().warning
        self.setStyleSheet(
            f"QFrame#elsewhereBanner {{ border: 1px solid {warning}; border-radius: 4px; }}"
        )
        self.show()
