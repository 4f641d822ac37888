"""The watched folder's file rules: which files are complete, where a handled file goes.

A file is picked up only once it is complete: names starting with "." and ending in
".tmp" (or ".part", ".partial") are files still being written, by convention renamed
when done; any other file must keep the same size and modification time across two
looks a settle interval apart. A handled file moves to DIR/.done/ or DIR/.rejected/ (the
latter with NAME.reason beside it), under a free name if one of that name is there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

DONE = ".done"
REJECTED = ".rejected"
IN_PROGRESS_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload")

Stamp = tuple[int, int]  # size and modification time (ns)


def candidate(name: str) -> bool:
    """A name the watcher may take: not hidden, not a file still being written."""
    return not name.startswith(".") and not name.lower().endswith(IN_PROGRESS_SUFFIXES)


def look(folder: Path) -> dict[str, Stamp]:
    """The candidate files directly in `folder` with their size and modification time."""
    stamps: dict[str, Stamp] = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if not candidate(entry.name):
                continue
            try:
                if entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    stamps[entry.name] = (info.st_size, info.st_mtime_ns)
            except OSError:
                continue  # gone meanwhile: the next look decides
    return stamps


def stable(before: Mapping[str, Stamp], now: Mapping[str, Stamp]) -> list[str]:
    """The files unchanged between two looks (pure): complete, by the size rule."""
    return sorted(name for name, stamp in now.items() if before.get(name) == stamp)


def free_name(name: str, taken: Callable[[str], bool]) -> str:
    """`name`, else `stem-2.ext`, `stem-3.ext`... the first `taken` says is free (pure)."""
    if not taken(name):
        return name
    stem, dot, ext = name.partition(".") if not name.startswith(".") else (name, "", "")
    n = 2
    while taken(candidate_name := f"{stem}-{n}{dot}{ext}"):
        n += 1
    return candidate_name


def move(folder: Path, name: str, outcome: str, reason: str = "") -> Path:
    """Move folder/name into .done or .rejected (outcome "done"/"rejected"); a rejected
    file's reason is written first, so a crash between the two leaves the file where it
    was and the next pass writes the reason again. Returns where the file went."""
    target_dir = folder / (DONE if outcome == "done" else REJECTED)
    target_dir.mkdir(exist_ok=True)
    # A .reason without its file is one a crash left before the move: written over.
    target = free_name(name, lambda n: (target_dir / n).exists())
    if outcome != "done":
        (target_dir / f"{target}.reason").write_text(reason.rstrip("\n") + "\n",
                                                      encoding="utf-8")
    os.replace(folder / name, target_dir / target)
    return target_dir / target
