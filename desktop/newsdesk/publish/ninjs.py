"""ninjs writer: one IPTC ninjs 2.2 JSON document per story, named by the story id.

Files are `<id>.json` at the top of the export folder, so a renamed slug or a moved
section changes the document, never its name; receivers key stories on the ninjs `uri`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from newsdesk.formats import prettyjson
from newsdesk.formats.html import html_to_text, render_body_html
from newsdesk.formats.ninjs import NINJS_SCHEMA_URI, NINJS_VERSION, story_uri, to_ninjs
from newsdesk.model import Approval, Story, format_datetime, word_count
from newsdesk.publish.lifecycle import KillNotice, notes_html, notice_body_html, story_notes
from newsdesk.publish.manifest import StoryEntry

FORMAT = "ninjs"


def story_path(story: Story) -> str:
    return f"{story.id}.json"


def render_document(story: Story, now: datetime) -> str:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` and a line break, written faster."""
    return prettyjson.dumps(story_document(story, now)) + "\n"


def story_document(story: Story, now: datetime) -> dict:
    """The story's ninjs, with its corrections and updates (if any) at the foot of the
    body and as descriptions (role correction or update)."""
    notes = story_notes(story)
    if not notes:
        return to_ninjs(story, now=now)
    doc = to_ninjs(story, now=now, body_html=render_body_html(story.body) + notes_html(story))
    descriptions = doc.setdefault("descriptions", [])
    assert isinstance(descriptions, list)
    descriptions += [
        {"role": "correction" if note.kind == "correct" else "update",
         "contenttype": "text/plain", "value": note.line()}
        for note in notes
    ]
    return doc


def kill_files(notice: KillNotice) -> dict[str, bytes]:
    """The ninjs that cancels a killed story: same uri, `pubstatus: canceled`, the notice
    as its body and as a description (role kill)."""
    html = notice_body_html(notice)
    text = html_to_text(html)
    words = word_count(text)
    doc = {
        "uri": story_uri(notice.id),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationtype": "full",
        "versioncreated": format_datetime(notice.killed_at),
        "pubstatus": "canceled",
        "language": notice.language,
        "slugline": notice.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": notice.headline}],
        "descriptions": [{"role": "kill", "contenttype": "text/plain", "value": notice.note}],
        "bodies": [
            {"role": "main", "contenttype": ct, "value": value, "charcount": len(text),
             "wordcount": words}
            for ct, value in (("text/html", html), ("text/plain", text))
        ],
    }
    return {f"{notice.id}.json": (prettyjson.dumps(doc) + "\n").encode("utf-8")}


def story_files(
    story: Story, approval: Approval, former: Iterable[tuple[str, str]] = (), *, now: datetime
) -> dict[str, bytes]:
    return {story_path(story): render_document(story, now).encode("utf-8")}


def shared_files(entries: Iterable[StoryEntry]) -> dict[str, bytes]:
    return {}
