"""Values as wire formats carry them: one-line text, times, versions, urgency, datelines.

Pure functions shared by the NewsML-G2, NITF and ninjs readers. What cannot be trusted
(a version that is not a whole number, an embargo without a time zone) raises FormatError;
what is only odd (an urgency outside 1-9) is dropped with a note and kept in `extra` by
the caller.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from newsdesk.formats.errors import FormatError

# XML 1.0 cannot carry C0 controls but JSON can; none of them belongs in copy.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_VERSION_RE = re.compile(r"^\s*[0-9]{1,15}\s*$")
# A dateline's place ends where its date or the agency's credit begins.
_PLACE_END_RE = re.compile(r"\s*(?:,|\(|\s[-–—]+\s|\s[-–—]+$|$)")
MAX_VERSION = 10**15
_SPACE_RE = re.compile("[ \t\n\r\f]+")


def one_line(text: str | None) -> str:
    """Text with every run of white space made one space, trimmed (XML wraps lines at will).

    White space as XML and HTML count it: a no-break space is text and stays.
    """
    return _SPACE_RE.sub(" ", text).strip(" ") if text else ""


def strip_controls(text: str) -> tuple[str, int]:
    """(text without C0 control characters other than tab and line breaks, how many went)."""
    if text.isprintable() or not _CONTROL_RE.search(text):
        return text, 0
    return _CONTROL_RE.subn("", text)


def has_surrogate(text: str) -> bool:
    """True when the text holds a lone surrogate (JSON's \\ud800 escapes make them)."""
    return not text.isascii() and _SURROGATE_RE.search(text) is not None


def parse_version(value: object, source_name: str | Path = "") -> int:
    """The agency's version of an item: a whole number (a higher one is a later version)."""
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not _VERSION_RE.match(text) or not 0 <= int(text) < MAX_VERSION:
        raise FormatError(
            f"version {str(value)[:40]!r} is not a whole number; the agency's version "
            "must be one to tell updates apart", source_name,
        )
    return int(text)


def parse_urgency(value: object, notes: list[str]) -> int | None:
    """Urgency 1 (most urgent) to 9; anything else is noted and left out (None)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or not 1 <= int(text) <= 9:
        notes.append(f"urgency {text[:20]!r} is not 1-9; left out (kept in extra)")
        return None
    return int(text)


def parse_time(value: object, what: str, source_name: str | Path, notes: list[str]
               ) -> datetime | None:
    """An ISO 8601 time (extended or basic form). Without an offset it is read as UTC,
    with a note, except an embargo: when an embargo ends must not be guessed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FormatError(f"{what} {str(value)[:40]!r} is not a date and time",
                          source_name) from None
    if moment.tzinfo is None:
        if what == "embargo":
            raise FormatError(
                f"embargo {text!r} has no time zone offset: when it ends cannot be told",
                source_name,
            )
        notes.append(f"{what} {text!r} has no time zone offset; read as UTC")
        moment = moment.replace(tzinfo=UTC)
    return moment


def parse_day(value: str | None) -> date | None:
    """A dateline's date from ISO 8601 text (2024-03-08, 20240308, or a time); else None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def local_day(moment: datetime | None) -> date | None:
    """The calendar day of a time in its own offset: the agency's day, not UTC's."""
    return moment.date() if moment else None


def dateline_place(text: str) -> str:
    """'HARBOUR CITY, March 8 (Agency) -' -> 'Harbour City': the place a dateline opens with."""
    text = one_line(text)
    end = _PLACE_END_RE.search(text)
    place = text[: end.start()].strip() if end else text
    if len(place) > 60:
        return ""  # a sentence, not a place
    return place.title() if place.isupper() else place


def scheme_code(qcode: str, scheme: str) -> str:
    """'stat:usable' -> 'usable' when the prefix is `scheme`; otherwise the code unchanged."""
    prefix = scheme + ":"
    return qcode[len(prefix):] if qcode.startswith(prefix) else qcode
