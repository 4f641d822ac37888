"""The errors the store raises; each carries a message meant for the user."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from newsdesk.domain.model import NewsdeskError, ValidationError, format_datetime

if TYPE_CHECKING:
    from newsdesk.domain.model import Story


# SQLite's own error for a file it cannot read as a database (damaged, not SQLite): the
# front ends catch it by this name, so that only the store imports sqlite3.
DatabaseError = sqlite3.DatabaseError


class StoreError(NewsdeskError):
    """The database cannot do what was asked; nothing was changed."""


class NotFound(StoreError):
    """No story (or revision) answers to the given id, prefix or slug."""


class StaleRevision(StoreError):
    """Someone saved the story since the caller read it; `current` is the stored story."""

    def __init__(self, current: Story, expected_revision: int):
        self.current = current
        self.expected_revision = expected_revision
        who = f" by {current.modified_by}" if current.modified_by else ""
        super().__init__(
            f"story {current.slug!r} was saved{who} at {format_datetime(current.updated_at)} "
            f"(revision {current.revision}) after you opened revision {expected_revision}; "
            "reload it and apply your changes again"
        )


class SlugTaken(ValidationError, StoreError):
    """A slug already used by another live story: a problem on the slug field."""

    def __init__(self, slug: str, other_id: str, other_headline: str):
        self.slug = slug
        self.other_id = other_id
        super().__init__(
            {"slug": f"{slug!r} is already used by {other_headline!r} ({other_id[:8]})"}
        )
