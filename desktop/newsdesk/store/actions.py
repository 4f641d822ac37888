"""Signed workflow actions in the store: transitions made here, what a sync accepts from a
folder, refused changes recorded once, and the desk's own events (keys and their names).

Plain functions over the database; the writes run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

import newsdesk.store.rows as rows
from newsdesk.domain.model import Approval, Story, WorkflowAction, parse_datetime, utcnow
from newsdesk.domain.trust import order
from newsdesk.store.codec import story_to_row, utc_text
from newsdesk.store.errors import StaleRevision, StoreError
from newsdesk.store.journal import add_event
from newsdesk.store.records import ORIGIN_SIGNED, Attribution, DeskEvent, StatusChange
from newsdesk.store.writes import move_many, signer


def record_transition(
    db: Database,
    id: str,
    record: WorkflowAction,
    *,
    expected_revision: int,
    approval: Approval | None = None,
) -> None:
    """A transition made here: the signed action appended (with its approval, for an
    approval), the status it leads to, and its history event, as its signer's.
    Refused if the story was saved or moved on since the workflow read it."""
    current = rows.live_story(db, id)
    if current.revision != expected_revision:
        raise StaleRevision(current, expected_revision)
    if current.status != record.from_status:
        raise StoreError(f"{current.slug} became {current.status} meanwhile; nothing was changed")
    if approval is not None:
        approvals = (*current.approvals, approval)
        rows.update_story(
            db, id, approvals=story_to_row(current.replace(approvals=approvals))["approvals"]
        )
    change = StatusChange(
        id, current.revision, current.status, record.to_status, record.action, record.note,
        record,
    )
    move_many(db, [change], signer(record))


def take_arrival(
    db: Database,
    id: str,
    *,
    status: str,
    actions: Sequence[WorkflowAction],
    approvals: Sequence[Approval],
    expected_revision: int,
) -> Story:
    """What a sync accepted from a folder (newsdesk.domain.trust): its approvals and signed
    actions added, each action a history event as its signer's, and the status they
    lead to. Nothing here is taken on a file's word: the caller checked each one.
    Returns the story as stored."""
    current = rows.live_story(db, id)
    if current.revision != expected_revision:
        raise StaleRevision(current, expected_revision)
    known_actions, known_approvals = set(current.actions), set(current.approvals)
    new_actions = [a for a in actions if a not in known_actions]
    new_approvals = [a for a in approvals if a not in known_approvals]
    if not new_actions and not new_approvals and status == current.status:
        return current
    merged = current.replace(
        status=status,
        actions=tuple(order([*current.actions, *new_actions])),
        approvals=tuple(sorted([*current.approvals, *new_approvals], key=lambda a: a.approved_at)),
    )
    row = story_to_row(merged)
    columns = {name: row[name] for name in ("status", "actions", "approvals")}
    if status != current.status:
        columns["updated_at"] = utc_text(utcnow())
    rows.update_story(db, id, **columns)
    for record in order(new_actions):
        add_event(
            db, id, record.action, signer(record, ORIGIN_SIGNED), current.revision,
            record.note, record.from_status, record.to_status,
        )
    return rows.story(db, id)


def record_rejection(
    db: Database,
    id: str,
    claimed_by: Attribution,
    from_status: str,
    to_status: str,
    reason: str,
) -> bool:
    """Record a change a sync refused (history 'rejected'), unless the same refusal
    is already recorded since the story last changed here; True if recorded."""
    current = rows.story(db, id)
    seen = db.execute(
        "SELECT 1 FROM history WHERE story_id = ?1 AND action = 'rejected' "
        "AND from_status = ?2 AND to_status = ?3 AND note = ?4 AND seq > COALESCE("
        "(SELECT MAX(seq) FROM history WHERE story_id = ?1 AND action != 'rejected'), 0)",
        [id, from_status, to_status, reason],
    ).fetchone()
    if seen:
        return False
    add_event(db, id, "rejected", claimed_by, current.revision, reason, from_status, to_status)
    return True


def keys_that_saved(db: Database, id: str, content_hash: str) -> frozenset[str]:
    """The keys recorded for every revision of the story that holds this text (what
    four eyes asks: did the approver write it, here or, as a file claims, elsewhere?)."""
    found = db.execute(
        "SELECT DISTINCT author_key FROM revisions "
        "WHERE story_id = ? AND content_hash = ? AND author_key != ''",
        [id, content_hash],
    ).fetchall()
    return frozenset(key for (key,) in found)


def name_of(db: Database, key: str) -> str | None:
    """The name this desk last recorded for a key, None if it never met the key."""
    row = db.execute(
        "SELECT actor FROM desk_events WHERE actor_key = ? ORDER BY seq DESC LIMIT 1", [key]
    ).fetchone()
    return None if row is None else row[0]


def bind_identity(db: Database, name: str, key: str) -> DeskEvent | None:
    """Record a key first used here, or a new name for a key this desk knows under
    another (a profile renamed: the key, not the name, is who they are). Returns the
    event recorded, None if the name is the one on record."""
    known = name_of(db, key)
    if known == name:
        return None
    action, note = (
        ("first_used", f"key {key} first used here, as {name}") if known is None
        else ("renamed", f"{known} is now called {name} (key {key}, unchanged)")
    )
    event = DeskEvent(utcnow(), name, key, action, note)
    rows.insert_row(db, "desk_events", {
        "at": utc_text(event.at), "actor": name, "actor_key": key,
        "action": action, "note": note,
    })
    return event


def desk_events(db: Database, keys: Iterable[str] | None = None) -> list[DeskEvent]:
    """The desk's events, oldest first; with `keys`, only those of these keys."""
    wanted = None if keys is None else sorted(set(keys))
    where = "" if wanted is None else f"WHERE actor_key IN ({', '.join('?' * len(wanted))})"
    found = db.execute(
        f"SELECT at, actor, actor_key, action, note FROM desk_events {where} ORDER BY seq",
        wanted or [],
    ).fetchall()
    return [DeskEvent(parse_datetime(at), *rest) for at, *rest in found]
