"""Making writes survive a power cut: the fsync of a file and of a folder."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path, *, strict: bool = True) -> None:
    """Flush a folder's entries (new files, renames). Windows cannot open a folder for
    fsync; a rename is durable enough there. `strict=False` lets a folder that will not
    be flushed (some shares refuse) pass, for callers that only strengthen a write."""
    if os.name == "nt":
        return
    try:
        fsync_file(folder)
    except OSError:
        if strict:
            raise
