"""Story -> IPTC ninjs 2.2 (News in JSON): a dict valid against the shared ninjs schema.

Every story field maps onto a ninjs field; nothing of our own is added at the top level
(the schema rejects unknown keys) and the ednote, a note to the desk, is never emitted.

| story | ninjs |
|---|---|
| id | `uri` `urn:newsdesk:story:<id>` (stable across revisions and slug changes) |
| revision, created_at, updated_at | `version` (as text), `firstcreated`, `versioncreated` |
| slug | `slugline` |
| headline | `headlines` role main |
| deck, caption | `descriptions` roles summary and caption |
| body | `bodies`: sanitized HTML and plain text, role main, with char and word counts |
| byline | `by` as printed, and each author in `people` (rel author) |
| editor | `people` (rel editor): the source's own editor (extra `source_editor`, from a wire
  trailer) if there is one, else the desk's editor |
| dateline | `located` (the place), and a `descriptions` entry role dateline
  ("Harbour City, 2026-03-09"): ninjs has no field for the dateline date itself |
| section, tags | `subjects`: the section (rel section) and each tag (rel keyword) |
| type | `genres`: one, its label as `name` and `urn:newsdesk:type:<type>` as `uri` |
| source | `infosources` |
| embargo | `embargoed` |
| status | `pubstatus`: canceled when spiked, withheld while embargoed, else usable |
| extra `language` | `language` (default "en") |
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from newsdesk.copydesk.type_rules import type_label
from newsdesk.domain.model import Story, format_datetime, word_count
from newsdesk.formats.html import html_to_text, render_body_html, story_language
from newsdesk.formats.wire import SOURCE_EDITOR

NINJS_VERSION = "2.2"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
URI_PREFIX = "urn:newsdesk:story:"
# Our own scheme: the house's types are its own (a desk may add any), not IPTC genre codes.
TYPE_URI_PREFIX = "urn:newsdesk:type:"

# "By A, B and C" -> A / B / C. Only separators people use between names.
_BY_PREFIX_RE = re.compile(r"^\s*by\s+", re.IGNORECASE)
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|、|和)\s*", re.IGNORECASE)


def story_uri(story_id: str) -> str:
    return URI_PREFIX + story_id


def public_status(story: Story, now: datetime | None = None) -> str:
    """What a receiver sees: canceled if spiked, withheld under embargo, usable
    (docs/architecture.md, "The workflow").

    Without `now`, a story with an embargo counts as withheld: the safe reading.
    """
    if story.status == "spiked":
        return "canceled"
    if story.embargo is not None and (now is None or now < story.embargo):
        return "withheld"
    return "usable"


def byline_names(byline: str) -> list[str]:
    """The people named in a printed byline: 'By Xu Fang and Li Wei' -> both names."""
    text = _BY_PREFIX_RE.sub("", byline.strip())
    return [name for name in _NAME_SPLIT_RE.split(text) if name.strip()]


def dateline_text(story: Story) -> str:
    """'Harbour City, 2026-03-09': the dateline as one line (place, ISO date)."""
    day = story.dateline.date.isoformat() if story.dateline.date else ""
    return ", ".join(part for part in (story.dateline.place, day) if part)


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(UTC))


def to_ninjs(story: Story, *, now: datetime | None = None, body_html: str | None = None) -> dict:
    """The story as a ninjs 2.2 document (a plain dict, ready for json.dumps).

    `now` decides whether an embargo still withholds the story; `body_html` lets a caller
    pass a body it already rendered with render_body_html().
    """
    html = render_body_html(story.body) if body_html is None else body_html
    doc: dict[str, object] = {
        "uri": story_uri(story.id),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationtype": "full",
        "version": str(story.revision),
        "firstcreated": _utc(story.created_at),
        "versioncreated": _utc(story.updated_at),
        "pubstatus": public_status(story, now),
        "language": story_language(story),
        "slugline": story.slug,
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": story.headline}],
    }
    if story.embargo is not None:
        doc["embargoed"] = format_datetime(story.embargo)
    # Each optional part appears only when the story has it (the schema refuses empty lists).
    optional: dict[str, object] = {
        "descriptions": _descriptions(story),
        "bodies": _bodies(html),
        "by": story.byline,
        "people": _people(story),
        "located": story.dateline.place,
        "subjects": _subjects(story),
        "infosources": [{"name": story.source}] if story.source else [],
    }
    doc.update((key, value) for key, value in optional.items() if value)
    doc["genres"] = [{"name": type_label(story.type), "uri": TYPE_URI_PREFIX + story.type}]
    return doc


def _descriptions(story: Story) -> list[dict[str, str]]:
    return [
        {"role": role, "contenttype": "text/plain", "value": text}
        for role, text in (
            ("summary", story.deck),
            ("caption", story.caption),
            ("dateline", dateline_text(story)),
        )
        if text
    ]


def _bodies(html: str) -> list[dict[str, object]]:
    if not html:
        return []
    text = html_to_text(html)
    words = word_count(text)  # both bodies count the words of the text the reader sees
    return [_body("text/html", html, text, words), _body("text/plain", text, text, words)]


def _people(story: Story) -> list[dict[str, str]]:
    people = [{"name": name, "rel": "author"} for name in byline_names(story.byline)]
    editor = str(story.extra.get(SOURCE_EDITOR) or "").strip() or story.editor
    if editor:
        people.append({"name": editor, "rel": "editor"})
    return people


def _subjects(story: Story) -> list[dict[str, str]]:
    subjects = [{"name": story.section, "rel": "section"}] if story.section else []
    return subjects + [{"name": tag, "rel": "keyword"} for tag in story.tags]


def _body(contenttype: str, value: str, text: str, words: int) -> dict[str, object]:
    return {
        "role": "main",
        "contenttype": contenttype,
        "value": value,
        "charcount": len(text),
        "wordcount": words,
    }
