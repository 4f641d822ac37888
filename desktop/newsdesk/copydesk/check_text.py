"""What the copy-desk checks share: the Finding they report, and a story's text as they
read it (fields by name, the body with its markup blanked, paragraphs, words)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache

from newsdesk.domain.model import Story

TEXT_FIELDS: tuple[str, ...] = ("headline", "deck", "caption", "body")
# Fields whose text may carry names: spelling a name two ways is checked across all of them
# ("source_editor" is the agency's editor from a wire trailer, an extra key of the story).
NAME_FIELDS: tuple[str, ...] = (
    "headline", "deck", "caption", "byline", "editor", "source_editor", "body",
)
SOURCE_EDITOR = "source_editor"


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    message: str
    field: str
    start: int = 0
    length: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


_FENCE_RE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?(?:^\1[^\n]*$|\Z)", re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)[^`]+?\1")
# The "(url "title")" after a link's "]" (one level of parentheses inside the URL), or <url>.
_LINK_TARGET_RE = re.compile(
    r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)|<https?://[^>\s]+>"
)
_LIST_MARKER_RE = re.compile(r"^[ \t]*(?:\d{1,9}[.)]|[-*+]|>)[ \t]", re.M)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


@lru_cache(maxsize=16)  # every check of the body asks for it; typing keeps asking
def mask_markup(body: str) -> str:
    """The body with code, link targets and list/quote markers blanked, offsets unchanged."""
    for pattern in (_FENCE_RE, _CODE_SPAN_RE, _LINK_TARGET_RE, _LIST_MARKER_RE):
        body = pattern.sub(_blank, body)
    return body


def field_text(story: Story, name: str) -> str:
    """The text of a story field by name; "source_editor" is read from the extra keys."""
    value = story.extra.get(name) if name == SOURCE_EDITOR else getattr(story, name, "")
    return value if isinstance(value, str) else ""


def field_texts(story: Story, names: tuple[str, ...] = TEXT_FIELDS) -> Iterator[tuple[str, str]]:
    for name in names:
        text = field_text(story, name)
        yield name, mask_markup(text) if name == "body" else text


_PARAGRAPH_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each run of non-blank lines, trimmed."""
    for match in _PARAGRAPH_RE.finditer(text):
        chunk = match.group(0)
        lead = len(chunk) - len(chunk.lstrip())
        yield match.start() + lead, chunk.strip()


def words_of(text: str) -> tuple[str, ...]:
    return tuple(word.casefold().replace("’", "'") for word in _WORD_RE.findall(text))
