"""The story store: SQLite through sqlite-utils (schema, stories, revisions, search)."""

import sys


def _sqlite_utils_without_numpy() -> None:
    """Import sqlite-utils with numpy hidden. It imports numpy (a tenth of the window's
    start) only to map numpy's number types to column types, and the store never hands it
    a numpy value; the dashboard's pyqtgraph imports numpy for itself when it is opened.
    Done here, before any module of the store imports sqlite-utils."""
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  (`import numpy` raises ImportError)
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_sqlite_utils_without_numpy()

# After the import above, by design.
from newsdesk.store.errors import NotFound, SlugTaken, StaleRevision, StoreError  # noqa: E402
from newsdesk.store.listing import WAITING_FOR  # noqa: E402
from newsdesk.store.records import HistoryEvent, RevisionInfo, StoryRow  # noqa: E402
from newsdesk.store.schema import SCHEMA_VERSION  # noqa: E402
from newsdesk.store.store import Store  # noqa: E402

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
