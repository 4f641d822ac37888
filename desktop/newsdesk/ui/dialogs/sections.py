"""Story › Manage Sections…: add and remove sections of the managed list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError


class SectionsDialog(QDialog):
    """Add and remove sections of the managed list ("News / Metro")."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self.setWindowTitle("Manage Sections")
        self.list = QListWidget(self)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("News / Metro")
        self.add_button = QPushButton("Add", self)
        self.remove_button = QPushButton("Remove", self)
        self.message = QLabel(self)
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)

        entry = QHBoxLayout()
        entry.addWidget(self.path, 1)
        entry.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Sections are paths; use “/” between levels.", self))
        layout.addWidget(self.list, 1)
        layout.addLayout(entry)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(380, 420)

        self.add_button.clicked.connect(self._add)
        self.path.returnPressed.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons.rejected.connect(self.reject)
        self._reload()

    def _reload(self) -> None:
        self.list.clear()
        self.list.addItems(self._desk.sections())

    def _add(self) -> None:
        text = self.path.text().strip()
        if not text:
            return
        try:
            added = self._desk.add_section(text)
        except NewsdeskError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self.path.clear()
        self._reload()
        matches = self.list.findItems(added, Qt.MatchFlag.MatchExactly)
        if matches:
            self.list.setCurrentItem(matches[0])

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            self._desk.remove_section(item.text())
        except NewsdeskError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        self._reload()
