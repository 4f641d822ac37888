"""The File menu's sync, export and backup entries, and what runs behind them.

The window installs these at start; the dialogs themselves (sync_dialog.py,
export_dialog.py, backup_dialog.py, conflict_view.py) are imported when first opened, so
the start does not pay for them. Backups run here: every CHECK_EVERY_MS while the window
is open (Desk.backup_if_due skips one when the newest is recent), and one at close.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QWidget

from newsdesk.desk import Desk, backup_file
from newsdesk.model import NewsdeskError, format_datetime

if TYPE_CHECKING:
    from newsdesk.ui.dialogs.export import ExportController, ExportSummary
    from newsdesk.ui.dialogs.sync import SyncDialog, SyncOutcome
    from newsdesk.ui.main_window import MainWindow


# Sync


class SyncTools(QObject):
    """The window's sync front door: menu actions, the dialog, the conflict resolver."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: SyncDialog | None = None
        self.sync_action = QAction("S&ync with Folder…", window)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+Y"))
        self.sync_action.setStatusTip("Exchange stories with a shared folder or a git clone")
        self.sync_action.triggered.connect(self.open_dialog)
        self.conflicts_action = QAction("Sync &Conflicts…", window)
        self.conflicts_action.setStatusTip("Stories both sides changed: compare, pick or edit")
        self.conflicts_action.triggered.connect(self.open_conflicts)
        for action in (self.sync_action, self.conflicts_action):
            window.addAction(action)
        menu = _file_menu(window)
        if menu is not None:
            position = _after(menu, window.actions_["import"])
            menu.insertActions(position, [self.sync_action, self.conflicts_action])

    def open_dialog(self) -> SyncDialog:
        from newsdesk.ui.dialogs.sync import SyncDialog

        if self.dialog is None:
            self.dialog = SyncDialog(self.window.desk.path, self.window)
            self.dialog.synced.connect(self._synced)
            self.dialog.conflicts_requested.connect(self.open_conflicts)
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def open_conflicts(self) -> QDialog:
        from newsdesk.ui.dialogs.sync_conflicts import ConflictResolver

        resolver = ConflictResolver(self.window.desk, self.window)
        resolver.resolved.connect(lambda _story: self._refresh())
        resolver.open()
        return resolver

    def _synced(self, outcome: SyncOutcome) -> None:
        self._refresh()
        if outcome.report is not None:
            self.window.statusBar().showMessage(outcome.report.summary(), 8000)

    def _refresh(self) -> None:
        refresh = getattr(self.window, "refresh", None)
        if callable(refresh):
            refresh()

    def shutdown(self) -> None:
        if self.dialog is not None and self.dialog.running:
            self.dialog.close()


def _file_menu(window: QWidget) -> QMenu | None:
    for action in window.menuBar().actions():  # type: ignore[attr-defined]
        if action.menu() is not None and action.text().replace("&", "") == "File":
            return action.menu()
    return None


def _after(menu: QMenu, anchor: QAction) -> QAction | None:
    actions = menu.actions()
    if anchor not in actions:
        return actions[0] if actions else None
    index = actions.index(anchor)
    return actions[index + 1] if index + 1 < len(actions) else None


def install_sync(window: MainWindow) -> SyncTools:
    return SyncTools(window)


# Export


class ExportAction(QObject):
    """The window's Export action: dialog, background export, and no thread left running
    when the window closes. The window only hands over its action and two callbacks."""

    def __init__(
        self,
        window: QWidget,
        desk: Desk,
        action: QAction,
        *,
        before: Callable[[], object] | None = None,
        after: Callable[[ExportSummary], object] | None = None,
    ):
        super().__init__(window)
        self._window = window
        self._desk = desk
        self._before = before
        self._after = after
        self.controllers: list[ExportController] = []
        action.triggered.connect(lambda _checked=False: self.run())
        window.installEventFilter(self)

    def run(self, fmt: str | None = None, folder: Path | None = None,
            *, quiet: bool = False) -> ExportController | None:
        """Export; with `fmt` and `folder` given, without asking (scripts and tests)."""
        from newsdesk.ui.dialogs.export import ExportController, ask_and_export

        if self._before is not None:
            self._before()  # the story being typed goes out as saved, not as it was
        if fmt is None or folder is None:
            controller = ask_and_export(self._window, self._desk, quiet=quiet)
        else:
            controller = ExportController(self._window, self._desk, fmt, folder, quiet=quiet)
            controller.start()
        if controller is not None:
            controller.done.connect(self._finished)
            self.controllers.append(controller)
        return controller

    def _finished(self, summary: ExportSummary) -> None:
        self.controllers = [c for c in self.controllers if c.thread.isRunning()]
        if self._after is not None:
            self._after(summary)

    def stop(self) -> None:
        """Cancel running exports and wait for their threads (nothing gets marked)."""
        for controller in self.controllers:
            controller.worker.cancel()
            controller.thread.quit()
            controller.thread.wait()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.stop()
        return False


def install_export(window: MainWindow) -> ExportAction:
    """File > Export for Publishing… (Ctrl+Shift+E), after the import and sync entries.

    The window needs `desk`, `actions_` (to find Import), `autosaver` and `refresh`.
    """
    action = QAction("E&xport for Publishing…", window)
    action.setObjectName("action_export")
    action.setShortcut(QKeySequence("Ctrl+Shift+E"))
    action.setStatusTip("Write the approved stories out for the publishing system")
    window.addAction(action)
    menu = _menu_holding(window, "import")
    if menu is not None:
        actions = menu.actions()
        start = actions.index(window.actions_["import"])
        position = next((a for a in actions[start:] if a.isSeparator()), None)
        menu.insertAction(position, action)
    return ExportAction(
        window,
        window.desk,
        action,
        before=lambda: window.autosaver.flush(),
        after=lambda _summary: window.refresh(),
    )


def _menu_holding(window: MainWindow, key: str) -> QMenu | None:
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if menu is not None and window.actions_[key] in menu.actions():
            return menu
    return None


# Backups


class _Signals(QObject):
    done = Signal(str, str)  # backup path or "", problem or ""


# How often the running window asks for a backup; Desk.backup_if_due skips it when the
# newest backup is younger than its own interval (30 minutes).
CHECK_EVERY_MS = 10 * 60 * 1000
# The first check waits until the window has settled: copying and checking a gigabyte
# archive beside the first page and the first story made both slower to come up.
FIRST_CHECK_MS = 5000


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
        self.first_check = QTimer(self)
        self.first_check.setSingleShot(True)
        self.first_check.setInterval(FIRST_CHECK_MS)
        self.first_check.timeout.connect(lambda: self.backup_in_background(force=False))
        self.first_check.start()

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
        from newsdesk.ui.dialogs import backup as backup_dialog

        if path:
            self.last_backup = path
        if not problem:
            return
        self.last_problem = problem
        self.window.status.showMessage(f"Backup failed: {problem}", 15000)
        _problem, good = Desk.diagnose(self.window.desk.path)
        if _problem and good is not None and backup_dialog.ask(
            self.window,
            "Database damaged",
            f"The database is damaged ({problem}).\n\nRestore the last good backup, taken "
            f"{format_datetime(good.taken_at)}? The damaged file is kept.",
        ):
            self.restore(good.path)

    def restore_dialog(self) -> None:
        from newsdesk.ui.dialogs import backup as backup_dialog

        dialog = backup_dialog.BackupDialog(self.window.desk, self.window)
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
        self.first_check.stop()
        self.wait()
        try:
            backup_file(self.window.desk.path)
        except NewsdeskError as exc:
            self.last_problem = str(exc)


def install_backups(window: MainWindow) -> BackupTools:
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
