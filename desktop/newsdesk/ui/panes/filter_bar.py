"""The filter bar above the story list: search as you type, status, section, "mine"."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.domain.model import STATUSES
from newsdesk.ui import icons, theme
from newsdesk.ui.actions import field_icon
from newsdesk.ui.theme import STATUS_LABELS

SEARCH_DELAY_MS = 250


class FilterBar(QWidget):
    """Emits `filters_changed` with keyword filters for `desk.list_rows`/`desk.count`."""

    filters_changed = Signal(dict)

    def __init__(self, me: str, role: str = "editor", parent: QWidget | None = None):
        super().__init__(parent)
        self._me = me
        self._role = role
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search headline, body, tags…")
        self.search.setClearButtonEnabled(True)
        field_icon(self.search, icons.line_icon("find", theme.colors().muted))
        self.search.setToolTip("Full-text search; words are matched as you type")
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.setToolTip(
            "Show stories in one workflow state; the counts follow the other filters"
        )
        self.status.addItem("All statuses", "")
        for status in STATUSES:
            self.status.addItem(STATUS_LABELS[status], status)
        self.section = QComboBox(self)
        self.section.setObjectName("sectionFilter")
        self.section.setToolTip("Show one section")
        self.section.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.section.setMinimumContentsLength(8)
        self.section.addItem("All sections", "")
        self.mine = QToolButton(self)
        self.mine.setObjectName("mineFilter")
        self.mine.setText("Mine")
        self.mine.setCheckable(True)
        self.mine.setToolTip(f"Only stories whose editor is {me}")
        self.mine.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.waiting = QToolButton(self)
        self.waiting.setObjectName("waitingFilter")
        self.waiting.setText("For me")
        self.waiting.setCheckable(True)
        self.waiting.setToolTip(
            "Waiting for me: stories in review"
            if role == "desk_chief"
            else "Waiting for me: my drafts, to write or revise"
        )
        self.waiting.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        # Two rows: the list pane is narrow, and the search box deserves its full width.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.status, 1)
        row.addWidget(self.section, 1)
        row.addWidget(self.mine)
        row.addWidget(self.waiting)
        layout.addLayout(row)

        # Typing restarts the timer; the query runs once the user pauses.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._emit_now)
        self.status.currentIndexChanged.connect(self._emit_now)
        self.section.currentIndexChanged.connect(self._emit_now)
        self.mine.toggled.connect(self._emit_now)
        self.waiting.toggled.connect(self._emit_now)

    def filters(self) -> dict[str, object]:
        return {
            "query": self.search.text().strip() or None,
            "status": self.status.currentData() or None,
            "section": self.section.currentData() or None,
            # An editor's stories waiting for them are the drafts they are the editor of;
            # a desk chief's are everybody's stories in review.
            "editor": self._me if self.mine.isChecked() or self._waiting_is_mine() else None,
            "waiting_for": self._role if self.waiting.isChecked() else None,
        }

    def _waiting_is_mine(self) -> bool:
        return self.waiting.isChecked() and self._role != "desk_chief"

    def set_sections(self, sections: list[str]) -> None:
        current = self.section.currentData()
        with QSignalBlocker(self.section):
            self.section.clear()
            self.section.addItem("All sections", "")
            for path in sections:
                self.section.addItem(path, path)
            index = self.section.findData(current) if current else 0
            self.section.setCurrentIndex(max(index, 0))

    def set_counts(self, counts: dict[str, int]) -> None:
        """Show per-status counts in the status menu (for the other filters in force)."""
        self.status.setItemText(0, f"All statuses ({sum(counts.values()):,})")
        for i, status in enumerate(STATUSES, start=1):
            self.status.setItemText(i, f"{STATUS_LABELS[status]} ({counts.get(status, 0):,})")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _emit_now(self) -> None:
        self._debounce.stop()
        self._emit()

    def _emit(self) -> None:
        self.filters_changed.emit(self.filters())
