"""Atomic writes of one file: a reader sees the old file or the new one, never half of
one, and a write that returned is on disk, its folder entry included.

`write_atomic` writes the bytes to a temporary file of a unique name (a process never
takes over another's half-written file), flushes it, renames it over the target and
flushes the folder. `replace_durably` does the last steps for a temporary file another
tool filled (SQLite's backup API). Many files at once: staged.py. Temporary names start
with TEMP_PREFIX, so the walks that clear leftovers (the sync's, an export's) know them.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import secrets
from pathlib import Path

from newsdesk.disk.durable import fsync_dir, fsync_file

TEMP_PREFIX = ".newsdesk-tmp-"
# Temporary file names: random per process, then counted (no random draw per file).
_UNIQUE = secrets.token_hex(5)
_SERIAL = itertools.count()


def _new_process_names() -> None:
    # A forked child would otherwise draw the very names its parent draws next.
    global _UNIQUE, _SERIAL
    _UNIQUE, _SERIAL = secrets.token_hex(5), itertools.count()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_process_names)


class FileChangedError(OSError):
    """The file on disk is no longer the one the caller read: it must be merged first."""


def file_hash(data: bytes) -> str:
    """The hash `expect_hash` compares with: "sha256:" and the hex digest."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def temp_name(name: str, owner: str = "") -> str:
    """A temporary name for the file `name`, unique to this process and this call."""
    return f"{TEMP_PREFIX}{owner or 'x'}-{_UNIQUE}{next(_SERIAL):x}-{name}"


def write_temp(
    path: Path,
    data: bytes,
    *,
    sync: bool,
    made: set[Path] | None = None,
    owner: str = "",
    mode: int = 0o644,
    tmp_dir: Path | None = None,
) -> Path:
    """Write `data` to a new temporary file for `path` (in `tmp_dir`, default beside it,
    which must be on the same file system); returns the temporary path. The file is
    created with `mode` (never wider for a moment), and flushed when `sync`.

    `made` remembers folders already created, so a batch does not ask for each again."""
    folder = path.parent if tmp_dir is None else tmp_dir
    for needed in {path.parent, folder}:
        if made is None or needed not in made:
            needed.mkdir(parents=True, exist_ok=True)
            if made is not None:
                made.add(needed)
    tmp = folder / temp_name(path.name, owner)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def check_unchanged(path: Path, expect_hash: str | None) -> None:
    """FileChangedError unless `path` still has `expect_hash` ("" means: must not exist;
    None: anything may be there).

    The check and the replace that follows are not one atomic step (no file system
    offers that), but the window is microseconds instead of the caller's whole run.
    """
    if expect_hash is None:
        return
    try:
        if not expect_hash:
            os.stat(path)  # must not exist: no need to read it to know
        current = file_hash(path.read_bytes())
    except FileNotFoundError:
        current = ""
    if current != expect_hash:
        raise FileChangedError(f"{path} changed on disk meanwhile; nothing was written over it")


def write_atomic(
    path: Path,
    data: bytes,
    *,
    mode: int = 0o644,
    tmp_dir: Path | None = None,
    expect_hash: str | None = None,
    strict: bool = True,
) -> None:
    """Replace `path` with `data` atomically and durably (see the module docstring).

    `mode` is the new file's permissions (0o600: the owner's only, from the first byte);
    `tmp_dir` holds the temporary file instead of the target's folder; `expect_hash`
    guards edits the caller has not seen (check_unchanged). `strict=False` lets a folder
    that refuses to be flushed (some network shares) pass once the rename is done.
    """
    tmp = write_temp(path, data, sync=True, mode=mode, tmp_dir=tmp_dir)
    try:
        check_unchanged(path, expect_hash)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent, strict=strict)


def write_new(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Create `path` with `data`, whole and durable, unless it exists (FileExistsError,
    nothing written): of two processes creating one file at once, exactly one wins and
    the other reads what the winner wrote (a hard link, unlike a rename, never replaces)."""
    tmp = write_temp(path, data, sync=True, mode=mode)
    try:
        os.link(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    fsync_dir(path.parent, strict=False)


def replace_durably(tmp: Path, path: Path, *, strict: bool = False) -> None:
    """Put a finished temporary file in place: its bytes flushed, renamed over `path`,
    the folder flushed. The caller removes `tmp` if this raises."""
    fsync_file(tmp)
    os.replace(tmp, path)
    fsync_dir(path.parent, strict=strict)
