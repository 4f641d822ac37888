"""What a JPEG's IPTC IIM block (Photoshop APP13) says: caption, by-line, credit, rights, date.

Pillow's IptcImagePlugin.getiptcinfo parses the block into {(record, dataset): bytes}.
Text is UTF-8 when record 1:90 declares it (ESC % G) and, failing that, when it decodes
as UTF-8 (many tools write UTF-8 without saying so); otherwise Windows-1252/Latin-1.
Repeatable datasets (several by-lines) are joined with ", ".
"""

from __future__ import annotations

from PIL import Image, IptcImagePlugin, JpegImagePlugin

from newsdesk.media.dates import iptc_date
from newsdesk.media.text import decode_bytes

CODED_CHARACTER_SET = (1, 90)
UTF8_DECLARATION = b"\x1b%G"
DATE_CREATED = (2, 55)
TIME_CREATED = (2, 60)
DATASETS = {
    "caption": (2, 120),
    "creator": (2, 80),
    "credit": (2, 110),
    "copyright": (2, 116),
}


def _values(raw: object) -> list[bytes]:
    if isinstance(raw, bytes):
        return [raw]
    if isinstance(raw, list):
        return [item for item in raw if isinstance(item, bytes)]
    return []


def iim_fields(info: dict[tuple[int, int], object]) -> dict[str, str]:
    """The Newsdesk fields of a parsed IIM block (pure: dataset bytes in, text out)."""
    utf8 = any(UTF8_DECLARATION in v for v in _values(info.get(CODED_CHARACTER_SET)))

    def text(key: tuple[int, int]) -> str:
        parts = (decode_bytes(v, utf8).strip() for v in _values(info.get(key)))
        return ", ".join(part for part in parts if part)

    fields = {name: text(key) for name, key in DATASETS.items()}
    fields["date_taken"] = iptc_date(text(DATE_CREATED), text(TIME_CREATED))
    return {k: v for k, v in fields.items() if v}


def read_iptc(image: Image.Image) -> dict[str, str]:
    """The IIM fields of an opened JPEG ({} for other types or without a block)."""
    if not isinstance(image, JpegImagePlugin.JpegImageFile):
        return {}
    info = IptcImagePlugin.getiptcinfo(image)
    return iim_fields(dict(info)) if info else {}
