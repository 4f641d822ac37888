"""A WireItem as JSON and back: how the incoming queue keeps each version it received.

Every field round-trips exactly (dates and times as ISO 8601, subjects as maps), so the
version a desk took can be read back as the base of a later three-way merge.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from newsdesk.domain.times import format_datetime, parse_datetime
from newsdesk.formats.errors import FormatError
from newsdesk.formats.wire_item import Subject, WireItem

_DATETIMES = ("embargo", "sent", "first_created")
_TUPLES = ("keywords", "notes")


def item_to_dict(item: WireItem) -> dict[str, Any]:
    """The item as plain JSON values."""
    value: dict[str, Any] = {}
    for spec in dataclasses.fields(item):
        current = getattr(item, spec.name)
        if spec.name in _DATETIMES:
            current = format_datetime(current) if current else None
        elif spec.name == "dateline_date":
            current = current.isoformat() if current else None
        elif spec.name == "subjects":
            current = [subject.as_dict() for subject in current]
        elif spec.name == "media":
            current = [dict(entry) for entry in current]
        elif isinstance(current, tuple):
            current = list(current)
        value[spec.name] = current
    return value


def item_to_json(item: WireItem) -> str:
    return json.dumps(item_to_dict(item), ensure_ascii=False, separators=(",", ":"))


def item_from_dict(value: dict[str, Any]) -> WireItem:
    """The item `item_to_dict` gave; FormatError if the map is not one."""
    try:
        fields = {spec.name for spec in dataclasses.fields(WireItem)}
        given = {key: item for key, item in value.items() if key in fields}
        for name in _DATETIMES:
            given[name] = parse_datetime(given[name]) if given.get(name) else None
        if given.get("dateline_date"):
            given["dateline_date"] = date.fromisoformat(given["dateline_date"])
        given["subjects"] = tuple(Subject(**entry) for entry in given.get("subjects", ()))
        given["media"] = tuple(dict(entry) for entry in given.get("media", ()))
        for name in _TUPLES:
            given[name] = tuple(given.get(name, ()))
        return WireItem(**given)
    except (TypeError, ValueError, KeyError) as exc:
        raise FormatError(f"a stored wire item cannot be read back ({exc})") from None


def item_from_json(text: str) -> WireItem:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"a stored wire item is not JSON ({exc.msg})") from None
    if not isinstance(value, dict):
        raise FormatError("a stored wire item is not a JSON object")
    return item_from_dict(value)
