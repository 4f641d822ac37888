"""When a picture was taken, from EXIF, IPTC and XMP dates, as ISO 8601 text: pure functions.

Each source spells dates its own way (EXIF "2024:03:01 10:20:30" with a separate offset,
IPTC "20240301" and "102030+0800", XMP ISO 8601 possibly reduced to a year). All become
ISO 8601 ("2024-03-01T10:20:30+08:00", "2024-03-01", "2024"); anything that is not a
real date (camera defaults such as "0000:00:00 00:00:00" included) becomes "".
"""

from __future__ import annotations

import re
from datetime import date, datetime

_EXIF = re.compile(r"(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"[+-]\d{2}:\d{2}|Z")
_IPTC_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_IPTC_TIME = re.compile(r"(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})(\d{2}))?")
_XMP = re.compile(
    r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?"
)


def _real(iso: str) -> str:
    """`iso` if it names a real calendar date and time, else ""."""
    try:
        if len(iso) == 4:
            year = int(iso)
            return iso if 1800 <= year <= 9999 else ""
        if len(iso) == 7:
            date.fromisoformat(iso + "-01")
        elif len(iso) == 10:
            date.fromisoformat(iso)
        else:
            datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return iso if int(iso[:4]) >= 1800 else ""


def exif_date(stamp: str, offset: str = "") -> str:
    """EXIF DateTimeOriginal (and OffsetTimeOriginal) as ISO 8601, or ""."""
    match = _EXIF.fullmatch(stamp.strip())
    if not match:
        return ""
    y, mo, d, h, mi, s = match.groups()
    zone = offset.strip() if _OFFSET.fullmatch(offset.strip()) else ""
    return _real(f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}")


def iptc_date(day: str, time: str = "") -> str:
    """IPTC IIM Date Created (2:55) and Time Created (2:60) as ISO 8601, or ""."""
    match = _IPTC_DATE.fullmatch(day.strip())
    if not match:
        return ""
    iso_day = _real("-".join(match.groups()))
    clock = _IPTC_TIME.fullmatch(time.strip())
    if not iso_day or not clock:
        return iso_day
    h, mi, s, sign, zh, zm = clock.groups()
    zone = f"{sign}{zh}:{zm}" if sign else ""
    return _real(f"{iso_day}T{h}:{mi}:{s}{zone}") or iso_day


def xmp_date(text: str) -> str:
    """An XMP date (ISO 8601, possibly only a year or month) if real, else ""."""
    text = text.strip()
    return _real(text) if _XMP.fullmatch(text) else ""
