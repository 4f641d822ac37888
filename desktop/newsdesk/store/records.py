"""Light records the store hands out and takes: story rows, revisions, history events,
status changes, who a write is recorded as, and the session of the one working here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.domain.model import ORIGIN_FILE as ORIGIN_FILE
from newsdesk.domain.model import ORIGIN_HERE, WorkflowAction
from newsdesk.domain.model import ORIGIN_SIGNED as ORIGIN_SIGNED
from newsdesk.domain.trust import Trust


@dataclass(frozen=True)
class Attribution:
    """Who a write is recorded as: a name, the fingerprint of their key, and where the
    two come from (ORIGIN_*). The store's methods take a plain name for this laptop's
    profile, whose key is the session's."""

    name: str
    key: str = ""
    origin: str = ORIGIN_HERE


def _no_key() -> str:
    return ""


@dataclass
class Session:
    """Who works on this database in this process and whom they trust, set by the desk
    from the profile: `key` gives the fingerprint of their signing key (made on first
    need), `trust` the desk chiefs' keys a sync accepts actions from. A bare Store
    records no key and trusts nobody."""

    key: Callable[[], str] = _no_key
    trust: Callable[[], Trust] = field(default=Trust)


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
    type: str = "news"


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
    author_key: str = ""
    origin: str = ORIGIN_HERE


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
    actor_key: str = ""
    origin: str = ORIGIN_HERE


@dataclass(frozen=True)
class DeskEvent:
    """Something that happened to the desk rather than to a story: a profile that took
    a new name (its key unchanged), or a key first used here."""

    at: datetime
    actor: str
    actor_key: str
    action: str
    note: str = ""


@dataclass(frozen=True)
class StatusChange:
    """A status change the workflow allowed on a story as the caller read it."""

    id: str
    revision: int  # as read; the change is refused if the story moved on since
    from_status: str
    to_status: str
    action: str
    note: str = ""
    record: WorkflowAction | None = None  # the signed action, appended to the story's
