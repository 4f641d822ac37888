"""One picture of a story as a value, and the merge of file metadata into it: pure.

A picture is known by the SHA-256 of its original bytes ("sha256:<64 hex>"), so the same
photo attached twice is one picture and its renditions can be cached by that id. The
fields a person edits (caption, alt, credit, creator, copyright, date taken) come first
from what they typed; metadata read from the file only fills the fields still empty
(blank or whitespace), never replaces text a person wrote.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from newsdesk.media.errors import MediaError
from newsdesk.media.metadata import FIELDS, FileMetadata
from newsdesk.media.sniff import EXTENSIONS

ROLES = ("lead", "gallery", "inline")
DEFAULT_ROLE = "gallery"
PERSON_FIELDS = FIELDS
_ID = re.compile(r"sha256:[0-9a-f]{64}")


def picture_id(data: bytes) -> str:
    """The content id of a picture's original bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def is_picture_id(text: str) -> bool:
    """True for a well-formed picture id (safe to use in a file name)."""
    return bool(_ID.fullmatch(text))


def file_name_for(picture_id_: str, media_type: str) -> str:
    """The interchange file name of a picture: "<hex>.<ext>" (the id checked first)."""
    if not is_picture_id(picture_id_) or media_type not in EXTENSIONS:
        raise MediaError(f"not a picture id and type: {picture_id_[:80]!r} {media_type[:40]!r}")
    return f"{picture_id_.removeprefix('sha256:')}.{EXTENSIONS[media_type]}"


@dataclass(frozen=True)
class Picture:
    """A picture attached to a story: file facts, the fields a person edits, its role."""

    id: str
    file_name: str
    media_type: str
    width: int
    height: int
    caption: str = ""
    alt: str = ""
    credit: str = ""
    creator: str = ""
    copyright: str = ""
    date_taken: str = ""
    role: str = DEFAULT_ROLE

    def __post_init__(self) -> None:
        problem = picture_problem(self)
        if problem:
            raise MediaError(problem)

    def as_json(self) -> dict[str, Any]:
        """The picture as `newsdesk show --json` lists it ("type" is the media type)."""
        data = asdict(self)
        data["type"] = data.pop("media_type")
        order = ("id", "file_name", "type", "width", "height", *PERSON_FIELDS, "role")
        return {key: data[key] for key in order}


def picture_problem(picture: Picture) -> str:
    """Why these picture values cannot be (""), checked on every Picture made."""
    if not is_picture_id(picture.id):
        return "a picture id is 'sha256:' and 64 lowercase hex digits"
    if picture.media_type not in EXTENSIONS:
        return f"unknown picture type {picture.media_type[:40]!r}"
    if not (isinstance(picture.width, int) and isinstance(picture.height, int)):
        return "picture width and height are whole numbers"
    if picture.width < 1 or picture.height < 1:
        return "picture width and height are at least 1"
    if picture.role not in ROLES:
        return f"a picture's role is one of {', '.join(ROLES)}, not {picture.role[:40]!r}"
    return ""


def is_blank(value: str) -> bool:
    """A field nobody has filled: empty or only whitespace."""
    return not value.strip()


def merge_metadata(picture: Picture, found: FileMetadata) -> Picture:
    """`picture` with its blank person fields filled from the file; typed text wins."""
    fill = {
        name: value
        for name, value in found.values().items()
        if value and is_blank(getattr(picture, name))
    }
    return replace(picture, **fill) if fill else picture
