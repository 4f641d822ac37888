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

import hashlib
import json
import os
import re
import stat
import struct
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from newsdesk.model import NewsdeskError, Story, slugify
from newsdesk.sync.atomic import TEMP_PREFIX

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
    for length in (SHORT_ID_LENGTH, 12, len(hex_id)):
        name = f"{STORIES_DIR}/{day:%Y}/{day:%m}/{day.isoformat()}-{slug}-{hex_id[:length]}.md"
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


class FileStat(NamedTuple):
    """What the stat cache compares: equal stats mean the file need not be read again."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


# Files are grouped by folder and the first characters of their name: the date of a
# story's file name ("2026-11-25-"), so a group is a day of stories.
GROUP_CHARS = 11


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

    def is_settled(self, path: str) -> bool:
        return group_of(path) in self.settled or folder_of(path) in self.settled_folders


def folder_of(path: str) -> str:
    """The folder of a file or group, with its slash ("stories/2026/11/")."""
    return path[: path.rindex("/") + 1]


def group_of(path: str) -> str:
    """The group of a story file: its folder (with the slash) and its name's first
    GROUP_CHARS characters, such as "stories/2026/11/2026-11-25-"."""
    return path[: path.rindex("/") + 1 + GROUP_CHARS]


def group_range(group: str) -> tuple[str, list[object]]:
    """SQL condition and parameters for the `path` column: the files of one group."""
    name_at = group.rindex("/") + 2
    if len(group) < name_at - 1 + GROUP_CHARS:
        return "path = ?", [group]  # a name shorter than the group's share of it
    after = group[:-1] + chr(ord(group[-1]) + 1)
    return "path >= ? AND path < ? AND instr(substr(path, ?), '/') = 0", [group, after, name_at]


_STAT = struct.Struct("<qqQ").pack  # size, mtime_ns, inode: packed, not formatted


def listing_digest(files: list[tuple[str, os.stat_result]]) -> str:
    names = "\0".join([name for name, _st in files])
    digest = hashlib.sha256(names.encode("utf-8", "surrogateescape"))
    digest.update(b"".join([_STAT(st.st_size, st.st_mtime_ns, st.st_ino) for _n, st in files]))
    return digest.hexdigest()


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
    # Plain strings and one stat call per file: this loop runs once per file of a big
    # archive, and a pass with nothing to do is mostly this loop.
    stack = [(STORIES_DIR + "/", top)]
    while stack:
        rel, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            # Going on would take every file in there for missing.
            raise WorkspaceError(f"cannot read the folder {folder}: {exc.strerror}") from None
        files: list[tuple[str, os.stat_result]] = []
        is_file = stat.S_ISREG
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if temp_files is not None and name.startswith(TEMP_PREFIX):
                    temp_files.append(Path(entry.path))
                continue
            try:
                if name.endswith(".md"):
                    st = entry.stat(follow_symlinks=False)
                    if is_file(st.st_mode):
                        files.append((name, st))
                elif entry.is_dir(follow_symlinks=False):
                    stack.append((f"{rel}{name}/", entry.path))
            except OSError:
                continue
        if not files:
            continue
        digest = walk.folders[rel] = listing_digest(files)
        if recorded.get(rel) == digest:
            walk.settled_folders.add(rel)
            continue
        groups: dict[str, list[tuple[str, os.stat_result]]] = {}
        for name, st in files:
            groups.setdefault(name[:GROUP_CHARS], []).append((name, st))
        for key, members in groups.items():
            digest = listing_digest(members)
            if recorded.get(rel + key) == digest:
                walk.settled.add(rel + key)
            else:
                walk.opened[rel + key] = Listing(members, digest)
    return walk
