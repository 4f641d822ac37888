"""Light records the store hands out and takes: story rows, revisions, history events,
status changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoryRow:
    """One line of the story list: what the list shows, without the body."""

    id: str
    slug: str
    headline: str
    section: str
    status: str
    editor: str
    byline: str
    updated_at: datetime
    word_count: int
    revision: int = 0
    deleted_at: datetime | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class RevisionInfo:
    """A saved revision of a story, without its text (fetch it with Store.revision)."""

    story_id: str
    revision: int
    saved_at: datetime
    author: str
    content_hash: str
    headline: str
    word_count: int


@dataclass(frozen=True)
class HistoryEvent:
    """Something that happened to a story: who, when, at which revision, and why."""

    story_id: str
    at: datetime
    actor: str
    action: str
    revision: int
    note: str = ""
    from_status: str = ""
    to_status: str = ""


@dataclass(frozen=True)
class StatusChange:
    """A status change the workflow allowed on a story as the caller read it."""

    id: str
    revision: int  # as read; the change is refused if the story moved on since
    from_status: str
    to_status: str
    action: str
    note: str = ""
