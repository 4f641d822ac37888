"""The copy-desk check of a story's pictures (pure; issue 20).

Errors (a picture must not go out without them): no alt text (a reader who cannot see
the picture gets nothing) and no credit (publishing a photographer's work without
credit). Warnings: an empty caption; a caption naming someone the story never mentions
(a caption copied from another picture, or a name the reporter left out: "Li Wei" in
the caption, neither "Li" nor "Wei" anywhere in the headline, deck, byline or body);
a picture narrower than the house minimum (rules `limits: picture_width`), which
shows soft or small on a page.

It reads the story's `pictures` list as plain values, not through newsdesk.media, so
that checking copy does not load the picture code; a list it cannot read is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime

from newsdesk.copydesk.check_text import Finding
from newsdesk.copydesk.rules import Rules
from newsdesk.domain.model import PICTURES_KEY, Story

# Two or more capitalised words in a row: how a caption names a person ("Li Wei",
# "Mary-Jane O'Neil"). Place names match too; it is a warning, for a person to judge.
_PART = r"(?:[A-Z]')?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*"  # O'Neil, McKay, Mary-Jane
_NAME = re.compile(rf"\b{_PART}(?:\s+{_PART})+")
_WORD = re.compile(r"[^\W\d_]+")


def _text(entry: Mapping[str, object], name: str) -> str:
    value = entry.get(name)
    return value.strip() if isinstance(value, str) else ""


def unmentioned_names(caption: str, story_text: str) -> list[str]:
    """The names in `caption` none of whose words appear in `story_text` (pure)."""
    known = {word.casefold() for word in _WORD.findall(story_text)}
    return [
        name for name in dict.fromkeys(m.group(0) for m in _NAME.finditer(caption))
        if not any(word.casefold() in known for word in _WORD.findall(name))
    ]


def _story_text(story: Story) -> str:
    return "\n".join((story.headline, story.deck, story.byline, story.body))


def check_pictures(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    raw = story.extra.get(PICTURES_KEY)
    if raw in (None, [], ()):
        return
    if not isinstance(raw, list) or not all(isinstance(e, Mapping) for e in raw):
        yield Finding("pictures", "error", "The story's pictures list cannot be read.", "")
        return
    text = _story_text(story)
    for entry in raw:
        name = _text(entry, "file_name") or "a picture"
        if not _text(entry, "alt"):
            yield Finding("pictures", "error", f"Picture {name} has no alt text.", "")
        if not _text(entry, "credit"):
            yield Finding("pictures", "error", f"Picture {name} has no credit.", "")
        caption = _text(entry, "caption")
        if not caption:
            yield Finding("pictures", "warning", f"Picture {name} has no caption.", "")
        for person in unmentioned_names(caption, text):
            yield Finding("pictures", "warning",
                          f"The caption of {name} names {person}; the story never does.", "")
        width = entry.get("width")
        if isinstance(width, int) and width < rules.picture_width_limit:
            yield Finding("pictures", "warning",
                          f"Picture {name} is {width} px wide; the house minimum is "
                          f"{rules.picture_width_limit} px.", "")
