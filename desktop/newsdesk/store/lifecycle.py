"""The stories a corrections log reads: those with a correction, an update or a kill among
their signed actions (plain functions over the database)."""

from __future__ import annotations

from sqlite_utils import Database

import newsdesk.store.rows as rows
from newsdesk.domain.lifecycle import LIFECYCLE_ACTIONS
from newsdesk.domain.model import Story

# An action's name, quoted, is in a story's list of actions only as a name (no status or
# field is called that; a quote inside a note or a name is escaped): a cheap first filter.
_ANY = " OR ".join(f"instr(actions, '\"{name}\"')" for name in LIFECYCLE_ACTIONS)


def lifecycle_stories(db: Database) -> list[Story]:
    """Every live story with a correction, update or kill on record, oldest row first."""
    found = db.execute(
        f"SELECT id FROM stories WHERE deleted_at IS NULL AND ({_ANY}) ORDER BY rid"
    ).fetchall()
    return [rows.story(db, story_id) for (story_id,) in found]
