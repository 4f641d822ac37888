"""A re-export with nothing changed: the desk and the tree as the last export left them.

Even with nothing changed, a re-export reads every story's row, the manifest and the
tree (publish/light.py): at 10,000 stories about ten times a stat walk of the tree. But
when nothing an export reads has changed, its outcome is the last one's. So after an
export that completed cleanly the Desk records a mark (`QuietMark`, in the database):
the desk's state as that export read it (`desk_state`: the store's change counter,
which every write of a story moves, the open sync conflicts, the trusted keys and the
signer, the format, the house rule for kill pages, the renderers and this version) and
the tree's stamp (`tree_stamp`: every file's path, type, size, inode, modification and
change times; any write, rename, link or touch of a file changes it, and the change time
cannot be set back from user space). A re-export that finds the same desk state and the
same stamp, before any embargo it waits for ends, writes nothing and reports the last
outcome (`QuietReport`). Anything else (a story saved, a conflict, a key, a file edited,
added or removed, a temporary file left, `full`) takes the full path. The stamp is a
stat walk: the floor a re-export is measured against.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from newsdesk import __version__
from newsdesk.domain.model import format_datetime, parse_datetime
from newsdesk.identity.signing import Keyring
from newsdesk.publish.files import is_debris
from newsdesk.publish.manifest import RENDERER
from newsdesk.publish.render import body_renderer
from newsdesk.publish.report import ExportReport, QuietReport
from newsdesk.publish.trust import ManifestSigner

MARK_VERSION = 1


@dataclass(frozen=True)
class QuietMark:
    """What an export read and left, and the outcome it reported."""

    state: str
    stamp: str
    until: str  # when the earliest embargo still ahead ends ("" when none)
    stories: int
    skipped: tuple[tuple[str, str, str], ...] = ()
    conflicted: tuple[str, ...] = ()
    killed: tuple[str, ...] = ()

    def dumps(self) -> str:
        return json.dumps({"version": MARK_VERSION, "state": self.state, "stamp": self.stamp,
                           "until": self.until, "stories": self.stories,
                           "skipped": self.skipped, "conflicted": self.conflicted,
                           "killed": self.killed})

    @classmethod
    def loads(cls, text: str | None) -> QuietMark | None:
        """The mark, or None if there is none or it is not one this version wrote."""
        try:
            doc = json.loads(text or "null")
            if not isinstance(doc, dict) or doc.get("version") != MARK_VERSION:
                return None
            return cls(str(doc["state"]), str(doc["stamp"]), str(doc["until"]),
                       int(doc["stories"]),
                       tuple((str(i), str(s), str(r)) for i, s, r in doc["skipped"]),
                       tuple(str(i) for i in doc["conflicted"]),
                       tuple(str(i) for i in doc["killed"]))
        except (ValueError, KeyError, TypeError):
            return None


def folder_key(out_dir: str | Path) -> str:
    """The folder a mark is kept under: its real path."""
    return os.path.realpath(out_dir)


def desk_state(
    fmt: str, counter: tuple[int, int], conflicts: Mapping[str, str], keyring: Keyring | None,
    signer: ManifestSigner | None, hugo_kill: str,
) -> str:
    """A digest of everything an export reads of the desk besides the clock. `counter`:
    the database's schema version and change counter."""
    doc = {
        "format": fmt, "counter": list(counter), "conflicts": sorted(conflicts.items()),
        "keyring": sorted(keyring.keys.items()) if keyring is not None else None,
        "signer": [signer.name, signer.public_key] if signer is not None else None,
        "hugo_kill": hugo_kill, "renderer": RENDERER, "body": body_renderer(),
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode("utf-8")).hexdigest()


def horizon(embargoes: Iterable[datetime | None], now: datetime) -> str:
    """When the earliest embargo still ahead of `now` ends ("" when none): until then an
    unchanged desk exports the same."""
    ahead = [when for when in embargoes if when is not None and when > now]
    return format_datetime(min(ahead)) if ahead else ""


def tree_stamp(root: Path) -> str | None:
    """The stamp of every file under `root`; None when it is not a folder or holds a
    temporary file of an export (the full path clears it)."""
    lines: list[str] = []
    pending = [(str(root), "")]
    try:
        while pending:
            folder, prefix = pending.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, rel + "/"))
                        continue
                    if entry.name[0] == "." and is_debris(rel):
                        return None
                    st = entry.stat(follow_symlinks=False)
                    lines.append(f"{rel}\0{st.st_mode}\0{st.st_size}\0{st.st_ino}\0"
                                 f"{st.st_mtime_ns}\0{st.st_ctime_ns}\n")
    except OSError:
        return None
    lines.sort()
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def quiet_report(
    mark_text: str | None, state: str, root: Path, fmt: str, now: datetime
) -> ExportReport | None:
    """The last export's outcome if nothing it read has changed since; None otherwise."""
    mark = QuietMark.loads(mark_text)
    if mark is None or mark.state != state:
        return None
    if mark.until and now >= parse_datetime(mark.until):
        return None
    if tree_stamp(root) != mark.stamp:
        return None
    return QuietReport(format=fmt, out_dir=root, skipped=list(mark.skipped),
                       conflicted=list(mark.conflicted), killed=list(mark.killed),
                       stories=mark.stories)


def mark_of(report: ExportReport, state: str, root: Path, until: str) -> str | None:
    """The mark of an export that completed cleanly (its tree stamped now), as text."""
    stamp = tree_stamp(root)
    if stamp is None:
        return None
    return QuietMark(state, stamp, until, report.story_count, tuple(report.skipped),
                     tuple(report.conflicted), tuple(report.killed)).dumps()
