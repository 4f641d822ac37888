"""What travels of a story between a database and a folder: its sync hash, and tombstones.

Pure functions over a Story. The sync's records in the database (folders, bases, pending
bases, the stat cache, conflicts) are the store's: store/sync_records.py, sync_cache.py,
sync_conflicts.py.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from newsdesk.domain.model import DEFAULT_TYPE, Story, format_datetime

DELETED_KEY = "deleted"


def sync_hash(story: Story, deleted: bool = False) -> str:
    """Hash of everything that travels: editable fields, status, approvals, signed
    actions, extra keys, and deletion. Not revision, updated_at or modified_by (nor
    modified_key): each database keeps its own, and comparing them would make two
    laptops rewrite each other's files forever."""
    data: dict[str, object] = dict(story.editable())
    if story.type == DEFAULT_TYPE:  # stories of the default type hash as before types
        del data["type"]
    data["status"] = story.status
    data["approvals"] = sorted(
        (
            [a.approver, a.revision, a.content_hash, _utc(a.approved_at), a.signature]
            for a in story.approvals
        ),
        key=lambda item: (item[3], item[0], item[2]),
    )
    if story.actions:  # absent when none, so stories without any hash as they always did
        data["actions"] = sorted(
            [a.action, _utc(a.at), a.public_key, a.signature] for a in story.actions
        )
    data["extra"] = {k: v for k, v in story.extra.items() if k != DELETED_KEY}
    data["deleted"] = bool(deleted)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc(value: object) -> str:
    return format_datetime(value.astimezone(UTC)) if hasattr(value, "astimezone") else str(value)


def is_tombstone(story: Story) -> bool:
    return story.extra.get(DELETED_KEY) is True


def as_file_story(story: Story, deleted: bool) -> Story:
    """The story as the file holds it: a tombstone is the whole story plus `deleted: true`,
    so a delete on one laptop can be undone on another and no text is lost."""
    if not deleted and DELETED_KEY not in story.extra:
        return story
    extra = {k: v for k, v in story.extra.items() if k != DELETED_KEY}
    if deleted:
        extra[DELETED_KEY] = True
    return story.replace(extra=extra)


def without_tombstone(story: Story) -> Story:
    return as_file_story(story, False)
