"""The Desk's backups of the database (the copying itself is in store/backup.py)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext
from newsdesk.paths import default_db_path
from newsdesk.store import Store
from newsdesk.store import backup as db_backups


class Backups:
    """Backups taken, listed and restored."""

    def __init__(self, context: DeskContext) -> None:
        self._c = context

    def backup(self) -> Path:
        """Take a backup now, into the backups folder beside the database."""
        return db_backups.take_backup(self._c.store)

    def backup_if_due(self) -> Path | None:
        """A backup unless the newest one is younger than 30 minutes."""
        return db_backups.take_backup_if_due(self._c.store)

    def backups(self) -> list[db_backups.Backup]:
        """The backups of this database, newest first."""
        return db_backups.list_backups(db_backups.backup_folder(self._c.path), self._c.path)

    def restore_backup(self, backup: str | Path) -> Path | None:
        """Replace the database with `backup`; the current one is backed up first (its
        backup is returned). The desk is open on the restored database afterwards."""
        session = self._c.store.session
        self._c.store.close()
        try:
            return db_backups.restore_backup(backup, self._c.path)
        finally:
            self._c.store = Store.open(self._c.path)
            # Still the same person: saves keep recording their key, a sync their trust.
            self._c.store.session = session
            self._c.notify(Changes(everything=True))


def diagnose(path: str | Path | None = None) -> tuple[str | None, db_backups.Backup | None]:
    """For a database that would not open or read: what is damaged in the file (None when
    it is not damaged, say from a newer Newsdesk) and its last good backup."""
    db_path = Path(path).expanduser() if path else default_db_path()
    problem = db_backups.damage(db_path)
    return problem, db_backups.last_good_backup(db_path) if problem else None


def restore_over(backup: str | Path, path: str | Path | None = None) -> tuple[Path, Path | None]:
    """Restore `backup` over a database that cannot be opened; returns the database's
    path and where the damaged file was kept."""
    db_path = Path(path).expanduser() if path else default_db_path()
    return db_path, db_backups.restore_backup(backup, db_path)


def backup_file(path: str | Path, *, force: bool = True) -> Path | None:
    """Back up the database file at `path` through a connection of its own, so any thread
    may call it; with force=False only when the newest backup is 30 minutes old."""
    if force:
        return db_backups.take_backup(Path(path))
    return db_backups.take_backup_if_due(Path(path))
