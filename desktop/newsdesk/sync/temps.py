"""A laptop's temporary files in a shared folder: whose they are, and when another
laptop's may be cleared (the writes themselves: disk/atomic.py, disk/staged.py)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from newsdesk.disk.atomic import TEMP_PREFIX


def temp_owner(database: Path) -> str:
    """A short name for one database's temporary files in a shared folder: a pass removes
    its own leftovers at once, another laptop's only when they are old (that laptop may
    be in the middle of a pass)."""
    return hashlib.sha256(str(database).encode("utf-8")).hexdigest()[:8]


def is_stale_temp(path: Path, owner: str, max_age_s: float = 3600) -> bool:
    """Whether a leftover temporary file may go: `owner`'s own, or anyone's an hour old."""
    if path.name.startswith(f"{TEMP_PREFIX}{owner}-"):
        return True
    try:
        return path.stat().st_mtime < time.time() - max_age_s
    except OSError:
        return False
