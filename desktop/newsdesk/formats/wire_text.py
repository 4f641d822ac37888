"""Today's plain-text wire copy as a WireItem: formats/wire.py reads it, this maps it.

Plain copy carries no guid and no version. The guid is made from the copy itself (its
source, date and the fingerprint of its words), so the same copy sent twice, by one feed
or two, has the same guid; the version is 1. The trailer's "Editor:" is the agency's
editor, so it becomes the item's source editor, not the desk's editor
(docs/architecture.md, "The story").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from newsdesk.formats.wire import SOURCE_EDITOR, parse_wire
from newsdesk.formats.wire_item import WireItem, checked, fingerprint

GUID_PREFIX = "urn:newsdesk:wire-text:"


def parse_text(text: str, source_name: str | Path = "", notes: list[str] | None = None
               ) -> list[WireItem]:
    """The one item of a plain-text wire file, or FormatError naming the line."""
    result = parse_wire(text, source_name)
    story = result.story
    day = story.dateline.date.isoformat() if story.dateline.date else ""
    words = fingerprint(story.headline, story.body)
    identity = hashlib.sha256(f"{story.source}\n{day}\n{words}".encode()).hexdigest()
    item = WireItem(
        format="text",
        guid=GUID_PREFIX + identity[:32],
        version=1,
        headline=story.headline,
        deck=story.deck,
        byline=story.byline,
        dateline_place=story.dateline.place,
        dateline_date=story.dateline.date,
        section=story.section,
        body=story.body,
        caption=story.caption,
        source=story.source,
        source_editor=str(story.extra.get(SOURCE_EDITOR) or ""),
        provider=story.source,
        notes=(*(notes or ()), *result.notes),
    )
    return [checked(item, source_name)]
