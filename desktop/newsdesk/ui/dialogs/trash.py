"""File › Trash…: stories moved to the trash, newest first; Restore puts them back in the
list, Delete Forever… removes them for good (after a confirmation), with their revisions
and history. The list hears of either (ui/events.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.domain import wording
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui.panes.story_list_model import format_moment


def confirm_purge(parent: QWidget, headlines: list[str]) -> bool:
    """Ask before deleting for good; True means delete (tests replace this)."""
    named = f"“{headlines[0]}”" if len(headlines) == 1 else wording.count(len(headlines), "story")
    answer = QMessageBox.warning(
        parent,
        "Delete Forever",
        f"Delete {named} for good, with every revision and its history?\n\n"
        "This cannot be undone; a backup taken before now still holds it.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class TrashDialog(QDialog):
    """Stories moved to the trash, newest first; restore or delete for good."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self.restored: list[str] = []
        self.purged: list[str] = []
        self.setWindowTitle("Trash")
        self.list = QListWidget(self)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.empty = QLabel("The trash is empty.", self)
        self.empty.setProperty("role", "muted")
        self.restore_button = QPushButton("Restore", self)
        self.restore_button.setDefault(True)
        self.purge_button = QPushButton("Delete Forever…", self)
        self.purge_button.setObjectName("purgeButton")
        self.purge_button.setToolTip(
            "Remove the chosen stories for good, with their revisions and history"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.purge_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(560, 420)
        self.restore_button.clicked.connect(self._restore)
        self.purge_button.clicked.connect(self.purge_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self._restore())
        buttons.rejected.connect(self.reject)
        self._reload()

    @classmethod
    def ask(cls, desk: Desk, parent: QWidget) -> list[str]:
        """Show the trash until closed; the ids of the stories restored."""
        dialog = cls(desk, parent)
        dialog.exec()
        return dialog.restored

    def _reload(self) -> None:
        self.list.clear()
        for row in self._desk.trash():
            when = f" · deleted {format_moment(row.deleted_at)}" if row.deleted_at else ""
            where = row.section or "no section"
            item = QListWidgetItem(f"{row.headline}\n{row.slug} · {where}{when}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, row.headline)
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        for button in (self.restore_button, self.purge_button):
            button.setEnabled(self.list.count() > 0)
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

    def purge_selected(self) -> list[str]:
        """Delete the chosen stories for good, once the user confirms; their ids."""
        items = self.list.selectedItems()
        if not items or not confirm_purge(
            self, [item.data(Qt.ItemDataRole.UserRole + 1) for item in items]
        ):
            return []
        done: list[str] = []
        for item in items:
            story_id = item.data(Qt.ItemDataRole.UserRole)
            try:
                self._desk.purge(story_id)
            except NewsdeskError as exc:
                QMessageBox.warning(self, "Cannot delete", str(exc))
                continue
            done.append(story_id)
        self.purged.extend(done)
        self._reload()
        return done
