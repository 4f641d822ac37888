"""Metadata text from untrusted files made safe to show and store: pure functions.

A caption read from a file may hold HTML, entities, control characters, bidirectional
overrides or megabytes of text. `clean` turns it into plain text: HTML is stripped to
its text by nh3 (scripts and styles with their content) and entities decoded, repeated
until nothing changes so that double-escaped markup cannot survive; control characters
(except line breaks in multi-line fields) and bidi embedding/override/isolate controls
are removed; Unicode is NFC; the result is cut to a house length with an ellipsis.
Each change is reported as a short note so the caller can tell a person.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

# Bidi embeddings, overrides and isolates reorder what a reader sees (the "Trojan
# Source" trick); the byte-order mark and interlinear annotations are invisible.
_INVISIBLE = frozenset(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB,
     0xFFFE, 0xFFFF]
)
_LINE_BREAKS = re.compile(r"\r\n|[\r\u0085\u2028\u2029]")
_BLOCK_TAGS = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.IGNORECASE)
_HTML_ROUNDS = 4
ELLIPSIS = "…"


def strip_html(text: str) -> str:
    """Plain text of `text`: tags dropped (script/style with content), entities decoded,
    control characters dropped (line breaks kept), until none of that changes anything."""
    for _round in range(_HTML_ROUNDS):
        if "<" not in text and "&" not in text:
            return text
        spaced = _BLOCK_TAGS.sub("\n", text)
        plain = drop_controls(
            html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags={"script", "style"}))
        )
        if plain == text:
            return text
        text = plain
    # Still changing after several rounds: markup nested in escapes on purpose. Angle
    # brackets are what make it markup, so they go.
    return text.replace("<", "").replace(">", "")


def _allowed(char: str, multiline: bool) -> bool:
    if char == "\n":
        return multiline
    if ord(char) in _INVISIBLE:
        return False
    return unicodedata.category(char) not in {"Cc", "Cs"}


def drop_controls(text: str) -> str:
    """`text` without control or invisible reordering characters; line breaks become
    "\n" and tabs spaces."""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return "".join(c for c in text if _allowed(c, True))


def tidy_space(text: str, multiline: bool) -> str:
    """Runs of spaces folded; in multi-line text at most one blank line between lines."""
    if not multiline:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def clean(value: str, limit: int, multiline: bool = False) -> tuple[str, tuple[str, ...]]:
    """Plain, safe, bounded text from untrusted `value`, and notes on what was changed."""
    notes: list[str] = []
    # Bound the work before parsing: nothing past a generous multiple of the limit can
    # reach the result, and nh3 need not parse megabytes of someone's caption.
    bound = limit * 8 + 1024
    cut = len(value) > bound
    text = unicodedata.normalize("NFC", value[:bound])
    normalised = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    if any(not _allowed(c, True) for c in normalised):
        notes.append("control characters removed")
    # Controls go before the HTML is parsed, so "<\x1fb>" cannot become a tag after it.
    no_controls = drop_controls(normalised)
    plain = strip_html(no_controls)
    if plain != no_controls:
        notes.append("HTML removed")
    if not multiline:
        plain = plain.replace("\n", " ")
    tidy = tidy_space(plain, multiline)
    short = shorten(tidy + ELLIPSIS if cut else tidy, limit)
    if cut or short != tidy:
        notes.append(f"shortened to {limit} characters")
    return short, tuple(notes)


def decode_bytes(raw: bytes, utf8: bool = False) -> str:
    """Text from metadata bytes: UTF-8 when it decodes (declared or not), else Latin-1."""
    raw = raw.replace(b"\x00", b"")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        if utf8:
            return raw.decode("utf-8", "replace")
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def repair_latin1(text: str) -> str:
    """Pillow reads EXIF text as Latin-1; most cameras and tools write UTF-8 there."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
