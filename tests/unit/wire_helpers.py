"""Wire items and files for the queue's tests: small ninjs 2 documents, built by hand."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.formats.wire_item import WireItem

BODY = "The ferry resumes on Monday.\n\nTimetables are on the quay.\n\nFares stay the same."


def ninjs(guid: str, version: int = 1, *, headline: str = "Ferry back on Monday",
          body: str = BODY, feed: str = "Feed A", urgency: int = 4) -> dict[str, object]:
    """A ninjs 2.2 text item as an agency would send it."""
    return {
        "standard": {"name": "ninjs", "version": "2.2"},
        "uri": guid,
        "type": "text",
        "version": str(version),
        "urgency": urgency,
        "infosources": [{"name": feed}],
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": body}],
    }


def write_ninjs(folder: Path, name: str, guid: str, version: int = 1, **fields: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(ninjs(guid, version, **fields)), encoding="utf-8")  # type: ignore[arg-type]
    return path


def item(guid: str, version: int = 1, *, headline: str = "Ferry back on Monday",
         body: str = BODY, provider: str = "Feed A") -> WireItem:
    return WireItem(format="ninjs-2", guid=guid, version=version, headline=headline,
                    body=body, provider=provider, source=provider)
