"""The interchange tree's shape: story file names, the workspace marker, what a pass reads.

    FOLDER/
      .newsdesk-workspace                      marker: workspace id and format version
      stories/2026/11/2026-11-25-<slug>-<shortid>.md

A story's file name is chosen once, from its creation date, the slug it had then and the
first eight hex digits of its id, and never changes afterwards (a later slug change
edits the front matter only). A file moved or renamed by hand is still found: the pass
identifies files by the id in their front matter, never by their name. Only `*.md` files
under `stories/` are story files; dot folders (`.git`, `.trash`) and dot files (the
temporary files of atomic writes) are skipped.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
import operator
import os
import re
import stat
import struct
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from newsdesk.disk.atomic import TEMP_PREFIX
from newsdesk.domain.model import NewsdeskError, Story, slugify
from newsdesk.store.sync_cache import GROUP_CHARS, folder_of, group_of

MARKER_NAME = ".newsdesk-workspace"
STORIES_DIR = "stories"
FORMAT_VERSION = 1
SHORT_ID_LENGTH = 8
# The slug part of a file name; the full slug is in the front matter.
NAME_SLUG_LIMIT = 40
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class WorkspaceError(NewsdeskError):
    """The folder cannot be used as an interchange tree (the message says why)."""


@dataclass(frozen=True)
class Workspace:
    root: Path
    workspace_id: str
    format_version: int


def story_relpath(story: Story, taken: set[str] | None = None) -> str:
    """The file name (relative, with forward slashes) a new story gets in the tree."""
    day = story.created_at.date()
    # slugify again: a slug from a hand-edited file must not be able to walk out of stories/
    # (a slug that is one already, the usual case, is what slugify would make of it).
    slug = story.slug
    if len(slug) > NAME_SLUG_LIMIT or not _SLUG_RE.fullmatch(slug):
        slug = slugify(story.slug or story.headline, limit=NAME_SLUG_LIMIT)
    hex_id = story.id.replace("-", "").lower()
    iso = day.isoformat()
    # The folder as strftime's %Y/%m writes it (slicing the ISO date is what costs less,
    # and gives the same for every four-digit year).
    folder = f"{iso[:4]}/{iso[5:7]}" if day.year >= 1000 else f"{day:%Y}/{day:%m}"
    for length in (SHORT_ID_LENGTH, 12, len(hex_id)):
        name = f"{STORIES_DIR}/{folder}/{iso}-{slug}-{hex_id[:length]}.md"
        if taken is None or name not in taken:
            return name
    return name


def read_marker(root: Path) -> Workspace | None:
    """The workspace marker of a folder, None when there is none; WorkspaceError if bad."""
    path = root / MARKER_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"{path}: cannot read the workspace marker ({exc})") from None
    try:
        data = json.loads(text)
        workspace_id = str(data["workspace"])
        version = int(data["format"])
    except (ValueError, KeyError, TypeError):
        raise WorkspaceError(f"{path}: the workspace marker is damaged") from None
    if version > FORMAT_VERSION:
        raise WorkspaceError(
            f"{root} is a Newsdesk workspace of format {version}; this Newsdesk reads "
            f"format {FORMAT_VERSION} and older. Update Newsdesk to sync it."
        )
    return Workspace(root, workspace_id, version)


def marker_text(workspace_id: str) -> str:
    data = {"format": FORMAT_VERSION, "workspace": workspace_id, "app": "newsdesk"}
    return json.dumps(data, indent=2) + "\n"


def new_workspace_id() -> str:
    return str(uuid.uuid4())


class Listing(NamedTuple):
    """The story files of one group of the tree, as the walk found them.

    `digest` covers every name and stat in scandir order: a group whose digest equals the
    one recorded when all its files were last settled needs no look at any of them."""

    files: list[tuple[str, os.stat_result]]
    digest: str


@dataclass
class Walk:
    """The groups of the tree, by what the recorded digests say of them. A folder's own
    digest (key: the folder with its slash) stands for all its groups: recorded only when
    each of them was settled, it spares the walk a digest per group."""

    opened: dict[str, Listing] = field(default_factory=dict)  # digest not the recorded one
    settled: set[str] = field(default_factory=set)  # groups with the recorded digest
    settled_folders: set[str] = field(default_factory=set)  # folders with theirs
    folders: dict[str, str] = field(default_factory=dict)  # every folder's digest
    # Per folder, a digest of what else is in it (subfolders, dot files, files that are
    # not stories): all of the tree the walk saw, for SyncReport.tree.
    others: dict[str, str] = field(default_factory=dict)

    def is_settled(self, path: str) -> bool:
        return group_of(path) in self.settled or folder_of(path) in self.settled_folders


# Stats are taken relative to an open folder (fstatat: one name to look up, not the
# whole path) where the platform can; the figures are the same either way.
_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
_STAT_FIELDS = operator.attrgetter("st_size", "st_mtime_ns", "st_ino")
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def listing_digest(files: list[tuple[str, os.stat_result]]) -> str:
    names = "\0".join([name for name, _st in files])
    digest = hashlib.sha256(names.encode("utf-8", "surrogateescape"))
    stats = map(_STAT_FIELDS, [st for _name, st in files])
    digest.update(struct.pack("<" + "qqQ" * len(files), *itertools.chain.from_iterable(stats)))
    return digest.hexdigest()


def _candidates(entries: list[os.DirEntry[str]]) -> list[tuple[str, os.stat_result]]:
    """The `*.md` entries of a folder (not dot files) with their stats, in listing order;
    an entry gone before its stat was taken is left out."""
    try:
        found = [
            (e.name, e.stat(follow_symlinks=False))
            for e in entries
            if e.name.endswith(".md") and not e.name.startswith(".")
        ]
    except OSError:  # one of them vanished meanwhile: one by one
        found = []
        for e in entries:
            if e.name.endswith(".md") and not e.name.startswith("."):
                with contextlib.suppress(OSError):
                    found.append((e.name, e.stat(follow_symlinks=False)))
    return found


def _other_entries(entries: list[os.DirEntry[str]], story_files: int) -> list[os.DirEntry[str]]:
    """The entries that are not story file candidates (folders, dot files, others)."""
    if story_files == len(entries):
        return []  # the usual folder of a month: story files only
    return [e for e in entries if e.name.startswith(".") or not e.name.endswith(".md")]


def _list_folder(folder: str) -> tuple[list[os.DirEntry[str]], int | None]:
    """A folder's entries, and the open folder they can be stat'ed through (close it)."""
    fd = os.open(folder, _DIR_FLAGS) if _BY_FD else None
    try:
        with os.scandir(folder if fd is None else fd) as it:
            return list(it), fd
    except BaseException:
        if fd is not None:
            os.close(fd)
        raise


def walk_tree(
    root: Path, recorded: dict[str, str | None], temp_files: list[Path] | None = None
) -> Walk:
    """Every group of story files under stories/, without reading any, sorted by whether
    its digest is the `recorded` one.

    Temporary files left by an interrupted atomic write are added to `temp_files`. A
    folder that cannot be listed raises WorkspaceError.
    """
    walk = Walk()
    top = os.path.join(root, STORIES_DIR)
    if not os.path.isdir(top):
        return walk
    with no_collection():
        _walk(walk, [(STORIES_DIR + "/", top)], recorded, temp_files)
    return walk


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: a loop over every file of a big archive
    makes objects and frees them as it goes (no cycles), yet would set off collections
    (scans of every object of the process) over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _walk(
    walk: Walk,
    stack: list[tuple[str, str]],
    recorded: dict[str, str | None],
    temp_files: list[Path] | None,
) -> None:
    # Plain strings, comprehensions and one stat call per file: this runs once per file
    # of a big archive, and a pass with nothing to do is mostly this loop.
    while stack:
        rel, folder = stack.pop()
        files = _story_files(rel, folder, stack, temp_files, walk.others)
        if files:
            _sort_groups(walk, rel, files, recorded)


def _story_files(
    rel: str,
    folder: str,
    stack: list[tuple[str, str]],
    temp_files: list[Path] | None,
    others: dict[str, str],
) -> list[tuple[str, os.stat_result]]:
    """The story files of one folder with their stats; its subfolders go on `stack`,
    its stray temporary files into `temp_files`, a digest of all but its story files
    into `others`."""
    try:
        entries, fd = _list_folder(folder)
    except OSError as exc:
        # Going on would take every file in there for missing.
        raise WorkspaceError(f"cannot read the folder {folder}: {exc.strerror}") from None
    try:
        found = _candidates(entries)
        is_file = stat.S_ISREG
        files = [item for item in found if is_file(item[1].st_mode)]
        odd = [(name, st) for name, st in found if not is_file(st.st_mode)]
        rest = _other_entries(entries, len(found))
        _file_others(rel, folder, rest, stack, temp_files)
        if rest or odd:
            others[rel] = _others_digest([(e.name, _lstat(e)) for e in rest] + odd)
    finally:
        if fd is not None:
            os.close(fd)
    return files


def _file_others(
    rel: str,
    folder: str,
    rest: list[os.DirEntry[str]],
    stack: list[tuple[str, str]],
    temp_files: list[Path] | None,
) -> None:
    """Put a folder's subfolders on `stack` and its stray temporary files into
    `temp_files`; other hidden entries are left alone."""
    for entry in rest:
        name = entry.name
        if name.startswith("."):
            if temp_files is not None and name.startswith(TEMP_PREFIX):
                temp_files.append(Path(folder, name))
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                stack.append((f"{rel}{name}/", os.path.join(folder, name)))


def _lstat(entry: os.DirEntry[str]) -> os.stat_result | None:
    with contextlib.suppress(OSError):
        return entry.stat(follow_symlinks=False)
    return None  # gone meanwhile: it counts by its name alone


def _others_digest(entries: list[tuple[str, os.stat_result | None]]) -> str:
    """Names and stats of what is in a folder besides its story files."""
    digest = hashlib.sha256()
    for name, st in sorted(entries, key=lambda item: item[0]):
        stats = _STAT_FIELDS(st) if st is not None else ()
        digest.update(f"{name}\0{stats}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _sort_groups(
    walk: Walk, rel: str, files: list[tuple[str, os.stat_result]], recorded: dict[str, str | None]
) -> None:
    """File one folder's groups as settled (their digest is the recorded one) or opened;
    a folder whose own digest is the recorded one is settled whole."""
    digest = walk.folders[rel] = listing_digest(files)
    if recorded.get(rel) == digest:
        walk.settled_folders.add(rel)
        return
    groups: dict[str, list[tuple[str, os.stat_result]]] = {}
    for name, st in files:
        groups.setdefault(name[:GROUP_CHARS], []).append((name, st))
    for key, members in groups.items():
        digest = listing_digest(members)
        if recorded.get(rel + key) == digest:
            walk.settled.add(rel + key)
        else:
            walk.opened[rel + key] = Listing(members, digest)
