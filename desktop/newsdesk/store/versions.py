"""Named versions of a story: a revision someone called "as subbed" or "legal-checked"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsdesk.domain.model import ValidationError, parse_datetime, utcnow
from newsdesk.store.codec import utc_text
from newsdesk.store.errors import NotFound
from newsdesk.store.store import Store

NAME_MAX = 80


@dataclass(frozen=True)
class NamedVersion:
    story_id: str
    revision: int
    name: str
    named_by: str
    named_at: datetime


def check_name(name: str) -> str:
    """A version's name, trimmed; ValidationError if empty, several lines or too long."""
    clean = " ".join(name.split())
    if not clean or "\n" in name.strip():
        raise ValidationError({"name": "a version's name is one line of text"})
    if len(clean) > NAME_MAX:
        raise ValidationError({"name": f"a version's name is at most {NAME_MAX} characters"})
    return clean


def name_version(store: Store, story_id: str, revision: int, name: str, actor: str) -> None:
    """Give a saved revision a name (replacing the one it had); "" takes the name away."""
    with store.transaction():
        known = store.db.execute(
            "SELECT 1 FROM revisions WHERE story_id = ? AND revision = ?", [story_id, revision]
        ).fetchone()
        if known is None:
            store.get(story_id)  # NotFound for a story that is not there
            raise NotFound(f"story {story_id[:8]} has no revision {revision}")
        if not name.strip():
            store.db.execute("DELETE FROM named_versions WHERE story_id = ? AND revision = ?",
                             [story_id, revision])
            return
        store.db.execute(
            "INSERT INTO named_versions (story_id, revision, name, named_by, named_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(story_id, revision) DO UPDATE SET "
            "name = excluded.name, named_by = excluded.named_by, named_at = excluded.named_at",
            [story_id, revision, check_name(name), actor, utc_text(utcnow())],
        )


def named_versions(store: Store, story_id: str) -> dict[int, NamedVersion]:
    """The story's named revisions, by revision number."""
    rows = store.db.execute(
        "SELECT revision, name, named_by, named_at FROM named_versions WHERE story_id = ? "
        "ORDER BY revision", [story_id],
    ).fetchall()
    return {
        revision: NamedVersion(story_id, revision, name, named_by or "", parse_datetime(at))
        for revision, name, named_by, at in rows
    }
