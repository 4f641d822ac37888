"""One connection to the database file: opening it safely (pragmas, migrations), its
transactions, and the file it writes.

Only `Connection.transaction` begins and commits (connections are in autocommit mode,
see `connect`); nested use is a savepoint of the outer transaction. A file
replaced under the connection (a restore) or a write-ahead log deleted from under it is
noticed before each write and each read of the list (`ensure_current_file`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from newsdesk.store.errors import StoreError
from newsdesk.store.schema import APPLICATION_ID, SCHEMA_VERSION, migrate

BUSY_TIMEOUT_MS = 5000
WAL_SIZE_LIMIT = 64 * 1024 * 1024
PAGE_CACHE_KB = 64 * 1024


def connect(path: Path) -> Database:
    """Open (creating if needed) and migrate the database at `path`, or raise StoreError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the folder for the database {path}: {exc}") from None
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")
    try:
        # isolation_level=None: the driver never opens a transaction by itself. Only
        # Store.transaction (and migrate) begin and commit, so a stray statement (a write
        # to a temporary table, a failed query) can never leave the connection inside a
        # transaction that turns every later save into a savepoint nobody commits.
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    try:
        _check_file(conn, path)
        # No sqlite-utils plugins: the store relies on none, a plugin installed beside
        # Newsdesk must not change how its database behaves, and looking for them costs
        # a scan of the installed packages at every start.
        db = Database(conn, execute_plugins=False)
        # journal_mode cannot change inside a transaction; the others are per connection.
        db.enable_wal()
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # FULL: with WAL, NORMAL may lose the last commits on power loss; an
        # acknowledged save must survive.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        # SQLite's default page cache is 2 MB; a sorted, filtered page at 100,000 stories
        # probes a few thousand rows across the file, and with 64 MB those pages stay
        # warm (measured: the slowest list page 19 ms -> 4-7 ms). Pages are allocated as
        # they are read, so a small desk pays nothing.
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KB}")
        # After a big import the log is cut back at the next checkpoint, not kept at size.
        conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        migrate(db, path)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    except BaseException:
        conn.close()
        raise
    return db


def _check_file(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse files that are not SQLite, not ours, or from a newer schema; read-only."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise StoreError(f"{path} is not a Newsdesk database (SQLite says: {exc})") from None
        raise StoreError(f"cannot read the database {path} (SQLite says: {exc})") from None
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise StoreError(f"{path} is a SQLite database of another program, not Newsdesk")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer Newsdesk (schema {version}; this one knows up "
            f"to {SCHEMA_VERSION}); update Newsdesk to open it. The file was not changed."
        )


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (device and inode), or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class Connection:
    """The open database at `path`: `db` is its sqlite_utils.Database, `depth` how deep
    in `transaction` it is (0: none open)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: Database = connect(path)
        self.depth = 0
        self._files = _identity(path), _identity(_wal(path))

    def close(self) -> None:
        # No ANALYZE / PRAGMA optimize here: measured at 100,000 stories, the statistics
        # lead SQLite to sort whole statuses and to count without an index, where the
        # plans chosen without them (see listing) answer in milliseconds.
        self.db.close()

    def ensure_current_file(self) -> None:
        """Make sure this connection still writes the file at `path`.

        A restore from a backup (another process) puts a new file in place: the
        connection is reopened on it, so a save based on a revision the restored file
        does not have meets StaleRevision (the conflict path) instead of going into the
        replaced file, where nobody would ever see it. A write-ahead log deleted from
        under this connection holds its latest saves: they are written into the database
        at once (a checkpoint through the log this connection still has open), then the
        connection is reopened so that it and other processes share one log again.
        """
        database, wal = _identity(self.path), _identity(_wal(self.path))
        if (database, wal) == self._files or self.depth:
            return
        if database is None:
            raise StoreError(
                f"the database file {self.path} was removed while Newsdesk had it open; "
                "nothing was changed (quit Newsdesk: it writes what it holds back as it closes)"
            )
        if database == self._files[0]:
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise StoreError(
                    f"the write-ahead log of {self.path} was removed while Newsdesk had it "
                    f"open and its saves could not be written back ({exc}); quit every "
                    "Newsdesk on this database, then open it again. Do not restore a backup: "
                    "this process holds the latest saves"
                ) from None
        self.db.close()
        self.db = connect(self.path)
        self._files = _identity(self.path), _identity(_wal(self.path))

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction; nested use becomes a savepoint of the outer one.

        A transaction open on the connection that this method did not begin is a bug
        that would swallow every later write, so it is refused with a StoreError
        instead of nested into.
        """
        if self.depth:
            self.depth += 1
            try:
                with self.db.atomic():
                    yield self.db
            finally:
                self.depth -= 1
            return
        if self.db.conn.in_transaction:
            raise StoreError(
                "internal error: a transaction was left open on the database connection; "
                "nothing was written (please report this)"
            )
        self.ensure_current_file()
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"the database is busy or cannot be written ({exc}); nothing was changed, try again"
            ) from None
        self.depth = 1
        try:
            yield self.db
            conn.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            self.db.rollback()
            raise StoreError(
                f"the change breaks a rule of the database ({exc}); nothing was changed"
            ) from None
        except sqlite3.Error as exc:
            self.db.rollback()
            raise StoreError(f"could not write the database ({exc}); nothing was changed") from None
        except BaseException:
            self.db.rollback()
            raise
        finally:
            self.depth = 0

    def checkpoint(self) -> None:
        """Write the log back into the database and empty it, unless in a transaction:
        one big transaction grows the write-ahead log to the size of what it wrote."""
        if not self.depth:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
