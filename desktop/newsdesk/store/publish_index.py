"""What an export needs to tell an unchanged story from a changed one, in one query."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.model import Approval
from newsdesk.store.store import Store


@dataclass(frozen=True)
class PublishRow:
    """A live story's status, revision, stored content hash and approvals (no text)."""

    id: str
    status: str
    revision: int
    content_hash: str
    approvals: tuple[Approval, ...]


def publish_index(store: Store, statuses: Iterable[str]) -> list[PublishRow]:
    """Every live story with one of `statuses`, oldest row first."""
    wanted = list(statuses)
    marks = ", ".join("?" for _ in wanted)
    cursor = store.db.execute(
        "SELECT id, status, revision, content_hash, approvals FROM stories "
        f"WHERE deleted_at IS NULL AND status IN ({marks}) ORDER BY rid",
        wanted,
    )
    rows = cursor.fetchall()
    # One JSON document for all rows: a json.loads call per row costs more than its parse.
    approvals = json.loads("[" + ",".join(row[4] or "[]" for row in rows) + "]")
    return [
        PublishRow(
            id=story_id,
            status=status,
            revision=revision,
            content_hash=content_hash or "",
            approvals=tuple(Approval.from_dict(a) for a in story_approvals),
        )
        for (story_id, status, revision, content_hash, _text), story_approvals in zip(
            rows, approvals, strict=True
        )
    ]
