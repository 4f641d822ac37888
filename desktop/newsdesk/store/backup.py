"""Rolling backups of the database: take (SQLite backup API), list, prune, check, restore.

Backups live in `<data dir>/backups/` beside the database, named after it:
`newsdesk-YYYYMMDD-HHMMSS-ffffff.db` (UTC) for `newsdesk.db`, so name order is time
order and two databases in one folder never mix their backups. Each is a whole SQLite
file made with the online backup API in one read transaction (a writer in another
process is never blocked, and the copy is one moment of the file), checked with
`PRAGMA integrity_check` and by recomputing every story's content hash, written under a
temporary name and renamed into place: a crash leaves either no backup or a good one,
never a damaged one under a backup's name.

Kept: the newest KEEP_RECENT, plus the newest of each of the last KEEP_DAYS days, and
the last KEEP_DAMAGED raw copies of damaged files. The window takes one when it opens
and closes and at most every MIN_INTERVAL while it runs (`take_backup_if_due`);
`newsdesk backup` takes one on demand.

`restore_backup` refuses while another process has the database open (store/presence.py):
that process would go on saving into the file being replaced, and its saves would be in
neither the database nor any backup. It checks the backup the same way before using it,
backs up the current file first (a raw `damaged-` copy when it fails the checks, never an
ordinary backup), then puts the backup in place atomically.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.disk.atomic import replace_durably
from newsdesk.domain.model import ValidationError
from newsdesk.store import presence
from newsdesk.store.codec import row_to_story
from newsdesk.store.errors import StoreError
from newsdesk.store.media import media_problem
from newsdesk.store.schema import APPLICATION_ID, SCHEMA_VERSION

if TYPE_CHECKING:
    from newsdesk.store.store import Store

BACKUP_DIR = "backups"
KEEP_RECENT = 10
KEEP_DAYS = 7
KEEP_DAMAGED = 3
MIN_INTERVAL = timedelta(minutes=30)
TEMP_PREFIX = ".newsdesk-backup-"
# A copy still being written touches its file every moment; one untouched this long was
# left by a process that was killed or lost power, and only takes disk space.
ABANDONED_AFTER = timedelta(hours=1)
_NAME_RE = re.compile(r"^(?P<stem>.+?)-(?P<damaged>damaged-)?(?P<stamp>\d{8}-\d{6}-\d{6})\.db$")
_STAMP = "%Y%m%d-%H%M%S-%f"
# The whole file in one step of the backup API: one read transaction, which in WAL mode
# never blocks a writer. Copying in several steps would start over after every write by
# another connection, and a window autosaving each second could keep a big copy from
# ever finishing.
_ALL_PAGES = -1
_DAMAGE_WORDS = ("SQLite cannot", "not a readable", "damaged")


class BackupError(StoreError):
    """A backup could not be taken, read or restored; the message says which file."""


class DatabaseDamaged(BackupError):
    """The database failed the checks a backup runs: there is nothing good to copy."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int
    damaged: bool = False  # a raw copy of a file SQLite could not read, kept for rescue

    @property
    def name(self) -> str:
        return self.path.name


def backup_folder(db_path: str | Path) -> Path:
    """Where the backups of the database at `db_path` are kept."""
    return Path(db_path).expanduser().parent / BACKUP_DIR


def list_backups(
    folder: str | Path, db_path: str | Path | None = None, *, include_damaged: bool = False
) -> list[Backup]:
    """The backups in `folder` (of the database `db_path` only, if given), newest first;
    raw copies of damaged files only if asked."""
    folder = Path(folder)
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BackupError(f"cannot read the backup folder {folder}: {exc.strerror}") from None
    for entry in entries:
        match = _NAME_RE.match(entry.name)
        if not match or not entry.is_file():
            continue
        if db_path is not None and match["stem"] != Path(db_path).stem:
            continue
        damaged = bool(match["damaged"])
        if damaged and not include_damaged:
            continue
        taken = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=UTC)
        found.append(Backup(Path(entry.path), taken, entry.stat().st_size, damaged))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def take_backup(
    source: Store | str | Path, folder: str | Path | None = None, *, now: datetime | None = None
) -> Path:
    """Copy the database (an open Store, or a file path) into `folder`; returns the new
    backup. `folder` defaults to the `backups` folder beside the database."""
    db_path = Path(source if isinstance(source, str | Path) else source.path)
    folder = Path(folder) if folder is not None else backup_folder(db_path)
    target = folder / _name(db_path, now)
    tmp = folder / f"{TEMP_PREFIX}{target.name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            if isinstance(source, str | Path):
                src = _connect_readonly(db_path)
                try:
                    src.backup(dest, pages=_ALL_PAGES)
                finally:
                    src.close()
            else:
                source.db.conn.backup(dest, pages=_ALL_PAGES)
            # A backup stands alone: one file, no write-ahead log beside it.
            dest.execute("PRAGMA journal_mode = DELETE")
            problem = _problem(dest)
        finally:
            dest.close()
        if problem:
            raise DatabaseDamaged(f"the database {db_path} is damaged ({problem}); no backup taken")
        replace_durably(tmp, target)
    except sqlite3.Error as exc:
        _remove(tmp)
        raise BackupError(f"cannot back up {db_path}: {exc}") from None
    except OSError as exc:
        _remove(tmp)
        raise BackupError(f"cannot write a backup to {folder}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise
    prune(folder, db_path, now=now)
    return target


def take_backup_if_due(
    source: Store | str | Path,
    folder: str | Path | None = None,
    *,
    interval: timedelta = MIN_INTERVAL,
    now: datetime | None = None,
) -> Path | None:
    """A backup unless the newest one is younger than `interval`; None when not due."""
    db_path = Path(source if isinstance(source, str | Path) else source.path)
    folder = Path(folder) if folder is not None else backup_folder(db_path)
    newest = next(iter(list_backups(folder, db_path)), None)
    moment = now or datetime.now(UTC)
    if newest is not None and moment - newest.taken_at < interval:
        return None
    return take_backup(source, folder, now=now)


def prune(
    folder: str | Path, db_path: str | Path | None = None, *, now: datetime | None = None
) -> list[Path]:
    """Delete backups beyond the newest KEEP_RECENT and one a day for KEEP_DAYS days."""
    backups = list_backups(folder, db_path)
    moment = now or datetime.now(UTC)
    keep = {b.path for b in backups[:KEEP_RECENT]}
    days: set[object] = set()
    for b in backups:
        day = b.taken_at.date()
        if moment - b.taken_at <= timedelta(days=KEEP_DAYS) and day not in days:
            days.add(day)
            keep.add(b.path)
    removed = []
    for b in backups:
        if b.path not in keep:
            _remove(b.path)
            removed.append(b.path)
    # Raw copies of damaged files are rescue material: the last few are kept.
    damaged = [b for b in list_backups(folder, db_path, include_damaged=True) if b.damaged]
    for b in damaged[KEEP_DAMAGED:]:
        _remove(b.path)
        removed.append(b.path)
    return removed + _remove_abandoned(Path(folder), db_path, moment)


def _remove_abandoned(folder: Path, db_path: str | Path | None, moment: datetime) -> list[Path]:
    """Half-written copies (temporary names) of this database that nobody is writing."""
    removed = []
    for tmp in folder.glob(f"{TEMP_PREFIX}*"):
        match = _NAME_RE.match(tmp.name[len(TEMP_PREFIX):])
        if not match or (db_path is not None and match["stem"] != Path(db_path).stem):
            continue
        try:
            touched = datetime.fromtimestamp(tmp.stat().st_mtime, UTC)
        except OSError:
            continue
        if tmp.is_file() and moment - touched > ABANDONED_AFTER:
            _remove(tmp)
            removed.append(tmp)
    return removed


def check_database(db_path: str | Path) -> str | None:
    """None when the file is a sound Newsdesk database; otherwise what is wrong with it.

    Reads the whole file (`PRAGMA integrity_check` and every story's content hash), so
    it costs about as much as a backup. A missing or empty file is sound: it becomes a
    new database.
    """
    path = Path(db_path).expanduser()
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error as exc:
        return f"SQLite cannot open it ({exc})"
    try:
        return _problem(conn)
    except sqlite3.Error as exc:
        return f"SQLite cannot read it ({exc})"
    finally:
        conn.close()


def damage(db_path: str | Path) -> str | None:
    """What is damaged in the file (unreadable, or failing SQLite's check), else None.

    Unlike check_database, a sound file of a newer Newsdesk or another program is not
    damage: restoring a backup over it would be the wrong advice.
    """
    problem = check_database(db_path)
    if problem and problem.startswith(_DAMAGE_WORDS):
        return problem
    return None


def last_good_backup(db_path: str | Path) -> Backup | None:
    """The newest backup of the database that passes the check, if any."""
    for b in list_backups(backup_folder(db_path), db_path):
        if check_database(b.path) is None:
            return b
    return None


def restore_backup(backup: str | Path, db_path: str | Path) -> Path | None:
    """Put `backup` in place of the database at `db_path`, atomically.

    The current file is backed up first (returned; a raw `damaged-…` copy when SQLite
    cannot read it; None when there was no file). Raises BackupError, changing nothing,
    when the backup itself is missing or unsound.
    """
    backup, db_path = Path(backup).expanduser(), Path(db_path).expanduser()
    if not backup.is_file():
        raise BackupError(f"{backup}: no such backup file")
    still_open = presence.others(db_path)
    if still_open:
        raise BackupError(
            f"{db_path} is open in {still_open[0].describe()}"
            + (f" and {len(still_open) - 1} more" if len(still_open) > 1 else "")
            + "; quit it first: it would go on saving into the file a restore replaces. "
            "Nothing was changed"
        )
    problem = check_database(backup)
    if problem:
        raise BackupError(f"{backup} cannot be restored: {problem}")
    folder = backup_folder(db_path)
    saved: Path | None = None
    if db_path.exists() and db_path.stat().st_size > 0:
        if check_database(db_path) is None:
            saved = take_backup(db_path, folder)
        else:
            saved = _raw_copy(db_path, folder)
    tmp = db_path.with_name(f"{TEMP_PREFIX}{db_path.name}")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup, tmp)
        # The old write-ahead log belongs to the old file: replayed onto the restored one
        # it would damage it. Its content is in the backup just taken.
        for suffix in ("-wal", "-shm", "-journal"):
            _remove(db_path.with_name(db_path.name + suffix), strict=True)
        replace_durably(tmp, db_path)
    except OSError as exc:
        _remove(tmp)
        raise BackupError(f"cannot restore {backup} to {db_path}: {exc.strerror or exc}") from None
    return saved


# -- internals ---------------------------------------------------------------------------


def _name(db_path: Path, now: datetime | None, *, damaged: bool = False) -> str:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    kind = "damaged-" if damaged else ""
    return f"{db_path.stem}-{kind}{moment.strftime(_STAMP)}.db"


def _connect_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    conn.execute("PRAGMA schema_version").fetchone()  # fails now on a non-database
    return conn


def _problem(conn: sqlite3.Connection) -> str | None:
    """What makes this connection's database unusable as a Newsdesk database, if anything."""
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        # integrity_check, not quick_check: only the full check compares every index
        # with its table, which is where a few changed bytes of a row show.
        checks = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as exc:
        return f"not a readable SQLite database: {exc}"
    if checks != ["ok"]:
        return "damaged: " + "; ".join(checks)
    if app_id not in (0, APPLICATION_ID):
        return "a SQLite database of another program"
    if version > SCHEMA_VERSION:
        return f"from a newer Newsdesk (schema {version}; this one knows up to {SCHEMA_VERSION})"
    if app_id == APPLICATION_ID:
        return _content_problem(conn)
    return None


def _content_problem(conn: sqlite3.Connection) -> str | None:
    """A story whose stored content hash does not match its fields (bytes changed in
    the file behind SQLite's back, which no SQLite check sees in a text column)."""
    try:
        cursor = conn.execute("SELECT * FROM stories")
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            try:
                story = row_to_story(row)
            except (ValidationError, ValueError, KeyError, TypeError) as exc:
                return f"damaged: story {row.get('slug')!r} cannot be read ({exc})"
            if story.content_hash != row["content_hash"]:
                return (
                    f"damaged: story {row['slug']!r} does not match its content hash "
                    "(changed behind Newsdesk's back)"
                )
        return media_problem(conn)
    except sqlite3.DatabaseError as exc:
        return f"not a readable SQLite database: {exc}"


def _raw_copy(db_path: Path, folder: Path) -> Path:
    """The bytes of a file SQLite cannot read, kept as `damaged-….db` for a rescue."""
    target = folder / _name(db_path, None, damaged=True)
    tmp = folder / f"{TEMP_PREFIX}{target.name}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db_path, tmp)
        replace_durably(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise BackupError(
            f"cannot keep a copy of {db_path} before restoring: {exc.strerror or exc}; "
            "nothing was changed"
        ) from None
    return target


def _remove(path: Path, *, strict: bool = False) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        if strict:
            raise
