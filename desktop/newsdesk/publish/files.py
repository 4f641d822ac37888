"""Files of the publish tree: temporary files, hashes, safe paths, names.

Every temporary file of an export lives in one folder of the tree, `.newsdesk/tmp/`, and
is renamed from there into place: `clear_debris` empties it when an export starts (a
killed one left files there) and `clear_tmp` when it ends, so no page is left lying about
under a name the export never listed, to be served by a web server or read by a
publisher.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from pathlib import Path, PurePosixPath

from newsdesk.disk.atomic import TEMP_PREFIX  # every temporary file an export makes
from newsdesk.domain.model import NewsdeskError, slugify


class ExportError(NewsdeskError):
    """An export that cannot run or finish; the message says which folder or file."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# The export's own folder in its tree, and the one where its temporary files live.
TREE_DIR = ".newsdesk"
TMP_DIR = f"{TREE_DIR}/tmp"
# What Newsdesk 0.1 left beside its targets when killed: swept from the whole tree.
_LEGACY_MANIFEST_TEMP = re.compile(r"\.manifest\.json\.[^/]+\.tmp")


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None if it is not there."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def safe_relpath(text: object) -> PurePosixPath:
    """A manifest path as a relative POSIX path inside the tree; ExportError otherwise.

    The manifest is a file on disk that anyone can edit: a path such as `../../x` or
    `/etc/passwd` in it must never make an export write or delete outside its folder.
    """
    if not isinstance(text, str) or not text or "\\" in text or "\x00" in text:
        raise ExportError(f"manifest lists an unusable path {text!r}")
    path = PurePosixPath(text)
    if path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        raise ExportError(f"manifest lists a path outside the export folder: {text!r}")
    if ":" in path.parts[0]:
        raise ExportError(f"manifest lists a path outside the export folder: {text!r}")
    return path


# Names Windows keeps for devices, with any extension: no file or folder can be called
# `con`, `aux.md` or `nul.html` there, and a tree that holds one cannot be copied there.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
     *(f"lpt{n}" for n in range(1, 10))}
)


def file_stem(name: str) -> str:
    """`name` as a file or folder name every system can create: a Windows device name
    (con, aux, nul, com1...) gets a trailing '-'."""
    return f"{name}-" if name.lower() in WINDOWS_RESERVED else name


@functools.lru_cache(maxsize=4096)  # a desk has a few dozen sections, and 10,000 stories
def section_folders(section: str) -> tuple[str, ...]:
    """'News / Metro' -> ('news', 'metro'): one ASCII folder name per section level.

    A level without ASCII letters or digits (say, in Chinese) gets a short stable name
    from its hash, so that two such sections never share a folder.
    """
    folders = []
    for part in (p.strip() for p in section.split("/")):
        if not part:
            continue
        name = slugify(part, limit=40)
        if name == "story" and "story" not in part.lower():
            name = "s-" + sha256_hex(part.encode("utf-8"))[:8]
        folders.append(file_stem(name))
    return tuple(folders)


def prune_empty_dirs(start: Path, root: Path) -> None:
    """Remove `start` and its parents while they are empty, stopping at `root`."""
    root = root.resolve()
    folder = start.resolve()
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def is_debris(relpath: str) -> bool:
    """Whether a path of the tree is a temporary file an export made (this version's, in
    TMP_DIR, or an earlier one's, beside its target)."""
    name = relpath.rsplit("/", 1)[-1]
    return (relpath.startswith(TMP_DIR + "/") or name.startswith(TEMP_PREFIX)
            or bool(_LEGACY_MANIFEST_TEMP.fullmatch(relpath)))


def clear_debris(root: Path) -> tuple[list[str], set[str]]:
    """Remove the temporary files exports left in the tree (a killed export's, or an
    earlier version's). Returns their relative paths, and those of every other file in
    the tree (which tells an export which files are there without a stat of each).
    ExportError if a temporary file cannot be removed."""
    removed: list[str] = []
    present: set[str] = set()
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in names:
            relpath = prefix + name
            # Every temporary name starts with a dot: one cheap test for most files.
            if name[0] != "." or not is_debris(relpath):
                present.add(relpath)
                continue
            try:
                os.unlink(os.path.join(folder, name))
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise ExportError(
                    f"cannot remove {os.path.join(folder, name)}, left by an export that did "
                    f"not finish ({exc.strerror or exc})"
                ) from None
            removed.append(relpath)
    return sorted(removed), present


def clear_tmp(root: Path) -> None:
    """Empty and remove TMP_DIR after an export, whatever happened to it, and TREE_DIR if
    nothing else is in it (best effort: the next export's clear_debris finishes the job)."""
    tmp = root / TMP_DIR
    with contextlib.suppress(OSError):
        for entry in os.scandir(tmp):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    for folder in (tmp, root / TREE_DIR):
        with contextlib.suppress(OSError):
            folder.rmdir()  # fails, as it should, when the folder is not empty
