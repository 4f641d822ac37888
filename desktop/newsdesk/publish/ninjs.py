"""ninjs writer: one IPTC ninjs 2.2 JSON document per story, named by the story id.

Files are `<id>.json` at the top of the export folder, so a renamed slug or a moved
section changes the document, never its name; receivers key stories on the ninjs `uri`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from newsdesk.formats import prettyjson
from newsdesk.formats.ninjs import to_ninjs
from newsdesk.model import Approval, Story
from newsdesk.publish.manifest import StoryEntry

FORMAT = "ninjs"


def story_path(story: Story) -> str:
    return f"{story.id}.json"


def render_document(story: Story, now: datetime) -> str:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` and a line break, written faster."""
    return prettyjson.dumps(to_ninjs(story, now=now)) + "\n"


def story_files(
    story: Story, approval: Approval, former: Iterable[tuple[str, str]] = (), *, now: datetime
) -> dict[str, bytes]:
    return {story_path(story): render_document(story, now).encode("utf-8")}


def shared_files(entries: Iterable[StoryEntry]) -> dict[str, bytes]:
    return {}
