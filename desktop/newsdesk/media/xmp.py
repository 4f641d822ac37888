"""What a picture's XMP packet says, read with Pillow's getxmp (defusedxml underneath).

Mapped (namespace prefixes as Pillow strips them): dc:description -> caption,
Iptc4xmpCore:AltTextAccessibility -> alt, photoshop:Credit -> credit, dc:creator ->
creator (a sequence, joined with ", "), dc:rights -> copyright, photoshop:DateCreated or
exif:DateTimeOriginal -> date taken. Only properties directly on rdf:Description are
read, so a nested structure's "description" never poses as the caption. Language
alternatives prefer x-default. XMP that declares XML entities (a "billion laughs"
bomb) is refused by the caller; XMP that does not parse is ignored with a note.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from newsdesk.media.dates import xmp_date
from newsdesk.media.limits import MAX_METADATA_BYTES

PROPERTIES = {
    "caption": ("description",),
    "alt": ("AltTextAccessibility",),
    "credit": ("Credit",),
    "creator": ("creator",),
    "copyright": ("rights",),
    "date_taken": ("DateCreated", "DateTimeOriginal"),
}
GPS_PROPERTIES = ("GPSLatitude", "GPSLongitude")
_MAX_ITEMS = 50


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _item_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return item["text"]
    return ""


def _alternative(items: list[Any]) -> str:
    """The x-default entry of a language alternative, else the first with text."""
    for item in items:
        if isinstance(item, dict) and item.get("lang") == "x-default" and _item_text(item):
            return _item_text(item)
    return next((text for text in map(_item_text, items) if text), "")


def property_text(value: Any) -> str:
    """Plain text of one XMP property as getxmp gives it (text, Alt, Seq or Bag)."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    if isinstance(value.get("Alt"), dict):
        return _alternative(_as_list(value["Alt"].get("li"))[:_MAX_ITEMS])
    for container in ("Seq", "Bag"):
        if isinstance(value.get(container), dict):
            items = _as_list(value[container].get("li"))[:_MAX_ITEMS]
            return ", ".join(t.strip() for t in map(_item_text, items) if t.strip())
    return _item_text(value)


def descriptions(tree: dict[str, Any]) -> list[dict[str, Any]]:
    """The rdf:Description dictionaries of a getxmp tree (with or without x:xmpmeta)."""
    rdf = tree.get("RDF")
    if rdf is None and isinstance(tree.get("xmpmeta"), dict):
        rdf = tree["xmpmeta"].get("RDF")
    if not isinstance(rdf, dict):
        return []
    return [d for d in _as_list(rdf.get("Description")) if isinstance(d, dict)]


def xmp_fields(tree: dict[str, Any]) -> tuple[dict[str, str], bool]:
    """(Newsdesk fields, whether GPS coordinates are present) of a getxmp tree: pure."""
    found: dict[str, str] = {}
    has_gps = False
    for description in descriptions(tree):
        has_gps = has_gps or any(name in description for name in GPS_PROPERTIES)
        for field, names in PROPERTIES.items():
            for name in names:
                text = property_text(description.get(name)).strip()
                if field == "date_taken":
                    text = xmp_date(text)
                if text and field not in found:
                    found[field] = text
    return found, has_gps


def read_xmp(image: Image.Image) -> tuple[dict[str, str], bool]:
    """The XMP fields of an opened picture and whether it holds GPS coordinates."""
    raw = image.info.get("xmp")
    if not raw:
        return {}, False
    if len(raw) > MAX_METADATA_BYTES:
        raise ValueError(f"XMP packet of {len(raw)} bytes")
    return xmp_fields(image.getxmp())
