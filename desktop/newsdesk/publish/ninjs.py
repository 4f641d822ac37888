"""ninjs writer: one IPTC ninjs 2.2 JSON document per story, named by the story id.

Files are `<id>.json` at the top of the export folder, so a renamed slug or a moved
section changes the document, never its name; receivers key stories on the ninjs `uri`.
A story's pictures are its `associations` (type picture, with the web rendition in
`<id>_files/`) and `<figure>`s in its HTML body (publish/pictures.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from newsdesk.domain import lifecycle
from newsdesk.domain.model import Approval, Story, format_datetime, word_count
from newsdesk.formats import prettyjson
from newsdesk.formats.html import html_to_text, render_body_html
from newsdesk.formats.ninjs import NINJS_SCHEMA_URI, NINJS_VERSION, story_uri, to_ninjs
from newsdesk.publish.lifecycle import KillNotice, notes_html, notice_body_html, story_notes
from newsdesk.publish.manifest import StoryEntry
from newsdesk.publish.pictures import ExportPicture, body_with_pictures

FORMAT = "ninjs"
MEDIA_URI_PREFIX = "urn:newsdesk:media:"
# ninjs wants an absolute URI in a rendition's href; the file is at the path after this
# prefix in the export tree, which the receiving side maps to where it publishes it.
FILE_URI_PREFIX = "urn:newsdesk:file:"


def story_path(story: Story) -> str:
    return f"{story.id}.json"


def media_path(story: Story, name: str) -> str:
    """Where a story's picture goes: `<id>_files/<name>`, beside its document."""
    return f"{story.id}_files/{name}"


def association(placed: ExportPicture, href: str) -> dict[str, object]:
    """A picture as a ninjs association: its web rendition, caption, credit, creator and
    copyright (the alt text as a description of role "alt")."""
    picture = placed.picture
    doc: dict[str, object] = {
        "name": "lead" if picture.role == "lead" else f"picture-{placed.hex[:12]}",
        "uri": MEDIA_URI_PREFIX + picture.id,
        "type": "picture",
        "representationtype": "full",
        "renditions": [{
            "name": "web", "href": href, "contenttype": placed.media_type,
            "width": placed.width, "height": placed.height,
        }],
    }
    descriptions = [
        {"role": role, "contenttype": "text/plain", "value": text}
        for role, text in (("caption", picture.caption), ("alt", picture.alt),
                           ("credit", picture.credit))
        if text
    ]
    if descriptions:
        doc["descriptions"] = descriptions
    if picture.creator:
        doc["by"] = picture.creator
    if picture.copyright:
        doc["copyrightnotice"] = picture.copyright
    return doc


def render_document(
    story: Story, now: datetime, pictures: Sequence[ExportPicture] = (),
    body_html: str | None = None,
) -> str:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` and a line break, written faster."""
    return prettyjson.dumps(story_document(story, now, pictures, body_html)) + "\n"


def story_document(
    story: Story, now: datetime, pictures: Sequence[ExportPicture] = (),
    body_html: str | None = None,
) -> dict:
    """The story's ninjs: its pictures as figures in the body and as associations, its
    corrections and updates (if any) at the foot of the body and as descriptions (role
    correction or update). `body_html`: the body already rendered (the export's render
    cache), for a story without pictures."""
    notes = story_notes(story)
    if not notes and not pictures:
        return _versioned(to_ninjs(story, now=now, body_html=body_html), story)
    hrefs = {p.name: FILE_URI_PREFIX + media_path(story, p.name) for p in pictures}
    if pictures:
        body = body_with_pictures(story.body, pictures, lambda p: hrefs[p.name])
    else:
        body = render_body_html(story.body) if body_html is None else body_html
    doc = to_ninjs(story, now=now, body_html=body + notes_html(story) if notes else body)
    if pictures:
        doc["associations"] = [association(p, hrefs[p.name]) for p in pictures]
    if notes:
        descriptions = doc.setdefault("descriptions", [])
        assert isinstance(descriptions, list)
        descriptions += [
            {"role": "correction" if note.kind == "correct" else "update",
             "contenttype": "text/plain", "value": note.line()}
            for note in notes
        ]
    return _versioned(doc, story)


def _versioned(doc: dict, story: Story) -> dict:
    """`version` is the public version number (1, then one more per corrected or updated
    version that went out), not the store's revision, which counts every save: the
    notes the version carries (its actions, as selection.fetch_from left them) say it."""
    doc["version"] = str(lifecycle.version(story.actions))
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
    story: Story, approval: Approval, former: Iterable[tuple[str, str]] = (), *,
    now: datetime, pictures: Sequence[ExportPicture] = (), body_html: str | None = None,
) -> dict[str, bytes]:
    return {story_path(story): render_document(story, now, pictures, body_html).encode("utf-8")}


def shared_files(
    entries: Iterable[StoryEntry], notices: Iterable[KillNotice] = ()
) -> dict[str, bytes]:
    """None: each ninjs document stands alone (a kill cancels its own)."""
    return {}
