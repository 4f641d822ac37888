"""Revisions and history of stories: what was saved (a compressed snapshot of the row per
revision), and what happened (an event per save, move, deletion...).

Plain functions over the database; the writes run inside the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from newsdesk.domain.model import Story, parse_datetime, utcnow
from newsdesk.store.codec import pack_snapshot, unpack_snapshot, utc_text
from newsdesk.store.errors import NotFound
from newsdesk.store.records import Attribution, HistoryEvent, RevisionInfo
from newsdesk.store.rows import insert_row, select, story_row


def revisions(db: Database, id: str) -> list[RevisionInfo]:
    """Every saved revision of a story, oldest first; NotFound for no such story."""
    story_row(db, id)
    return [
        RevisionInfo(
            story_id=r["story_id"],
            revision=r["revision"],
            saved_at=parse_datetime(r["saved_at"]),
            author=r["author"] or "",
            content_hash=r["content_hash"],
            headline=r["headline"],
            word_count=r["word_count"],
            author_key=r["author_key"],
            origin=r["origin"],
        )
        for r in select(
            db,
            "SELECT story_id, revision, saved_at, author, content_hash, headline, word_count, "
            "author_key, origin FROM revisions WHERE story_id = ? ORDER BY revision",
            [id],
        )
    ]


def revision(db: Database, id: str, n: int) -> Story:
    """The story as it was saved at revision `n` (status and approvals of that time)."""
    rows = select(db, "SELECT snapshot FROM revisions WHERE story_id = ? AND revision = ?", [id, n])
    if not rows:
        story_row(db, id)
        raise NotFound(f"story {id[:8]} has no revision {n}")
    return unpack_snapshot(rows[0]["snapshot"])


def history(db: Database, id: str) -> list[HistoryEvent]:
    """What happened to a story, oldest first; NotFound for no such story."""
    story_row(db, id)
    return [
        HistoryEvent(
            story_id=r["story_id"],
            at=parse_datetime(r["at"]),
            actor=r["actor"] or "",
            action=r["action"],
            revision=r["revision"],
            note=r["note"] or "",
            from_status=r["from_status"] or "",
            to_status=r["to_status"] or "",
            actor_key=r["actor_key"],
            origin=r["origin"],
        )
        for r in select(db, "SELECT * FROM history WHERE story_id = ? ORDER BY seq", [id])
    ]


def revision_row(row: dict[str, Any], origin: str = "", level: int = -1) -> dict[str, Any]:
    """A revisions row from a stories row (the story as saved at that revision);
    `origin` says whether its author and key are a synced file's claim; `level`, how
    hard its snapshot is compressed (codec.pack_snapshot)."""
    return {
        "story_id": row["id"],
        "revision": row["revision"],
        "saved_at": row["updated_at"],
        "author": row["modified_by"],
        "content_hash": row["content_hash"],
        "headline": row["headline"],
        "word_count": row["word_count"],
        "snapshot": pack_snapshot(row, level),
        "author_key": row["modified_key"],
        "origin": origin,
    }


def write_revision(db: Database, row: dict[str, Any], origin: str = "") -> None:
    """Record the stories row as its revision (replacing one recorded before)."""
    revision = revision_row(row, origin)
    updates = ", ".join(f"{name} = excluded.{name}" for name in revision)
    conflict = f"ON CONFLICT(story_id, revision) DO UPDATE SET {updates}"
    insert_row(db, "revisions", revision, conflict)


def event_row(
    id: str,
    action: str,
    actor: Attribution,
    revision: int,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> dict[str, Any]:
    """A history row: `actor` did `action` to the story at `revision`, now."""
    return {
        "story_id": id,
        "at": utc_text(utcnow()),
        "actor": actor.name,
        "action": action,
        "revision": revision,
        "note": note,
        "from_status": from_status,
        "to_status": to_status,
        "actor_key": actor.key,
        "origin": actor.origin,
    }


def add_event(
    db: Database,
    id: str,
    action: str,
    actor: Attribution,
    revision: int,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> None:
    """Add an event to a story's history (see event_row)."""
    insert_row(db, "history", event_row(id, action, actor, revision, note, from_status, to_status))
