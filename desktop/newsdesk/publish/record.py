"""The approved content an export carries in its tree, so a receiver can re-render each story.

Beside each story's files an export writes `.newsdesk/approved/<id>.json` (listed in the
manifest with the story's files): the content fields the approval's content hash covers
(model.CONTENT_FIELDS, tags in the order the page shows them; never the ednote) and the
few other inputs the renderers read: the story's revision and times, its language, its
approvals (Hugo's `date` is the first of them), its former names (Hugo's aliases) and
the time it was rendered at (ninjs' `pubstatus` reads the clock against the embargo)
and, when it has any, the signed corrections and updates the version carries (`notes`).
`newsdesk verify-export` rebuilds the story from this record, checks that its content
hash is the one the approver signed, renders it again and compares every byte.

The dot-folder keeps it out of the publishing system's way: Hugo reads only `content/`,
and a site or a ninjs reader that takes the top-level files never sees it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.domain.model import (
    ID_RE,
    PICTURES_KEY,
    Approval,
    Dateline,
    NewsdeskError,
    Story,
    WorkflowAction,
    format_datetime,
    parse_date,
    parse_datetime,
)
from newsdesk.formats import prettyjson
from newsdesk.formats.html import story_language
from newsdesk.publish.files import ExportError
from newsdesk.publish.pictures import ExportPicture, from_facts

TREE_DIR = ".newsdesk"
RECORD_DIR = f"{TREE_DIR}/approved"
RECORD_VERSION = 1
_TEXT_FIELDS = ("slug", "headline", "deck", "byline", "section", "editor", "source",
                "caption", "body")


def record_path(story_id: str) -> str:
    return f"{RECORD_DIR}/{story_id}.json"


@dataclass(frozen=True)
class Record:
    """A story as an export rendered it: the story, its former names, when rendered."""

    story: Story
    former: tuple[tuple[str, str], ...]
    rendered_at: datetime
    pictures: tuple[ExportPicture, ...] = ()


def record_bytes(
    story: Story, former: Iterable[tuple[str, str]], rendered_at: datetime,
    pictures: Sequence[ExportPicture] = (),
) -> bytes:
    """The record of one rendered story (deterministic: the same inputs, the same bytes).
    A story with pictures also records them (content: the list the hash covers; render:
    each rendition's file name and size); one without is recorded as it always was."""
    content: dict[str, object] = {name: getattr(story, name) for name in _TEXT_FIELDS}
    content["tags"] = list(story.tags)
    content["dateline"] = {
        "place": story.dateline.place,
        "date": story.dateline.date.isoformat() if story.dateline.date else None,
    }
    content["embargo"] = format_datetime(story.embargo) if story.embargo else None
    doc = {
        "record_version": RECORD_VERSION,
        "id": story.id,
        "revision": story.revision,
        "content": content,
        "render": {
            "created_at": format_datetime(story.created_at),
            "updated_at": format_datetime(story.updated_at),
            "language": story_language(story),
            "approvals": [approval.as_dict() for approval in story.approvals],
            "former": [[section, slug] for section, slug in former],
            "rendered_at": format_datetime(rendered_at),
        },
    }
    if story.actions:  # the corrections and updates this version carries (signed)
        render = doc["render"]
        assert isinstance(render, dict)
        render["notes"] = [action.as_dict() for action in story.actions]
    if pictures:
        content[PICTURES_KEY] = story.extra[PICTURES_KEY]
        doc["render"]["pictures"] = [placed.facts() for placed in pictures]  # type: ignore[index]
    return (prettyjson.dumps(doc) + "\n").encode("utf-8")


def read_record(data: bytes, source: str) -> Record:
    """The record's story and render inputs; ExportError naming `source` if unreadable."""
    try:
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("record_version") != RECORD_VERSION:
            raise ValueError(f"not a Newsdesk record (version {RECORD_VERSION})")
        content, render = _mapping(doc["content"]), _mapping(doc["render"])
        story_id = _text(doc["id"])
        revision = doc["revision"]
        if not ID_RE.match(story_id) or type(revision) is not int:
            raise ValueError("bad id or revision")
        dateline = _mapping(content["dateline"])
        day = dateline["date"]
        story = Story(
            id=story_id,
            revision=revision,
            **{name: _text(content[name]) for name in _TEXT_FIELDS},
            tags=tuple(_text(tag) for tag in _list(content["tags"])),
            dateline=Dateline(_text(dateline["place"]), parse_date(_text(day)) if day else None),
            embargo=parse_datetime(_text(content["embargo"])) if content["embargo"] else None,
            created_at=parse_datetime(_text(render["created_at"])),
            updated_at=parse_datetime(_text(render["updated_at"])),
            extra=_extra(render, content),
            approvals=tuple(Approval.from_dict(_mapping(a)) for a in _list(render["approvals"])),
            actions=tuple(
                WorkflowAction.from_dict(_mapping(a)) for a in _list(render.get("notes", []))
            ),
            status="published",
        )
        former = tuple((_text(s), _text(n)) for s, n in _list(render["former"]))
        rendered_at = parse_datetime(_text(render["rendered_at"]))
        pictures = from_facts(story, _list(render.get("pictures", [])))
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, NewsdeskError) as exc:
        raise ExportError(f"{source}: not a readable record of approved content ({exc})") from None
    return Record(story, former, rendered_at, pictures)


def _extra(render: Mapping[str, object], content: Mapping[str, object]) -> dict[str, object]:
    """The extra keys a record gives back: the language, and the pictures if it has any."""
    extra: dict[str, object] = {"language": _text(render["language"])}
    if PICTURES_KEY in content:
        extra[PICTURES_KEY] = _list(content[PICTURES_KEY])
    return extra


def _mapping(value: object) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise TypeError("expected an object")
    return value


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value
