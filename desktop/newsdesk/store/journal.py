"""Revisions and history of stories, as a part of Store: what was saved, and what happened."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsdesk.model import Story, parse_datetime, utcnow
from newsdesk.store.codec import pack_snapshot, unpack_snapshot, utc_text
from newsdesk.store.errors import NotFound
from newsdesk.store.records import Attribution, HistoryEvent, RevisionInfo

if TYPE_CHECKING:
    from newsdesk.store.store import Store


class JournalMixin:
    """Every saved revision (a compressed snapshot of the row) and every event."""

    def revisions(self: Store, id: str) -> list[RevisionInfo]:
        """Every saved revision of a story, oldest first."""
        self._row(id)
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
            for r in self._rows(
                "SELECT story_id, revision, saved_at, author, content_hash, headline, word_count, "
                "author_key, origin FROM revisions WHERE story_id = ? ORDER BY revision",
                [id],
            )
        ]

    def revision(self: Store, id: str, n: int) -> Story:
        """The story as it was saved at revision `n` (status and approvals of that time)."""
        rows = self._rows(
            "SELECT snapshot FROM revisions WHERE story_id = ? AND revision = ?", [id, n]
        )
        if not rows:
            self._row(id)
            raise NotFound(f"story {id[:8]} has no revision {n}")
        return unpack_snapshot(rows[0]["snapshot"])

    def history(self: Store, id: str) -> list[HistoryEvent]:
        """What happened to a story, oldest first."""
        self._row(id)
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
            for r in self._rows("SELECT * FROM history WHERE story_id = ? ORDER BY seq", [id])
        ]

    def record_event(
        self: Store,
        id: str,
        action: str,
        actor: str | Attribution,
        note: str = "",
        revision: int | None = None,
    ) -> None:
        """Add an event to a story's history (exports, sync, workflow notes)."""
        with self.transaction():
            current = self.get(id)
            number = current.revision if revision is None else revision
            self._event(id, action, self.who(actor), number, note)

    def _revision_row(
        self: Store, row: dict[str, Any], origin: str = "", level: int = -1
    ) -> dict[str, Any]:
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

    def _write_revision(self: Store, row: dict[str, Any], origin: str = "") -> None:
        revision = self._revision_row(row, origin)
        updates = ", ".join(f"{name} = excluded.{name}" for name in revision)
        self._insert_row(
            "revisions", revision, f"ON CONFLICT(story_id, revision) DO UPDATE SET {updates}"
        )

    def _event_row(
        self: Store,
        id: str,
        action: str,
        actor: Attribution,
        revision: int,
        note: str = "",
        from_status: str = "",
        to_status: str = "",
    ) -> dict[str, Any]:
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

    def _event(
        self: Store,
        id: str,
        action: str,
        actor: Attribution,
        revision: int,
        note: str = "",
        from_status: str = "",
        to_status: str = "",
    ) -> None:
        self._insert_row(
            "history", self._event_row(id, action, actor, revision, note, from_status, to_status)
        )
