"""ninjs writer: one IPTC ninjs 2.2 JSON document per story, named by the story id.

Files are `<id>.json` at the top of the export folder, so a renamed slug or a moved
section changes the document, never its name; receivers key stories on the ninjs `uri`.
A story's pictures are its `associations` (type picture, with the web rendition in
`<id>_files/`) and `<figure>`s in its HTML body (publish/pictures.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from newsdesk.formats import prettyjson
from newsdesk.formats.ninjs import to_ninjs
from newsdesk.model import Approval, Story
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
    story: Story, now: datetime, pictures: Sequence[ExportPicture] = ()
) -> str:
    """`json.dumps(doc, ensure_ascii=False, indent=2)` and a line break, written faster."""
    if not pictures:
        return prettyjson.dumps(to_ninjs(story, now=now)) + "\n"
    hrefs = {p.name: FILE_URI_PREFIX + media_path(story, p.name) for p in pictures}
    body = body_with_pictures(story.body, pictures, lambda p: hrefs[p.name])
    doc = to_ninjs(story, now=now, body_html=body)
    doc["associations"] = [association(p, hrefs[p.name]) for p in pictures]
    return prettyjson.dumps(doc) + "\n"


def story_files(
    story: Story, approval: Approval, former: Iterable[tuple[str, str]] = (), *,
    now: datetime, pictures: Sequence[ExportPicture] = (),
) -> dict[str, bytes]:
    return {story_path(story): render_document(story, now, pictures).encode("utf-8")}


def shared_files(entries: Iterable[StoryEntry]) -> dict[str, bytes]:
    return {}
