"""Open sync conflicts in the database (`sync_conflicts`): a merge that needs a person,
with base, local and remote versions as Markdown text, kept until it is resolved.

What a conflict means and how it is resolved is sync/conflicts.py's; this module reads
and writes the rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from newsdesk.domain.model import utcnow


@dataclass(frozen=True)
class ConflictRow:
    """One open conflict as stored: the three versions as file text."""

    folder_id: int
    story_id: str
    path: str
    base: str | None
    local: str
    remote: str
    remote_file_hash: str
    fields: tuple[str, ...]
    origin: str
    created_at: str


_COLUMNS = (
    "folder_id, story_id, path, base, local, remote, remote_file_hash, fields, origin, "
    "created_at"
)


def _row(values: tuple) -> ConflictRow:
    *head, fields, origin, created_at = values
    return ConflictRow(*head, tuple(json.loads(fields)), origin, created_at)


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
    fields: Iterable[str],
    origin: str,
) -> None:
    """Insert or refresh the open conflict of a story in a folder (caller's transaction);
    a refreshed conflict keeps the origin and time it was first met with."""
    db.execute(
        f"INSERT OR REPLACE INTO sync_conflicts({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
        "COALESCE((SELECT origin FROM sync_conflicts WHERE folder_id = ?1 AND story_id = ?2), "
        "?9), COALESCE((SELECT created_at FROM sync_conflicts WHERE folder_id = ?1 "
        "AND story_id = ?2), ?10))",
        [
            folder_id,
            story_id,
            path,
            base_text,
            local_text,
            remote_text,
            remote_file_hash,
            json.dumps(sorted(set(fields))),
            origin,
            utcnow().isoformat(),
        ],
    )


def conflict_in(db: Database, folder_id: int, story_id: str) -> ConflictRow | None:
    """The open conflict of a story in one folder, if any."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM sync_conflicts WHERE folder_id = ? AND story_id = ?",
        [folder_id, story_id],
    ).fetchone()
    return _row(row) if row else None


def conflicts_of(db: Database, story_id: str | None = None) -> list[ConflictRow]:
    """Open conflicts, all or of one story, oldest first."""
    where, params = ("WHERE story_id = ?", [story_id]) if story_id else ("", [])
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM sync_conflicts {where} ORDER BY created_at", params
    )
    return [_row(row) for row in rows]


def has_conflict(db: Database, story_id: str) -> bool:
    """True while a sync conflict of this story waits for a person."""
    row = db.execute("SELECT 1 FROM sync_conflicts WHERE story_id = ? LIMIT 1", [story_id])
    return row.fetchone() is not None


def conflict_ids(db: Database, folder_id: int) -> set[str]:
    rows = db.execute("SELECT story_id FROM sync_conflicts WHERE folder_id = ?", [folder_id])
    return {row[0] for row in rows}


def close_conflict(db: Database, folder_id: int, story_id: str) -> None:
    """The story's conflict in this folder is settled (a base was recorded for it)."""
    db.execute(
        "DELETE FROM sync_conflicts WHERE folder_id = ? AND story_id = ?", [folder_id, story_id]
    )


def close_conflicts(db: Database, story_id: str) -> None:
    """Every conflict of the story is resolved (in every folder)."""
    db.execute("DELETE FROM sync_conflicts WHERE story_id = ?", [story_id])
