"""Backups while the window runs, and File › Restore from Backup….

A backup is a job in the runner's backups lane (one at a time, off the GUI thread):
every CHECK_EVERY_MS while the window is open (backup_if_due skips one when the newest
is recent), and one at close. The dialog (dialogs/backup.py) is imported when first
opened. A restore tells every pane that everything changed (Changes(everything=True)).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

from newsdesk.desk import Desk, backup_file
from newsdesk.domain.model import NewsdeskError, format_datetime
from newsdesk.ui.jobs.runner import Job, Progress

if TYPE_CHECKING:
    from newsdesk.ui.window import StoryWindow

LANE = "backups"


# How often the running window asks for a backup; Desk.backup_if_due skips it when the
# newest backup is younger than its own interval (30 minutes).
CHECK_EVERY_MS = 10 * 60 * 1000
# The first check waits until the window has settled: copying and checking a gigabyte
# archive beside the first page and the first story made both slower to come up.
FIRST_CHECK_MS = 5000


class BackupTools(QObject):
    """Takes backups while the window runs and restores one from the menu."""

    def __init__(self, window: StoryWindow):
        super().__init__(window.dialog_parent())
        self.window = window
        self.action = window.actions_["restore_backup"]
        self._job: Job | None = None
        self.last_backup: str = ""
        self.last_problem: str = ""
        self.action.triggered.connect(self.restore_dialog)
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
        if self.window.jobs.busy(LANE):
            return
        db_path = self.window.desk.path

        def work(_desk: Desk, _progress: Progress) -> tuple[str, str]:
            # Through a connection of its own: a backup reads the file, never the desk.
            return str(backup_file(db_path, force=force) or ""), ""

        def fail(exc: Exception) -> tuple[str, str]:
            return "", Desk.diagnose(db_path)[0] or str(exc)

        self._job = Job(db_path, work, fail=fail)
        self._job.finished.connect(self._answered)
        self.window.jobs.start(self._job, LANE)

    def _answered(self, answer: tuple[str, str]) -> None:
        self._finished(*answer)

    def _finished(self, path: str, problem: str) -> None:
        from newsdesk.ui.dialogs import backup as backup_dialog

        if path:
            self.last_backup = path
        if not problem:
            return
        self.last_problem = problem
        self.window.show_message(f"Backup failed: {problem}", 15000)
        _problem, good = Desk.diagnose(self.window.desk.path)
        if _problem and good is not None and backup_dialog.ask(
            self.window.dialog_parent(),
            "Database damaged",
            f"The database is damaged ({problem}).\n\nRestore the last good backup, taken "
            f"{format_datetime(good.taken_at)}? The damaged file is kept.",
        ):
            self.restore(good.path)

    def restore_dialog(self) -> None:
        from newsdesk.ui.dialogs import backup as backup_dialog

        dialog = backup_dialog.BackupDialog(self.window.desk, self.window.dialog_parent())
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        self.restore(dialog.chosen())

    def restore(self, backup: Path | None) -> None:
        """Put `backup` in place of the database; every pane hears that everything
        changed, and the first story opens again."""
        window = self.window
        if backup is None or not window.leave_story():
            return
        self.wait()
        window.close_story()
        try:
            saved = window.desk.restore_backup(backup)
        except NewsdeskError as exc:
            QMessageBox.warning(window.dialog_parent(), "Restore failed", str(exc))
            return
        window.open_first_story()
        note = f"; the previous database is kept in {saved.name}" if saved else ""
        window.show_message(f"Restored the backup {backup.name}{note}", 15000)

    def wait(self) -> None:
        """Wait for a running backup and take in its answer."""
        self.window.jobs.settle(LANE)

    def shutdown(self) -> None:
        """On close: wait for a running backup, then take the closing one."""
        self.timer.stop()
        self.first_check.stop()
        self.wait()
        try:
            backup_file(self.window.desk.path)
        except NewsdeskError as exc:
            self.last_problem = str(exc)
