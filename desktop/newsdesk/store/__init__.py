"""The story store: SQLite through sqlite-utils (schema, stories, revisions, search)."""

from newsdesk.store.errors import NotFound, SlugTaken, StaleRevision, StoreError
from newsdesk.store.listing import WAITING_FOR
from newsdesk.store.records import HistoryEvent, RevisionInfo, StoryRow
from newsdesk.store.schema import SCHEMA_VERSION
from newsdesk.store.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "WAITING_FOR",
    "HistoryEvent",
    "NotFound",
    "RevisionInfo",
    "SlugTaken",
    "StaleRevision",
    "Store",
    "StoreError",
    "StoryRow",
]
