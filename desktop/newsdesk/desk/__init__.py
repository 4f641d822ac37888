"""Desk: the one service that the `newsdesk` command and the window both call.

It opens the database, knows who is working (the local profile), and turns user intents
(create, save, import, approve, sync, export...) into store operations. Operations that
change a story return the changed Story, so callers refresh from what actually happened.
Each concern is a mixin in its own module; Desk composes them.
"""

from newsdesk.desk.backups import BackupsMixin, backup_file
from newsdesk.desk.editorial import EditorialMixin
from newsdesk.desk.exchange import ExchangeMixin
from newsdesk.desk.importing import ImportingMixin, ImportReport
from newsdesk.desk.media import MediaMixin
from newsdesk.desk.stories import StoriesDesk
from newsdesk.desk.tools import ToolsMixin
from newsdesk.model import NewsdeskError
from newsdesk.paths import default_db_path
from newsdesk.store import NotFound, StaleRevision, StoreError, StoryRow

__all__ = [
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


class Desk(
    ImportingMixin, EditorialMixin, ExchangeMixin, ToolsMixin, BackupsMixin, MediaMixin,
    StoriesDesk,
):
    """The desk: one open database and the profile working on it."""
