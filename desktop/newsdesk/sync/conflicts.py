"""Sync conflicts: merges that need a person, kept in the database until resolved.

Where both sides changed the same thing, the pass changes neither: the database keeps
the local version, the file keeps the other side's, and `sync_conflicts` keeps base,
local and remote, so nothing is lost and nothing half-merged leaves the laptop. (A
sibling `.conflict` file would carry the same story id and confuse every other laptop
that syncs the folder.) The story cannot be approved while a conflict is open.

`resolve_conflict` saves the chosen version locally and makes the remote version the
new base, so the next pass carries the choice to the folder, merging it with anything
the other side changed meanwhile.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from newsdesk.formats.markdown import dumps, loads
from newsdesk.model import NewsdeskError, Story, utcnow
from newsdesk.store import Store
from newsdesk.sync.merge import FieldConflict
from newsdesk.sync.state import (
    Base,
    is_tombstone,
    save_base,
    sync_hash,
    without_tombstone,
)


@dataclass(frozen=True)
class Conflict:
    folder_id: int
    story_id: str
    path: str
    base: Story | None
    local: Story
    remote: Story
    remote_file_hash: str
    fields: tuple[str, ...]
    origin: str
    created_at: str

    @property
    def remote_deleted(self) -> bool:
        return is_tombstone(self.remote)


class ConflictError(NewsdeskError):
    """A conflict that cannot be resolved as asked (the message says why)."""


def record_conflict(
    db: Database,
    *,
    folder_id: int,
    story_id: str,
    path: str,
    base_text: str | None,
    local_text: str,
    remote_text: str,
    remote_file_hash: str,
    conflicts: list[FieldConflict],
    origin: str,
) -> None:
    """Insert or refresh the open conflict of a story in a folder (caller's transaction)."""
    names = sorted({c.name for c in conflicts})
    db.execute(
        "INSERT OR REPLACE INTO sync_conflicts(folder_id, story_id, path, base, local, remote, "
        "remote_file_hash, fields, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "COALESCE((SELECT origin FROM sync_conflicts WHERE folder_id = ? AND story_id = ?), ?), "
        "COALESCE((SELECT created_at FROM sync_conflicts WHERE folder_id = ? "
        "AND story_id = ?), ?))",
        [
            folder_id,
            story_id,
            path,
            base_text,
            local_text,
            remote_text,
            remote_file_hash,
            json.dumps(names),
            folder_id,
            story_id,
            origin,
            folder_id,
            story_id,
            utcnow().isoformat(),
        ],
    )


def open_conflict_row(db: Database, folder_id: int, story_id: str) -> dict | None:
    if not db["sync_conflicts"].exists():
        return None
    rows = list(
        db.query(
            "SELECT * FROM sync_conflicts WHERE folder_id = ? AND story_id = ?",
            [folder_id, story_id],
        )
    )
    return rows[0] if rows else None


def list_conflicts(db: Database, story_id: str | None = None) -> list[Conflict]:
    """Open conflicts, all or of one story, oldest first."""
    if not db["sync_conflicts"].exists():
        return []
    where, params = ("WHERE story_id = ?", [story_id]) if story_id else ("", [])
    rows = db.query(f"SELECT * FROM sync_conflicts {where} ORDER BY created_at", params)
    return [_conflict(row) for row in rows]


def _conflict(row: dict) -> Conflict:
    return Conflict(
        folder_id=row["folder_id"],
        story_id=row["story_id"],
        path=row["path"],
        base=loads(row["base"], "base") if row["base"] else None,
        local=loads(row["local"], "local"),
        remote=loads(row["remote"], row["path"]),
        remote_file_hash=row["remote_file_hash"],
        fields=tuple(json.loads(row["fields"])),
        origin=row["origin"],
        created_at=row["created_at"],
    )


def resolve_conflict(store: Store, story_id: str, chosen: Story, actor: str = "") -> Story:
    """Save `chosen` as the story and close its conflicts; the next sync sends it out."""
    conflicts = list_conflicts(store.db, story_id)
    if not conflicts:
        raise ConflictError(f"story {story_id} has no open sync conflict")
    if chosen.id != story_id:
        raise ConflictError("the chosen version belongs to another story")
    chosen = without_tombstone(chosen)
    with store.transaction():
        current = store.get(story_id)
        deleted = store.db.execute(
            "SELECT deleted_at IS NOT NULL FROM stories WHERE id = ?", [story_id]
        ).fetchone()[0]
        if deleted:
            store.undelete(story_id, actor)
        saved = store.save(chosen, expected_revision=current.revision, actor=actor)
        if chosen.status != saved.status:
            saved = store.set_status(
                story_id,
                chosen.status,
                expected_revision=saved.revision,
                actor=actor,
                action="conflict_resolved",
                note="status chosen while resolving a sync conflict",
            )
        known = set(saved.approvals)
        for approval in chosen.approvals:
            if approval not in known:
                saved = store.add_approval(story_id, approval)
        seq = store.db.execute(
            "SELECT change_seq FROM stories WHERE id = ?", [story_id]
        ).fetchone()[0]
        for conflict in conflicts:
            remote_deleted = conflict.remote_deleted
            remote = without_tombstone(conflict.remote)
            # The remote version becomes the base: the next pass sees the choice as a
            # local change and merges it with whatever the folder holds by then.
            save_base(
                store.db,
                conflict.folder_id,
                Base(
                    story_id=story_id,
                    hash=sync_hash(remote, remote_deleted),
                    deleted=remote_deleted,
                    local_seq=-1,
                    path=conflict.path,
                    file_hash=conflict.remote_file_hash,
                ),
                dumps(remote),
            )
            store.db.execute(
                "UPDATE sync_folders SET seen_seq = MIN(seen_seq, ?) WHERE id = ?",
                [seq - 1, conflict.folder_id],
            )
        store.db.execute("DELETE FROM sync_conflicts WHERE story_id = ?", [story_id])
        store.record_event(story_id, "conflict_resolved", actor)
    return store.get(story_id)
