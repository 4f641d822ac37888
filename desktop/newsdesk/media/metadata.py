"""The metadata a picture file carries, combined from XMP, IPTC and EXIF: pure decisions.

Precedence, field by field: XMP, then IPTC IIM, then EXIF (the order of the IPTC Photo
Metadata and MWG guidance: XMP is the current standard, IIM the legacy copy, EXIF the
camera's). Each value is cleaned (newsdesk.media.text) and the first non-empty one wins;
what cleaning changed is noted. When no source names a credit line, the creator is the
credit (a picture without a credit is a copy error later; the person can change it).
GPS presence and the camera name are reported so a person can be told they exist;
neither is ever stored in a field or exported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk.media.dates import xmp_date
from newsdesk.media.limits import MULTILINE_FIELDS, TEXT_LIMITS
from newsdesk.media.text import clean

FIELDS = ("caption", "alt", "credit", "creator", "copyright", "date_taken")
SOURCES = ("XMP", "IPTC", "EXIF")


@dataclass(frozen=True)
class FileMetadata:
    """What the file said, cleaned: field values, where each came from, and notes."""

    caption: str = ""
    alt: str = ""
    credit: str = ""
    creator: str = ""
    copyright: str = ""
    date_taken: str = ""
    sources: Mapping[str, str] = field(default_factory=dict)
    has_location: bool = False
    camera: str = ""
    orientation: int = 1
    notes: tuple[str, ...] = ()

    def values(self) -> dict[str, str]:
        """The field values by name (empty ones included)."""
        return {name: getattr(self, name) for name in FIELDS}


def _first(
    name: str, found: Sequence[tuple[str, Mapping[str, str]]]
) -> tuple[str, str, tuple[str, ...]]:
    """(value, source, notes) of the first source with a non-empty cleaned value."""
    for source, fields in found:
        raw = fields.get(name, "")
        if not isinstance(raw, str) or not raw.strip():
            continue
        text, notes = clean(raw, TEXT_LIMITS[name], name in MULTILINE_FIELDS)
        if name == "date_taken":
            text, notes = xmp_date(text), ()
        if text:
            return text, source, tuple(f"{name} ({source}): {note}" for note in notes)
    return "", "", ()


def combine(
    found: Sequence[tuple[str, Mapping[str, str]]],
    *,
    has_location: bool = False,
    camera: str = "",
    orientation: int = 1,
    notes: Sequence[str] = (),
) -> FileMetadata:
    """One FileMetadata from (source name, raw fields) pairs given in precedence order."""
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    all_notes = list(notes)
    for name in FIELDS:
        text, source, field_notes = _first(name, found)
        if text:
            values[name], sources[name] = text, source
            all_notes.extend(field_notes)
    if not values.get("credit") and values.get("creator"):
        values["credit"], sources["credit"] = values["creator"], sources["creator"]
        all_notes.append("credit: none in the file, the creator is used")
    camera_text, _ = clean(camera, TEXT_LIMITS["creator"])
    return FileMetadata(
        **values,
        sources=sources,
        has_location=has_location,
        camera=camera_text,
        orientation=orientation if 1 <= orientation <= 8 else 1,
        notes=tuple(all_notes),
    )
