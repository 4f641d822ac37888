"""Backups in the window: File > Restore from Backup…, rolling backups while it runs, and
the offer of the last good backup when the database is damaged (at startup or later)."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
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

from newsdesk.desk import Desk, backup_file
from newsdesk.model import NewsdeskError, format_datetime

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

# How often the running window asks for a backup; Desk.backup_if_due skips it when the
# newest backup is younger than its own interval (30 minutes).
CHECK_EVERY_MS = 10 * 60 * 1000


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


class _Signals(QObject):
    done = Signal(str, str)  # backup path or "", problem or ""


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


class BackupTools(QObject):
    """Takes backups while the window runs and restores one from the menu."""

    def __init__(self, window: MainWindow, action: QAction):
        super().__init__(window)
        self.window = window
        self.action = action
        self._signals = _Signals()
        self._signals.done.connect(self._finished)
        self._thread: threading.Thread | None = None
        self.last_backup: str = ""
        self.last_problem: str = ""
        action.triggered.connect(self.restore_dialog)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(lambda: self.backup_in_background(force=False))
        self.timer.start()
        # At open only when due: a newsroom archive is gigabytes, and copying it on every
        # start would compete with the first page; the close always takes one.
        self.backup_in_background(force=False)

    def backup_in_background(self, *, force: bool) -> None:
        """Back up off the GUI thread (a big database takes seconds); the copy is checked,
        so this is also the check on open that finds a damaged file."""
        if self._thread is not None and self._thread.is_alive():
            return
        db_path = self.window.desk.path

        def work() -> None:
            try:
                path, problem = str(backup_file(db_path, force=force) or ""), ""
            except NewsdeskError as exc:
                path, problem = "", Desk.diagnose(db_path)[0] or str(exc)
            # The window may have closed meanwhile; then nobody is left to tell.
            with contextlib.suppress(RuntimeError):
                self._signals.done.emit(path, problem)

        self._thread = threading.Thread(target=work, name="newsdesk-backup", daemon=True)
        self._thread.start()

    def _finished(self, path: str, problem: str) -> None:
        if path:
            self.last_backup = path
        if not problem:
            return
        self.last_problem = problem
        self.window.status.showMessage(f"Backup failed: {problem}", 15000)
        _problem, good = Desk.diagnose(self.window.desk.path)
        if _problem and good is not None and ask(
            self.window,
            "Database damaged",
            f"The database is damaged ({problem}).\n\nRestore the last good backup, taken "
            f"{format_datetime(good.taken_at)}? The damaged file is kept.",
        ):
            self.restore(good.path)

    def restore_dialog(self) -> None:
        dialog = BackupDialog(self.window.desk, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        self.restore(dialog.chosen())

    def restore(self, backup: Path | None) -> None:
        window = self.window
        if backup is None or not window._leave_story():
            return
        self.wait()
        window._load(None)
        try:
            saved = window.desk.restore_backup(backup)
        except NewsdeskError as exc:
            QMessageBox.warning(window, "Restore failed", str(exc))
            return
        window.refresh()
        window._reload_sections()
        window._open_initial_story()
        note = f"; the previous database is kept in {saved.name}" if saved else ""
        window.status.showMessage(f"Restored the backup {backup.name}{note}", 15000)

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def shutdown(self) -> None:
        """On close: wait for a running backup, then take the closing one."""
        self.timer.stop()
        self.wait()
        try:
            backup_file(self.window.desk.path)
        except NewsdeskError as exc:
            self.last_problem = str(exc)


def install(window: MainWindow) -> BackupTools:
    """File > Restore from Backup… (after Trash), and the backups the window takes."""
    action = QAction("Restore from &Backup…", window)
    action.setObjectName("action_restore_backup")
    action.setStatusTip("Put an earlier backup of the database back in place")
    window.addAction(action)
    trash = window.actions_["trash_dialog"]
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is not None and trash in menu.actions():
            actions = menu.actions()
            after = actions[actions.index(trash) + 1 :]
            menu.insertAction(after[0] if after else None, action)
            break
    return BackupTools(window, action)
