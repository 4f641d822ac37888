"""The first-run samples' history: their 'created' events dated when the samples say."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlite_utils import Database

from newsdesk.store.codec import utc_text


def date_created_events(db: Database, created: Mapping[str, datetime]) -> None:
    """Set the time of each story's 'created' event to its created_at (the caller's
    transaction): a sample written at first run was created, as its file says, days
    before, and the dashboard must not show it all as made today."""
    db.conn.executemany(
        "UPDATE history SET at = ? WHERE story_id = ? AND action = 'created'",
        [(utc_text(at), story_id) for story_id, at in created.items()],
    )
