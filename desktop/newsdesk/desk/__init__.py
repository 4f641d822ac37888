"""Desk: the one service that the `newsdesk` command and the window both call.

It opens the database, knows who is working (the local profile), and turns user intents
(create, save, import, approve, sync, export...) into store operations. Operations that
change a story return the changed Story, and tell the Desk's subscribers what changed
(Changes), so a window refreshes from what actually happened. Desk (facade.py) hands
each call to a small service (stories, editorial, exchange, importing, tools, backups).
"""

from newsdesk.desk.backups import backup_file
from newsdesk.desk.changes import Changes
from newsdesk.desk.facade import Desk
from newsdesk.desk.importing import ImportReport
from newsdesk.domain.model import NewsdeskError
from newsdesk.paths import default_db_path
from newsdesk.store import NotFound, StaleRevision, StoreError, StoryRow

__all__ = [
    "Changes",
    "Desk",
    "ImportReport",
    "NewsdeskError",
    "NotFound",
    "StaleRevision",
    "StoreError",
    "StoryRow",
    "backup_file",
    "default_db_path",
]
