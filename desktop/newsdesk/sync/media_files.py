"""Pictures in the interchange tree: `media/<hex>.<ext>`, by content hash, both ways.

A story's front matter lists its pictures (caption, alt, credit... merging like the
other extra keys); the bytes travel beside the stories as `media/<sha256 hex>.<ext>`.
A name is the hash of the bytes, so a file is never renamed, never changed and never
conflicts: two laptops adding the same photo write the same file.

Each pass, after the stories are settled:
- out: every picture the stories here list whose file the tree lacks is written
  (atomically, never over an existing file);
- in: every file of `media/` this database does not hold is read as untrusted input:
  its name must be a picture id and extension, its size within the house limit, its
  bytes must hash to its name and decode as a picture Newsdesk accepts
  (newsdesk.media.inspect). Anything else is reported ("invalid") and not stored; the
  file is left where it is for a person to look at.
A story whose picture has not arrived yet still syncs; its export waits for the bytes
(publish/pictures.py holds it back, saying which picture is missing).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from newsdesk.disk.atomic import FileChangedError, write_atomic
from newsdesk.store import Store
from newsdesk.sync.report import SyncReport

MEDIA_DIR = "media"
# newsdesk.media.sniff's EXTENSIONS, by extension. newsdesk.media (Pillow) is imported
# only when a picture arrives, so a sync without pictures never loads it.
_TYPE_OF = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heic": "image/heic"}
_NAME = re.compile(r"([0-9a-f]{64})\.(" + "|".join(sorted(_TYPE_OF)) + r")")
_EXTENSION = {media_type: ext for ext, media_type in _TYPE_OF.items()}


def tree_pictures(root: Path) -> dict[str, str]:
    """The picture files of the tree's media folder: id -> file name (others ignored)."""
    folder = root / MEDIA_DIR
    found: dict[str, str] = {}
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in os.scandir(folder):
            match = _NAME.fullmatch(entry.name)
            if match:
                found["sha256:" + match[1]] = entry.name
    return found


def check_arrival(name: str, data: bytes) -> tuple[str, str, tuple[int, int]]:
    """(id, media type, size) of a picture file from the tree; MediaError if its bytes
    are not its name or not a picture Newsdesk takes."""
    from newsdesk.media import MediaError, inspect, picture_id

    match = _NAME.fullmatch(name)
    if not match:
        raise MediaError(f"{name}: not a picture file name (<sha256>.<ext>)")
    pid = "sha256:" + match[1]
    if picture_id(data) != pid:
        raise MediaError(f"{name}: its bytes do not match its name (changed or damaged)")
    picture, _found = inspect(data, name)
    if picture.media_type != _TYPE_OF[match[2]]:
        raise MediaError(f"{name}: a {picture.media_type} file with the wrong extension")
    return pid, picture.media_type, (picture.width, picture.height)


def send_pictures(store: Store, root: Path, in_tree: dict[str, str]) -> list[str]:
    """Write the pictures the stories list that the tree lacks; their tree paths."""
    # Only a picture stored here and missing from the tree can go, and only if a story
    # lists it (one listed whose bytes are not here either is left out). Most passes have
    # none waiting, and asking which pictures the stories list reads every story's extra.
    waiting = {pid: kind for pid, kind in store.media.picture_types().items()
               if pid not in in_tree}
    listed = store.media.referenced_pictures() if waiting else set()
    types = {pid: kind for pid, kind in waiting.items() if pid in listed}
    written: list[str] = []
    for pid in sorted(types):
        path = f"{MEDIA_DIR}/{pid.removeprefix('sha256:')}.{_EXTENSION[types[pid]]}"
        (root / MEDIA_DIR).mkdir(exist_ok=True)
        with contextlib.suppress(FileChangedError):  # someone wrote it meanwhile: same bytes
            write_atomic(root / path, store.media.picture_bytes(pid), expect_hash="")
            written.append(path)
    return written


def take_pictures(store: Store, root: Path, in_tree: dict[str, str], report: SyncReport) -> int:
    """Store the tree's pictures this database lacks, each checked; how many taken."""
    missing = sorted(set(in_tree) - set(store.media.stored_pictures(in_tree)))
    if not missing:
        return 0
    from newsdesk.media import MediaError, read_picture_file

    taken = 0
    for pid in missing:
        name = in_tree[pid]
        try:
            data = read_picture_file(root / MEDIA_DIR / name)
            _, media_type, size = check_arrival(name, data)
        except MediaError as exc:
            report.add("invalid", f"picture refused: {exc}", path=f"{MEDIA_DIR}/{name}")
            continue
        store.media.put_picture(pid, media_type, size, data)
        taken += 1
    return taken


def sync_pictures(store: Store, root: Path, report: SyncReport) -> list[str]:
    """One pass's pictures both ways (see the module); the paths written to the tree."""
    in_tree = tree_pictures(root)
    taken = take_pictures(store, root, in_tree, report)
    try:
        written = send_pictures(store, root, in_tree)
    except OSError as exc:  # a full or read-only share: the stories went; say so
        report.add("skipped", f"pictures not sent: {exc.strerror or exc}", path=MEDIA_DIR)
        return []
    if taken or written:
        report.add("note", f"pictures: {taken} received, {len(written)} sent")
    return written
