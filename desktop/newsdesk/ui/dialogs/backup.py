"""Backups in the window: the Restore from Backup dialog, and the offer of the last good
backup when the database is damaged (at startup or later). The backups the running window
takes, and the menu entry, are in file_tools.py (BackupTools)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError, format_datetime


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def offer_restore_at_startup(db: Path | None, error: NewsdeskError) -> Desk | None:
    """The database would not open: if it is damaged and a good backup exists, offer to
    restore it. Returns the desk opened on the restored file, or None."""
    problem, good = Desk.diagnose(db)
    if problem is None or good is None:
        return None
    text = (
        f"Newsdesk cannot open its database:\n{error}\n\n"
        f"The last good backup was taken {format_datetime(good.taken_at)}.\n"
        "Restore it? The damaged file is kept in the backups folder."
    )
    if not ask(None, "Database damaged", text):
        return None
    try:
        desk, _saved = Desk.open_from_backup(good.path, db)
    except NewsdeskError as exc:
        QMessageBox.critical(None, "Restore failed", str(exc))
        return None
    return desk


class BackupDialog(QDialog):
    """The backups of this database, newest first; Restore puts the chosen one back."""

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Restore from Backup")
        self.setObjectName("backupDialog")
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Pick a backup to put in place of the database. The database as it is now "
                "is backed up first, so this can be undone."
            )
        )
        self.list = QListWidget()
        for b in desk.backups():
            item = QListWidgetItem(f"{format_datetime(b.taken_at)}    {b.size // 1024:,} KB")
            item.setData(256, str(b.path))
            item.setToolTip(str(b.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        restore = buttons.button(QDialogButtonBox.StandardButton.Ok)
        restore.setText("Restore")
        restore.setEnabled(self.list.count() > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        return Path(item.data(256)) if item is not None else None
