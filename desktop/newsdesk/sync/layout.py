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

import json
import os
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
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
    # slugify again: a slug from a hand-edited file must not be able to walk out of stories/.
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


def walk_story_files(
    root: Path, temp_files: list[Path] | None = None
) -> Iterator[tuple[str, os.stat_result]]:
    """Every story file under stories/ as (relative name, stat), without reading any.

    Temporary files left by an interrupted atomic write are added to `temp_files`. A
    folder that cannot be listed raises WorkspaceError.
    """
    top = os.path.join(root, STORIES_DIR)
    if not os.path.isdir(top):
        return
    # Plain strings and one stat call per file: this loop runs once per file of a big
    # archive, and a pass with nothing to do is mostly this loop.
    skip = len(str(root)) + 1
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            # Going on would take every file in there for missing.
            raise WorkspaceError(f"cannot read the folder {folder}: {exc.strerror}") from None
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if temp_files is not None and name.startswith(TEMP_PREFIX):
                    temp_files.append(Path(entry.path))
                continue
            try:
                if name.endswith(".md"):
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode):
                        yield entry.path[skip:].replace(os.sep, "/"), st
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
            except OSError:
                continue
