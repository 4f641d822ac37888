"""Typographer's quotes, dashes and ellipses by the house rules: as typed, and for a story.

Pure functions over text. `as_typed` answers the editor after each keystroke (what, if
anything, the characters just typed become); `smarten` does a whole field at once, for
Format › Apply House Style, and `story_changes` lists what that changes in a story.

In a Markdown body nothing is touched inside code (spans, fenced and indented blocks),
link targets, URLs, HTML tags and comments, reference definitions, escaped characters,
or the markers of lists, rules, tables and headings; plain fields (headline, deck,
caption) are text throughout, URLs aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsdesk.copydesk.rules import Rules
from newsdesk.domain.model import Story

QUOTE_STYLES = ("curly", "straight", "any")
DASH_STYLES = ("en", "em", "off")
# The fields Apply House Style goes over (the copy checks' text fields).
FIELDS: tuple[str, ...] = ("headline", "deck", "caption", "body")

CURLY = {"“": '"', "”": '"', "‘": "'", "’": "'"}
# A quote after one of these (or at the start) opens; after anything else it closes.
_OPENING_AFTER = set(" \t\n\u00a0([{“‘—–-/\u2028")
_EMPHASIS = "*_"


@dataclass(frozen=True)
class Style:
    """What the house wants: curly or straight quotes (or either), en or em dashes."""

    quotes: str = "curly"
    dashes: str = "en"
    ellipsis: bool = True

    @property
    def dash(self) -> str:
        return {"en": "–", "em": "—"}.get(self.dashes, "")


def house_style(rules: Rules) -> Style:
    return Style(quotes=rules.quotes, dashes=rules.dashes, ellipsis=rules.ellipsis)


@dataclass(frozen=True)
class Change:
    """One substitution in a field: where (offset, line) and what it was and became."""

    field: str
    start: int
    line: int
    old: str
    new: str


# --- one keystroke ----------------------------------------------------------------------


def as_typed(before: str, typed: str, style: Style) -> tuple[int, str] | None:
    """What the characters just typed become: (how many characters before the cursor to
    replace, the typed one included, and with what), or None to leave them. `before` is
    the text of the paragraph up to the typed character."""
    if typed in "\"'" and style.quotes == "curly":
        return 1, curly_quote(before, typed, "")
    if style.dash and typed in ("-", " "):
        return _typed_dash(before, typed, style.dash)
    if typed == "." and style.ellipsis and before.endswith("..") and not before.endswith("..."):
        return 3, "…"
    return None


def _typed_dash(before: str, typed: str, dash: str) -> tuple[int, str] | None:
    """A dash for "--" between words (not "---", nor an HTML comment's "<!--"), or for
    " - " between words."""
    if typed == "-":
        stem = before[:-1]  # before the first of two hyphens
        if (before.endswith("-") and not before.endswith("--") and stem.strip()
                and not stem.endswith(("<!", "!-"))):
            return 2, dash
        return None
    if before.endswith(" -") and before[:-2].strip():
        return 2, dash + " "
    return None


def curly_quote(before: str, quote: str, after: str) -> str:
    """The curly form of a straight quote with this text before and after it."""
    prev = before.rstrip(_EMPHASIS)[-1:]  # "*" of emphasis tells nothing; what it follows does
    opening = not prev or prev in _OPENING_AFTER
    if quote == '"':
        return "“" if opening else "”"
    if not opening or after[:1].isdigit():
        return "’"  # an apostrophe (it’s, ’90s) or a closing single quote
    return "‘"


# --- a whole field ----------------------------------------------------------------------

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[^\n]*$|\Z)", re.M | re.S)
_INDENTED_RE = re.compile(r"(?:^(?: {4}|\t)[^\n]*\n?)+", re.M)
_CODE_SPAN_RE = re.compile(r"(`+).+?\1", re.S)
_LINK_TARGET_RE = re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_DEFINITION_RE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_TAG_RE = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>\n]*>|<[a-z][a-z0-9+.-]*:[^<>\s]*>", re.S | re.I)
_URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+\.[\w.-]+")
_ESCAPED_RE = re.compile(r"\\[\\\"'.\-]")
_BLOCK_MARK_RE = re.compile(
    r"^ {0,3}(?:[-*+] |\d{1,9}[.)] |>[ >]*|#{1,6} )|^ {0,3}(?:[-=_*]\s*){3,}$|^[ |:-]*-[ |:-]*$",
    re.M,
)
_MARKDOWN_PROTECTED = (
    _FENCE_RE, _INDENTED_RE, _CODE_SPAN_RE, _LINK_TARGET_RE, _DEFINITION_RE, _TAG_RE, _URL_RE,
    _ESCAPED_RE, _BLOCK_MARK_RE,
)


def protected(text: str, markdown: bool) -> list[bool]:
    """For each character, whether it must stay as it is (see the module docstring)."""
    mask = [False] * len(text)
    for pattern in _MARKDOWN_PROTECTED if markdown else (_URL_RE,):
        for match in pattern.finditer(text):
            mask[match.start() : match.end()] = [True] * (match.end() - match.start())
    return mask


_DASH_RE = re.compile(r"(?<=\S) -{1,2} (?=\S)|(?<=[^\s\-])--(?=[^\s\->])")
_ELLIPSIS_RE = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def substitutions(text: str, style: Style, markdown: bool) -> Iterator[tuple[int, int, str]]:
    """(start, end, replacement) of each change the house style makes, in text order."""
    mask = protected(text, markdown)

    def free(start: int, end: int) -> bool:
        return not any(mask[start:end])

    found = list(_quote_changes(text, style.quotes, mask))
    if style.dash:
        for match in _DASH_RE.finditer(text):
            if free(*match.span()):
                spaced = match.group(0).startswith(" ")
                found.append((*match.span(), f" {style.dash} " if spaced else style.dash))
    if style.ellipsis:
        found.extend((*m.span(), "…") for m in _ELLIPSIS_RE.finditer(text) if free(*m.span()))
    return iter(sorted(found))


def _quote_changes(text: str, quotes: str, mask: list[bool]) -> Iterator[tuple[int, int, str]]:
    """The quotes to change for the house's `quotes` (none for "any"), outside `mask`."""
    if quotes == "any":
        return
    for i, char in enumerate(text):
        if mask[i]:
            continue
        if quotes == "curly" and char in "\"'":
            yield i, i + 1, curly_quote(text[:i], char, text[i + 1 : i + 2])
        elif quotes == "straight" and char in CURLY:
            yield i, i + 1, CURLY[char]


def smarten(text: str, style: Style, markdown: bool = False) -> str:
    """The text in the house style."""
    out, at = [], 0
    for start, end, new in substitutions(text, style, markdown):
        out.append(text[at:start] + new)
        at = end
    return "".join(out) + text[at:]


def straight_quotes(text: str, markdown: bool) -> list[int]:
    """Offsets of the straight quotes the house style would make curly."""
    mask = protected(text, markdown)
    return [i for i, char in enumerate(text) if char in "\"'" and not mask[i]]


def story_changes(story: Story, style: Style) -> list[Change]:
    """Every change Apply House Style makes to the story, field by field."""
    changes = []
    for name in FIELDS:
        text = getattr(story, name)
        for start, end, new in substitutions(text, style, markdown=name == "body"):
            line = text.count("\n", 0, start) + 1
            changes.append(Change(name, start, line, text[start:end], new))
    return changes


def apply_house_style(story: Story, style: Style) -> Story:
    """The story with its text fields in the house style."""
    return story.replace(**{
        name: smarten(getattr(story, name), style, markdown=name == "body") for name in FIELDS
    })
