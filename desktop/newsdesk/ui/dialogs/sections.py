"""The window's small dialogs: managing sections and restoring stories from the trash."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.model import NewsdeskError
from newsdesk.ui.panes.story_list_model import format_moment


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


class TrashDialog(QDialog):
    """Stories moved to the trash, newest first; restore puts them back in the list."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self.restored: list[str] = []
        self.setWindowTitle("Trash")
        self.list = QListWidget(self)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.empty = QLabel("The trash is empty.", self)
        self.empty.setProperty("role", "muted")
        self.restore_button = QPushButton("Restore", self)
        self.restore_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.restore_button.clicked.connect(self._restore)
        self.list.itemDoubleClicked.connect(lambda _item: self._restore())
        buttons.rejected.connect(self.reject)
        self._reload()

    def _reload(self) -> None:
        self.list.clear()
        for row in self._desk.trash():
            when = f" · deleted {format_moment(row.deleted_at)}" if row.deleted_at else ""
            where = row.section or "no section"
            item = QListWidgetItem(f"{row.headline}\n{row.slug} · {where}{when}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self.restore_button.setEnabled(self.list.count() > 0)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _restore(self) -> None:
        for item in self.list.selectedItems():
            story_id = item.data(Qt.ItemDataRole.UserRole)
            try:
                self._desk.undelete(story_id)
            except NewsdeskError as exc:
                QMessageBox.warning(self, "Cannot restore", str(exc))
                continue
            self.restored.append(story_id)
        self._reload()
