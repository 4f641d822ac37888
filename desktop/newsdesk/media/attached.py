"""The pictures a story carries, as its `pictures` front-matter key: pure decisions.

Where they live: a story's pictures are the list under the extra key "pictures" (one
mapping a picture, in order: the fields of Picture.as_json). That one place gives them
everything a story field has: every save of the list is a revision (and a revision
restored brings its pictures back), the list is part of the content hash (model.py:
adding, removing or re-captioning a picture voids an approval, and a story without
pictures keeps the hash it always had), and it travels in the front matter of the
synced file, merging like the other extra keys. The bytes are elsewhere, by content
hash (store/media.py in the database, `media/<hex>.<ext>` in a sync tree).

The list may come from a file someone edited (the sync folder is untrusted), so
`pictures_of` checks every entry as a Picture (id, type, size, role) and cleans its text
fields as metadata read from a file is cleaned; a list it cannot read is a MediaError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from newsdesk.domain.model import PICTURES_KEY as PICTURES_KEY
from newsdesk.media.errors import MediaError
from newsdesk.media.limits import MULTILINE_FIELDS, TEXT_LIMITS
from newsdesk.media.metadata import FIELDS
from newsdesk.media.picture import Picture, is_picture_id
from newsdesk.media.text import clean

LEAD = "lead"
GALLERY = "gallery"
MAX_PICTURES = 200
# A picture named in the body: ![alt](media:<id>) (the id with or without "sha256:").
BODY_REFERENCE = r"!\[(?P<alt>[^\]\n]*)\]\(media:(?:sha256:)?(?P<hex>[0-9a-f]{64})\)"


def _text(entry: Mapping[str, Any], name: str) -> str:
    value = entry.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MediaError(f"picture field {name!r} is not text")
    return clean(value, TEXT_LIMITS[name], name in MULTILINE_FIELDS)[0]


def _number(entry: Mapping[str, Any], name: str) -> int:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MediaError(f"picture field {name!r} is not a whole number")
    return value


def picture_from_entry(entry: object) -> Picture:
    """One entry of the list as a Picture, checked and cleaned (MediaError if it is not)."""
    if not isinstance(entry, Mapping):
        raise MediaError("a picture entry is a mapping of its fields")
    file_name = entry.get("file_name", "")
    if not isinstance(file_name, str):
        raise MediaError("picture field 'file_name' is not text")
    return Picture(
        id=str(entry.get("id", "")),
        file_name=clean(file_name, 200)[0] or "picture",
        media_type=str(entry.get("type", "")),
        width=_number(entry, "width"),
        height=_number(entry, "height"),
        role=str(entry.get("role") or GALLERY),
        **{name: _text(entry, name) for name in FIELDS},
    )


def pictures_of(extra: Mapping[str, object]) -> tuple[Picture, ...]:
    """The pictures of a story from its extra keys, in order (MediaError if unreadable)."""
    raw = extra.get(PICTURES_KEY)
    if raw in (None, [], ()):
        return ()
    if not isinstance(raw, list | tuple):
        raise MediaError("the story's 'pictures' is not a list")
    if len(raw) > MAX_PICTURES:
        raise MediaError(f"a story holds at most {MAX_PICTURES} pictures")
    pictures = tuple(picture_from_entry(entry) for entry in raw)
    ids = [p.id for p in pictures]
    if len(set(ids)) != len(ids):
        raise MediaError("the story lists the same picture twice")
    if sum(p.role == LEAD for p in pictures) > 1:
        raise MediaError("a story has at most one lead picture")
    return pictures


def with_pictures(extra: Mapping[str, object], pictures: Sequence[Picture]) -> dict[str, object]:
    """The extra keys with `pictures` as the list (the key dropped when there are none)."""
    out = {key: value for key, value in extra.items() if key != PICTURES_KEY}
    if pictures:
        out[PICTURES_KEY] = [picture.as_json() for picture in pictures]
    return out


def typed_over(picture: Picture, typed: Mapping[str, str | None]) -> Picture:
    """`picture` with what a person typed (None: not given) over what the file said."""
    given = {name: value for name, value in typed.items() if value is not None}
    unknown = set(given) - set(FIELDS)
    if unknown:
        raise ValueError(f"not picture fields: {sorted(unknown)}")
    cleaned = {
        name: clean(value, TEXT_LIMITS[name], name in MULTILINE_FIELDS)[0]
        for name, value in given.items()
    }
    return replace(picture, **cleaned) if cleaned else picture


def filled(old: Picture, new: Picture) -> Picture:
    """`old` with only its blank text fields taken from `new` (what a person typed stays)."""
    fill = {n: getattr(new, n) for n in FIELDS
            if not getattr(old, n).strip() and getattr(new, n)}
    return replace(old, **fill) if fill else old


def with_lead(pictures: Sequence[Picture], chosen: str) -> tuple[Picture, ...]:
    """The list with `chosen` the lead picture and any former lead a gallery picture."""
    def role(picture: Picture) -> str:
        if picture.id == chosen:
            return LEAD
        return GALLERY if picture.role == LEAD else picture.role

    return tuple(replace(p, role=role(p)) for p in pictures)


def attach(
    current: Sequence[Picture], new: Iterable[Picture], *, lead: bool = False
) -> tuple[Picture, ...]:
    """The list after adding `new` at the end. A picture already attached keeps its place
    and its fields, taking only the blanks filled from the new entry; with `lead`, the
    first new picture is the lead and a former lead becomes a gallery picture."""
    by_id = {p.id: p for p in current}
    added = list(new)
    for picture in added:
        old = by_id.get(picture.id)
        by_id[picture.id] = picture if old is None else filled(old, picture)
    result = tuple(by_id.values())  # a dict keeps its first insertion's place
    if lead and added:
        result = with_lead(result, added[0].id)
    if len(result) > MAX_PICTURES:
        raise MediaError(f"a story holds at most {MAX_PICTURES} pictures")
    return result


def match_picture(pictures: Sequence[Picture], ref: str) -> Picture:
    """The picture `ref` names: its id, its hex, or a unique hex prefix of 6 or more."""
    text = ref.strip().lower().removeprefix("sha256:")
    if len(text) < 6 or any(c not in "0123456789abcdef" for c in text):
        raise MediaError(f"{ref[:80]!r} is not a picture id (sha256:<hex>, or 6+ hex digits)")
    found = [p for p in pictures if p.id.removeprefix("sha256:").startswith(text)]
    if not found:
        raise MediaError(f"the story has no picture {ref[:80]!r}")
    if len(found) > 1:
        raise MediaError(f"{ref[:80]!r} names {len(found)} pictures; give more of the id")
    return found[0]


def detach(pictures: Sequence[Picture], ref: str) -> tuple[tuple[Picture, ...], Picture]:
    """The list without the picture `ref` names, and that picture (MediaError if none)."""
    gone = match_picture(pictures, ref)
    return tuple(p for p in pictures if p.id != gone.id), gone


def lead_picture(pictures: Sequence[Picture]) -> Picture | None:
    """The story's lead picture, if one is marked."""
    return next((p for p in pictures if p.role == LEAD), None)


def id_from_hex(hex_digits: str) -> str:
    """The picture id of 64 hex digits (as body references and tree file names hold it)."""
    pid = "sha256:" + hex_digits
    if not is_picture_id(pid):
        raise MediaError(f"not a picture id: {hex_digits[:80]!r}")
    return pid
