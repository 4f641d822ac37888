"""Who has a database open: one locked file per open Store, so a restore can ask first.

SQLite in WAL mode holds no lock while a connection is idle, so nothing in the database
says that a window still has it open. Each Store therefore keeps a small file (its Presence) in
`<database>-sessions/` (process id, program, when) and holds an exclusive lock on it for
as long as it is open. A file that can be locked by someone else belongs to a process
that is gone (killed, crashed) and is cleared. `others()` names the live ones, so that
`restore-backup` can refuse while another process could still save into the file it
would replace. See docs/architecture.md ("Saves and the database file").
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


@dataclass(frozen=True)
class Holder:
    """A live process that has the database open."""

    pid: int
    program: str
    started: str

    def describe(self) -> str:
        return f"{self.program} (process {self.pid}, open since {self.started})"


def folder_of(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-sessions")


def program_name() -> str:
    """What a person would call this process: 'newsdesk window', 'newsdesk sync'..."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if name in ("newsdesk", "newsdesk-gui", "__main__.py"):
        return "newsdesk " + (args[0] if args and "/" not in args[0] else "window")
    return name


class Presence:
    """This process's registration on one database; close() ends it."""

    def __init__(self, db_path: Path):
        self.path: Path | None = None
        self._fd: int | None = None
        folder = folder_of(db_path)
        info = {"pid": os.getpid(), "program": program_name(),
                "started": datetime.now(UTC).replace(microsecond=0).isoformat()}
        try:
            folder.mkdir(exist_ok=True)
            path = folder / f"{os.getpid()}-{secrets.token_hex(4)}.json"
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        except OSError:
            return  # a read-only folder: nothing can be saved there, nothing to protect
        os.write(fd, json.dumps(info).encode("utf-8"))
        if not _try_lock(fd):
            os.close(fd)
            return
        self.path, self._fd = path, fd

    def close(self) -> None:
        if self._fd is None or self.path is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None


def others(db_path: Path, mine: Presence | None = None) -> list[Holder]:
    """The live sessions on the database other than `mine`; stale files are removed."""
    folder = folder_of(db_path)
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    live = []
    for path in entries:
        if mine is not None and path == mine.path:
            continue
        info = _read_live(path)
        if info is not None:
            live.append(info)
    return live


def _read_live(path: Path) -> Holder | None:
    """The session in `path` if its process still holds the lock; else clear it."""
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        if _try_lock(fd):
            # Nobody holds it: the process that made it is gone.
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        data = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
        return Holder(int(data.get("pid", 0)), str(data.get("program", "?")),
                           str(data.get("started", "?")))
    except (OSError, ValueError):
        return Holder(0, "another Newsdesk", "?")
    finally:
        os.close(fd)


def open_elsewhere(db_path: Path) -> str:
    """For an error on opening the database: a sentence naming the processes that have it
    open (their saves may sit in its write-ahead log), or "" when none has."""
    live = others(db_path)
    if not live:
        return ""
    names = "; ".join(info.describe() for info in live[:3])
    wal = db_path.with_name(db_path.name + "-wal")
    missing = "" if wal.exists() else f" and its write-ahead log {wal.name} is missing"
    return (
        f"the database is open in {names}{missing}. Quit that Newsdesk first (it writes "
        "its saves into the database as it closes), then try again; do not restore a "
        "backup while it runs: it holds the latest saves"
    )
