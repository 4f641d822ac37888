"""Import of plain-text wire copy: date line, section, headline, standfirst, caption, body.

The layout, in blocks of non-blank lines separated by blank lines::

    date 2023-11-06                  the date line (or a bare 2023-11-06; spaces are fine)
    News / Metro                     the section path, on the line after the date

    Headline                         one block (lines of a wrapped headline are joined)

    Standfirst                       the deck
    Photo caption                    the caption, the line right after the deck, if any

    Body paragraphs, one block each; the first often repeats the standfirst and is kept

    Source: AGENCY   Editor: Name    the trailer, the last line (either part may be alone)

The trailer's "Editor:" is the agency's editor: it goes with the source, as the extra key
`source_editor`, never into the desk's Editor field (the importer fills that in: whoever
brings a story onto the desk is its editor there).

Import is faithful: the body is the article's paragraphs as they came, escaped so that
Markdown shows them as the same text. What the copy lacks or what was repaired goes into
`notes` (no date line, no trailer, a wrapped headline, control characters removed, text
read as Windows-1252); what cannot be trusted (no headline, a damaged date line, neither
a date line nor a trailer, binary or oversized files) raises FormatError naming the file
and the line. A dateline place is
only taken from an upper-case "PLACE (Agency) --" opening of the first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from newsdesk.domain.model import (
    HEADLINE_MAX,
    Dateline,
    Story,
    normalize_section,
    parse_date,
    slugify,
    validate,
)
from newsdesk.formats.errors import FormatError
from newsdesk.formats.textfile import decode, read_bytes

# One character, one line break, so line numbers in messages match what editors show.
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n",
                              "\u2028": "\n", "\u2029": "\n"})
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff]")
# "date 2023-11-06", or a bare ISO date, which must not become a headline.
_DATE_LINE_RE = re.compile(
    r"^(?:date(?:\s*:\s*|\s+)(?P<value>[0-9][0-9./\s-]*)|(?P<bare>[0-9]{4}-[0-9]{2}-[0-9]{2}))$",
    re.IGNORECASE,
)
_TRAILER_RE = re.compile(r"^(?:source|editor)\s*:", re.IGNORECASE)
_TRAILER_PART_RE = re.compile(
    r"(?P<key>source|editor)\s*:\s*(?P<value>.*?)\s*(?=(?:source|editor)\s*:|$)", re.IGNORECASE
)
_PLACE_RE = re.compile(
    r"^(?P<place>[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3})"
    r"(?:,[^()\n]{0,40}?)?\s*(?:\([^()\n]{1,40}\)\s*(?:--|—|–|-)|--|—|–)\s"
)
_SECTION_PART_RE = re.compile(r"^[^.!?:;\"“”]{1,40}$")
_MAX_SECTION_CHARS = 80
# The extra (front matter) key of the source's own editor, from the trailer's "Editor:".
SOURCE_EDITOR = "source_editor"


@dataclass
class WireResult:
    """The imported story and what the importer could not take from the copy as it was."""

    story: Story
    notes: list[str] = field(default_factory=list)


@dataclass
class _Block:
    line: int  # 1-based number of the block's first line
    lines: list[str]


def read_wire(path: str | Path) -> WireResult:
    """Import a wire file: UTF-8 (BOM optional), UTF-16 with BOM, or Windows-1252 (noted)."""
    text, notes = decode(read_bytes(path), path, windows_fallback=True)
    result = parse_wire(text, path)
    result.notes[:0] = notes
    return result


def parse_wire(text: str, source_name: str | Path = "") -> WireResult:
    """Wire copy as a draft story, or FormatError naming the line that cannot be trusted."""
    notes: list[str] = []
    blocks = _blocks(_plain_text(text, source_name, notes))
    if not blocks:
        raise FormatError("empty: no wire copy in the file", source_name, 1)
    first = blocks[0]
    if not (_DATE_LINE_RE.match(first.lines[0].strip())
            or _TRAILER_RE.match(blocks[-1].lines[-1].strip())):
        # A section is only read under a date line, so no landmark at all: not wire copy.
        raise FormatError("not wire copy: no date line, section or Source/Editor trailer found",
                          source_name, 1)
    day, section = _take_date_and_section(blocks, source_name, notes)
    source, editor = _take_trailer(blocks, notes)
    if not blocks:
        raise FormatError("no headline after the date and section lines", source_name,
                          first.line + len(first.lines))
    head = blocks.pop(0)
    headline = _headline(head, source_name, notes)
    deck, caption, paragraphs = _take_lead(blocks, notes)
    place = _opening_place(paragraphs, notes)

    story = Story(
        slug=slugify(headline),
        headline=headline,
        deck=deck,
        dateline=Dateline(place, day),
        section=section,
        source=source,
        caption=caption,
        extra={SOURCE_EDITOR: editor} if editor else {},
        # Escaped line by line: one call for the whole body gives what one per paragraph would.
        body=escape_text("\n\n".join("\n".join(lines) for lines in paragraphs)),
        status="draft",
    )
    problems = validate(story)
    if problems:
        raise FormatError(
            "; ".join(f"{name}: {message}" for name, message in problems.items()),
            source_name, head.line,
        )
    return WireResult(story, notes)


def _plain_text(text: str, source_name: str | Path, notes: list[str]) -> str:
    """The text with its line breaks made plain and stray control characters removed
    (noted); FormatError for what is not text at all."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").translate(_LINE_BREAKS)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError("a binary file, not text (it contains NUL characters)", source_name, line)
    # Most copy has no control character at all: one scan says so.
    if first_bad := _CONTROL_RE.search(text):
        if (control := len(_CONTROL_RE.findall(text))) * 50 > len(text):
            line = text[: first_bad.start()].count("\n") + 1
            raise FormatError(f"not text: {control} control characters (a binary file?)",
                              source_name, line)
        text, removed = _CONTROL_RE.subn("", text)
        notes.append(f"removed {removed} control character{'s' if removed > 1 else ''}")
    return text


def _headline(head: _Block, source_name: str | Path, notes: list[str]) -> str:
    """The headline block's lines joined (noted when there were several), if short enough."""
    headline = " ".join(line.strip() for line in head.lines)
    if len(head.lines) > 1:
        notes.append(f"the headline spread over {len(head.lines)} lines; they were joined")
    if len(headline) > HEADLINE_MAX:
        raise FormatError(
            f"expected a headline (one short line), found {len(headline)} characters",
            source_name, head.line,
        )
    return headline


def _opening_place(paragraphs: list[list[str]], notes: list[str]) -> str:
    """The dateline place an opening such as "LONDON (Agency) -" names, noted; or ""."""
    if paragraphs and (opening := _PLACE_RE.match(paragraphs[0][0].strip())):
        place = opening["place"].title()
        notes.append(f"dateline place {place!r} taken from the first paragraph")
        return place
    return ""


def _take_date_and_section(blocks: list[_Block], source_name: str | Path, notes: list[str]
                           ) -> tuple[date | None, str]:
    """The date line and the section path under it, removed from the first block."""
    first = blocks[0]
    match = _DATE_LINE_RE.match(first.lines[0].strip())
    if not match:
        notes.append("no date line (such as 'date 2023-11-06'); the dateline date is empty")
        return None, ""
    value = match["value"] or match["bare"]
    try:
        day = parse_date(value)
    except ValueError:
        raise FormatError(
            f"{value!r} is not a date; expected a date line such as "
            "'date 2023-11-06'", source_name, first.line,
        ) from None
    section, rest = "", first.lines[1:]
    if rest:
        section = _section(rest[0], source_name, first.line + 1)
        rest = rest[1:]
    elif (len(blocks) > 1 and len(blocks[1].lines) == 1 and "/" in blocks[1].lines[0]
          and _looks_like_section(blocks[1].lines[0])):
        section = normalize_section(blocks.pop(1).lines[0])
    if rest:
        blocks[0] = _Block(first.line + len(first.lines) - len(rest), rest)
    else:
        blocks.pop(0)
    if not section:
        notes.append("no section line; the section is empty")
    return day, section


def _take_trailer(blocks: list[_Block], notes: list[str]) -> tuple[str, str]:
    """Source and editor from a last line such as 'Source: SHINE   Editor: Xu Fang'."""
    if not blocks or not _TRAILER_RE.match(blocks[-1].lines[-1].strip()):
        notes.append("no Source/Editor trailer; source and editor are empty")
        return "", ""
    found = {"source": "", "editor": ""}
    for part in _TRAILER_PART_RE.finditer(" ".join(blocks[-1].lines.pop().split())):
        found[part["key"].lower()] = part["value"]
    if not blocks[-1].lines:
        blocks.pop()
    return found["source"], found["editor"]


def _take_lead(blocks: list[_Block], notes: list[str]) -> tuple[str, str, list[list[str]]]:
    """Standfirst, caption (the line right under it) and the body paragraphs' lines."""
    deck, caption, paragraphs = "", "", []
    if blocks:
        lead = blocks.pop(0)
        deck = lead.lines[0].strip()
        caption = lead.lines[1].strip() if len(lead.lines) > 1 else ""
        if len(lead.lines) > 2:
            notes.append(
                f"lines {lead.line + 2}-{lead.line + len(lead.lines) - 1} follow the caption "
                "without a blank line; kept as the first body paragraph"
            )
            paragraphs.append(lead.lines[2:])
    paragraphs.extend(block.lines for block in blocks)
    if not paragraphs:
        notes.append("no body paragraphs after the standfirst")
    return deck, caption, paragraphs


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None
        elif current is None:
            current = _Block(number, [line])
            blocks.append(current)
        else:
            current.lines.append(line)
    return blocks


def _looks_like_section(line: str) -> bool:
    parts = [part.strip() for part in line.replace("\u00a0", " ").split("/")]
    return (
        len(line.strip()) <= _MAX_SECTION_CHARS
        and 1 <= len(parts) <= 5
        and all(_SECTION_PART_RE.match(part) and len(part.split()) <= 4 for part in parts)
    )


def _section(line: str, source_name: str | Path, number: int) -> str:
    if not _looks_like_section(line):
        raise FormatError(
            "expected a section path such as 'News / Metro' on the line after the date",
            source_name, number,
        )
    return normalize_section(line)


# Markdown escaping of plain text: backslash escapes where both CommonMark and
# python-markdown honour them, numeric character references where only CommonMark would.
_INLINE_RE = re.compile(r"[\\`*_]|<(?=[A-Za-z/!?])|&(?=#[0-9xX]|[A-Za-z0-9]+;)|\](?=[(\[:])")
_INLINE = {"<": "&lt;", "&": "&amp;"}
_INLINE_CHARS = "\\`*_<&]"
_ORDERED_RE = re.compile(r"^(\d{1,9})(?=[.)](?:\s|$))")
_BACKSLASH_START_RE = re.compile(r"^(?:[#>\[]|[-+](?=\s|$))")
_ENTITY_START_RE = re.compile(r"^(?:~~~|:(?=\s)|[-=|:][-=|:\s]*$)")
# What the three patterns above can start with, besides a digit (\d of _ORDERED_RE).
_BLOCK_STARTS = frozenset("#>[-+~:=|")


def escape_text(text: str) -> str:
    """Plain text as Markdown that renders as the same text (one paragraph per block).

    Each line is trimmed (Markdown would not show its outer whitespace) and escaped so
    that it cannot become a heading, list, quote, fence, table, emphasis, code, link or
    HTML. Meant for imported copy; the headline and the other plain fields stay as they are.
    """
    # Most copy holds none of the characters _INLINE_RE escapes; a scan for each of them
    # (at the speed of str.find) spares the regex on every line.
    inline = any(char in text for char in _INLINE_CHARS)
    return "\n".join(_escape_line(line, inline) for line in text.split("\n"))


def _escape_line(line: str, inline: bool = True) -> str:
    line = line.strip()
    if inline:
        line = _INLINE_RE.sub(lambda m: _INLINE.get(m[0], "\\" + m[0]), line)
    if not line[:1].isdecimal() and line[:1] not in _BLOCK_STARTS:
        return line  # none of the patterns below can match
    if number := _ORDERED_RE.match(line):
        return number[1] + "\\" + line[len(number[1]) :]
    if _BACKSLASH_START_RE.match(line):
        return "\\" + line
    if _ENTITY_START_RE.match(line):
        return f"&#{ord(line[0])};" + line[1:]
    return line
