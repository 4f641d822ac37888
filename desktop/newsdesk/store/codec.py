"""Story <-> database row: column values, JSON for tags, approvals and extra keys.

Timestamps that sort the list (created_at, updated_at, deleted_at) are stored in UTC so
that text order is time order; the embargo keeps the offset it was given, because a desk
reads "09:00 Shanghai time" differently from the same instant in UTC.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import zlib
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from newsdesk.domain.model import (
    DEFAULT_TYPE,
    Approval,
    Dateline,
    Story,
    ValidationError,
    WorkflowAction,
    format_datetime,
    parse_date,
    parse_datetime,
)

# Columns of the stories table that hold a Story field one to one.
PLAIN_COLUMNS: tuple[str, ...] = (
    "id",
    "slug",
    "headline",
    "deck",
    "byline",
    "section",
    "editor",
    "source",
    "caption",
    "body",
    "ednote",
    "status",
    "revision",
    "modified_by",
)


def utc_text(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(UTC))


def story_to_row(story: Story, counted: tuple[int, str] | None = None) -> dict[str, Any]:
    """The stories-table columns for a story (without rid, deleted_at and change_seq).
    `counted`: its word count and content hash when already worked out (a sync works
    them out on the worker process that read the file)."""
    row: dict[str, Any] = {name: getattr(story, name) for name in PLAIN_COLUMNS}
    row.update(
        dateline_place=story.dateline.place,
        dateline_date=story.dateline.date.isoformat() if story.dateline.date else None,
        tags=json.dumps(list(story.tags), ensure_ascii=False),
        embargo=format_datetime(story.embargo) if story.embargo else None,
        created_at=utc_text(story.created_at),
        updated_at=utc_text(story.updated_at),
        approvals=records_json(story.approvals),
        modified_key=story.modified_key,
        actions=records_json(story.actions),
        extra=encode_extra(story.extra),
        type=story.type,
    )
    row["word_count"], row["content_hash"] = counted or (story.word_count, story.content_hash)
    return row


def records_json(records: Sequence[Approval | WorkflowAction]) -> str:
    """A story's approvals or actions as their column holds them."""
    return json.dumps([_record_dict(record) for record in records], ensure_ascii=False)


# An action's fields in as_dict's order: each is a plain value but `at`.
_ACTION_FIELDS = tuple(field.name for field in dataclasses.fields(WorkflowAction))


def _record_dict(record: Approval | WorkflowAction) -> dict[str, object]:
    """record.as_dict(), without dataclasses.asdict's deep copy of an action's plain
    values (it was most of the cost of writing the rows of a received archive)."""
    if type(record) is WorkflowAction:
        plain = {name: getattr(record, name) for name in _ACTION_FIELDS}
        plain["at"] = format_datetime(record.at)
        return plain
    return record.as_dict()


def row_to_story(row: dict[str, Any]) -> Story:
    # A row written by hand or by an older tool may hold NULL where a Story has text.
    fields = {name: "" if row[name] is None else row[name] for name in PLAIN_COLUMNS}
    return Story(
        **fields,
        dateline=Dateline(
            row["dateline_place"] or "",
            parse_date(row["dateline_date"]) if row["dateline_date"] else None,
        ),
        tags=tuple(json.loads(row["tags"] or "[]")),
        embargo=parse_datetime(row["embargo"]) if row["embargo"] else None,
        created_at=parse_datetime(row["created_at"]),
        updated_at=parse_datetime(row["updated_at"]),
        approvals=tuple(Approval.from_dict(a) for a in json.loads(row["approvals"] or "[]")),
        # Absent from the snapshots of revisions saved before actions were signed.
        modified_key=row.get("modified_key") or "",
        actions=tuple(
            WorkflowAction.from_dict(a) for a in json.loads(row.get("actions") or "[]")
        ),
        extra=decode_extra(row["extra"]),
        # Absent from rows and snapshots saved before stories had types: the default.
        type=row.get("type") or DEFAULT_TYPE,
    )


def pack_snapshot(row: dict[str, Any], level: int = -1) -> bytes:
    """A stories row as kept in the revisions table (revisions add up; text compresses).
    `level`: zlib's (its default when -1; 1, the fastest, for many rows at once)."""
    return zlib.compress(json.dumps(row, ensure_ascii=False).encode("utf-8"), level)


def unpack_snapshot(blob: bytes) -> Story:
    return row_to_story(json.loads(zlib.decompress(blob).decode("utf-8")))



# Extra front-matter keys come from a YAML safe loader, which also yields dates, times,
# bytes and sets. JSON has none of them, so they travel as one-key tagged objects; a
# mapping whose keys could be mistaken for a tag (or are not strings) travels as pairs.
def encode_extra(extra: dict[str, object]) -> str:
    try:
        return json.dumps(_encode(extra), ensure_ascii=False, sort_keys=False)
    except TypeError as exc:
        raise ValidationError({"extra": str(exc)}) from None


def decode_extra(text: str | None) -> dict[str, object]:
    value = _decode(json.loads(text or "{}"))
    return value if isinstance(value, dict) else {}


def _encode(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, set | frozenset):
        return {"$set": [_encode(item) for item in value]}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return _encode_mapping(value)
    raise TypeError(f"a value of type {type(value).__name__} cannot be stored")


def _encode_mapping(value: dict[object, object]) -> object:
    """A mapping as an object, or as pairs when a key could pass for a tag."""
    if all(isinstance(key, str) and not key.startswith("$") for key in value):
        return {key: _encode(item) for key, item in value.items()}
    return {"$map": [[_encode(key), _encode(item)] for key, item in value.items()]}


def _decode(value: object) -> object:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((key, inner),) = value.items()
        if key == "$datetime":
            return datetime.fromisoformat(inner)
        if key == "$date":
            return date.fromisoformat(inner)
        if key == "$bytes":
            return base64.b64decode(inner)
        if key == "$set":
            return {_decode(item) for item in inner}
        if key == "$map":
            return {_decode(k): _decode(v) for k, v in inner}
    return {key: _decode(item) for key, item in value.items()}
