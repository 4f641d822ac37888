"""The status bar: save state of the open story, word counts, list counts, database path."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from newsdesk.ui import theme
from newsdesk.ui.jobs import autosave

_STATE_TEXT = {
    autosave.SAVED: "Saved",
    autosave.UNSAVED: "Unsaved changes…",
    autosave.INVALID: "Not saved: fix the marked fields",
    autosave.CONFLICT: "Not saved: changed elsewhere",
    autosave.FAILED: "Not saved",
}


class StatusBar(QStatusBar):
    def __init__(self, db_path: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.save_state = QLabel(self)
        self.save_state.setObjectName("saveState")
        self.words = QLabel(self)
        self.list_counts = QLabel(self)
        self.database = QLabel(self)
        self.database.setProperty("role", "muted")
        self.database.setToolTip(f"Database: {db_path}")
        # Long paths lose their middle, not the file name.
        self.database.setText(
            self.database.fontMetrics().elidedText(db_path, Qt.TextElideMode.ElideMiddle, 360)
        )
        self.database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addWidget(self.save_state)
        self.addWidget(self.words)
        self.addPermanentWidget(self.list_counts)
        self.addPermanentWidget(self.database)
        self._detail = ""
        self.show_save_state(autosave.SAVED, "")

    def show_save_state(self, state: str, detail: str) -> None:
        self._detail = detail
        c = theme.colors()
        color = {autosave.SAVED: c.ok, autosave.UNSAVED: c.muted}.get(state, c.error)
        self.save_state.setText(f"<span style='color:{color}'>●</span> {_STATE_TEXT[state]}")
        self.save_state.setToolTip(detail or _STATE_TEXT[state])

    def save_detail(self) -> str:
        return self._detail

    def save_text(self) -> str:
        return self.save_state.text()

    def show_counts(self, words: int, chars: int) -> None:
        self.words.setText(f"{words:,} words · {chars:,} characters")

    def show_list_counts(self, shown: int, total: int) -> None:
        text = f"{total:,} stories" if shown == total else f"{shown:,} of {total:,} stories"
        self.list_counts.setText(text)
