"""The backup sub-commands of `newsdesk`: backup (take one, or --list), restore-backup;
and `damage_hint`, which names the backup that brings a damaged database back.

`restore-backup` runs without opening the database (Command.opens_desk False): it is
what a person runs when the file is damaged and cannot be opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json
from newsdesk.domain.model import NewsdeskError, format_datetime
from newsdesk.paths import default_db_path

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.store.backup import Backup


def _build_backup(p: argparse.ArgumentParser) -> None:
    p.add_argument("--list", action="store_true", help="list the backups instead, newest first")
    p.add_argument("--json", action="store_true")


def cmd_backup(desk: Desk, args: argparse.Namespace) -> int:
    if args.list:
        found = desk.backups()
        if args.json:
            emit_json([_backup_dict(b) for b in found])
        for b in found if not args.json else ():
            print(f"{format_datetime(b.taken_at)}  {b.size:>12,} bytes  {b.path}")
        return 0
    path = desk.backup()
    if args.json:
        emit_json({"backup": str(path)})
    else:
        print(path)
    return 0


def _build_restore(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "backup",
        nargs="?",
        type=Path,
        metavar="BACKUP",
        help="the backup file to restore (default: the newest good one)",
    )
    p.epilog = (
        "The current database is backed up first, so a restore can itself be undone. "
        "Close Newsdesk windows on this database before restoring."
    )


def cmd_restore(_desk: Desk | None, args: argparse.Namespace) -> int:
    from newsdesk.store import backup as db_backups  # when run: not to read the command line

    db_path = Path(args.db).expanduser() if args.db else default_db_path()
    chosen = args.backup
    if chosen is None:
        good = db_backups.last_good_backup(db_path)
        if good is None:
            raise NewsdeskError(
                f"no good backup of {db_path} in {db_backups.backup_folder(db_path)}"
            )
        chosen = good.path
    saved = db_backups.restore_backup(chosen, db_path)
    print(f"restored {db_path} from {chosen}")
    if saved is not None:
        print(f"the database as it was is kept in {saved}")
    return 0


_SQLITE_HEADER = b"SQLite format 3\x00"


def damage_hint(db: Path | None) -> str:
    """For an error on opening: when the file is damaged, which backup brings it back.

    A folder, or a file that does not even start as SQLite (and has no backup), is not
    "damaged": the error on opening already says it is not a Newsdesk database.
    """
    from newsdesk.store import backup as db_backups
    from newsdesk.store import presence

    db_path = Path(db).expanduser() if db else default_db_path()
    if db_path.is_dir():
        return ""
    elsewhere = presence.open_elsewhere(db_path)
    if elsewhere:
        return f"\nThe file may be fine: {elsewhere}."
    try:
        with open(db_path, "rb") as file:
            sqlite = file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
        problem = db_backups.damage(db_path)
        if problem is None:
            return ""
        good = db_backups.last_good_backup(db_path)
    except (OSError, NewsdeskError):
        return ""
    if good is None:
        if not sqlite:
            return ""
        return f"\nThe database file is damaged ({problem}) and there is no backup of it."
    db_option = f"--db {db_path} " if db else ""
    found = (
        f"\nThe database file is damaged ({problem}).\n" if sqlite
        else "\nThe file is not SQLite; if it was this database, its backup brings it back.\n"
    )
    return (
        f"{found}"
        f"The last good backup is {good.path} (taken {format_datetime(good.taken_at)}).\n"
        f"Restore it with: newsdesk {db_option}restore-backup {good.path}"
    )


def _backup_dict(b: Backup) -> dict[str, object]:
    return {"path": str(b.path), "taken_at": format_datetime(b.taken_at), "size": b.size}


COMMANDS = (
    Command("backup", "back up the database now (into backups/ beside it)", _build_backup,
            cmd_backup),
    Command("restore-backup", "replace the database with one of its backups", _build_restore,
            cmd_restore, opens_desk=False),
)
