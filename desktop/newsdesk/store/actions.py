"""Signed workflow actions in the store, as a part of Store: transitions made here, what a
sync accepts from a folder, refused changes recorded once, and the desk's own events."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsdesk.model import Approval, Story, WorkflowAction, parse_datetime, utcnow
from newsdesk.store.codec import story_to_row, utc_text
from newsdesk.store.errors import StaleRevision, StoreError
from newsdesk.store.records import (
    ORIGIN_HERE,
    ORIGIN_SIGNED,
    Attribution,
    DeskEvent,
    StatusChange,
)
from newsdesk.trust import order

if TYPE_CHECKING:
    from newsdesk.store.store import Store


def record_json(record: WorkflowAction | None) -> str | None:
    """An action as the stories table holds it in its `actions` list."""
    return None if record is None else json.dumps(record.as_dict(), ensure_ascii=False)


def signer(record: WorkflowAction, origin: str = ORIGIN_HERE) -> Attribution:
    """Who a signed action is recorded as: its signer's name and key."""
    return Attribution(record.actor, record.key_id, origin)


class ActionsMixin:
    """Signed actions and the status they lead to; refused changes; desk events."""

    def record_transition(
        self: Store,
        id: str,
        record: WorkflowAction,
        *,
        expected_revision: int,
        approval: Approval | None = None,
    ) -> Story:
        """A transition made here: the signed action appended (with its approval, for an
        approval), the status it leads to, and its history event, as its signer's.
        Refused if the story was saved or moved on since the workflow read it."""
        with self.transaction():
            current = self._live(id)
            if current.revision != expected_revision:
                raise StaleRevision(current, expected_revision)
            if current.status != record.from_status:
                raise StoreError(
                    f"{current.slug} became {current.status} meanwhile; nothing was changed"
                )
            if approval is not None:
                approvals = (*current.approvals, approval)
                self._update(id, approvals=story_to_row(current.replace(approvals=approvals))[
                    "approvals"
                ])
            change = StatusChange(
                id, current.revision, current.status, record.to_status, record.action,
                record.note, record,
            )
            self._move_many([change], signer(record))
            return self.get(id)

    def take_arrival(
        self: Store,
        id: str,
        *,
        status: str,
        actions: Sequence[WorkflowAction],
        approvals: Sequence[Approval],
        expected_revision: int,
    ) -> Story:
        """What a sync accepted from a folder (newsdesk.trust): its approvals and signed
        actions added, each action a history event as its signer's, and the status they
        lead to. Nothing here is taken on a file's word: the caller checked each one."""
        with self.transaction():
            current = self._live(id)
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
                approvals=tuple(
                    sorted([*current.approvals, *new_approvals], key=lambda a: a.approved_at)
                ),
            )
            row = story_to_row(merged)
            columns = {name: row[name] for name in ("status", "actions", "approvals")}
            if status != current.status:
                columns["updated_at"] = utc_text(utcnow())
            self._update(id, **columns)
            for record in order(new_actions):
                self._event(
                    id, record.action, signer(record, ORIGIN_SIGNED), current.revision,
                    record.note, record.from_status, record.to_status,
                )
            return self.get(id)

    def record_rejection(
        self: Store,
        id: str,
        claimed_by: Attribution,
        from_status: str,
        to_status: str,
        reason: str,
    ) -> bool:
        """Record a change a sync refused (history 'rejected'), unless the same refusal
        is already recorded since the story last changed here; True if recorded."""
        with self.transaction():
            current = self.get(id)
            seen = self.db.execute(
                "SELECT 1 FROM history WHERE story_id = ?1 AND action = 'rejected' "
                "AND from_status = ?2 AND to_status = ?3 AND note = ?4 AND seq > COALESCE("
                "(SELECT MAX(seq) FROM history WHERE story_id = ?1 AND action != 'rejected'), 0)",
                [id, from_status, to_status, reason],
            ).fetchone()
            if seen:
                return False
            self._event(
                id, "rejected", claimed_by, current.revision, reason, from_status, to_status
            )
            return True

    def keys_that_saved(self: Store, id: str, content_hash: str) -> frozenset[str]:
        """The keys recorded for every revision of the story that holds this text (what
        four eyes asks: did the approver write it, here or, as a file claims, elsewhere?)."""
        rows = self.db.execute(
            "SELECT DISTINCT author_key FROM revisions "
            "WHERE story_id = ? AND content_hash = ? AND author_key != ''",
            [id, content_hash],
        ).fetchall()
        return frozenset(key for (key,) in rows)

    def bind_identity(self: Store, name: str, key: str) -> DeskEvent | None:
        """Record a key first used here, or a new name for a key this desk knows under
        another (a profile renamed: the key, not the name, is who they are). Returns the
        event recorded, None if the name is the one on record."""
        if not key or self._name_of(key) == name:
            return None  # read without the write lock: every command opening a desk asks
        with self.transaction():
            known = self._name_of(key)
            if known == name:
                return None
            action, note = (
                ("first_used", f"key {key} first used here, as {name}") if known is None
                else ("renamed", f"{known} is now called {name} (key {key}, unchanged)")
            )
            event = DeskEvent(utcnow(), name, key, action, note)
            self._insert_row("desk_events", {
                "at": utc_text(event.at), "actor": name, "actor_key": key,
                "action": action, "note": note,
            })
            return event

    def _name_of(self: Store, key: str) -> str | None:
        row = self.db.execute(
            "SELECT actor FROM desk_events WHERE actor_key = ? ORDER BY seq DESC LIMIT 1", [key]
        ).fetchone()
        return None if row is None else row[0]

    def desk_events(self: Store, keys: Iterable[str] | None = None) -> list[DeskEvent]:
        """The desk's events, oldest first; with `keys`, only those of these keys."""
        wanted = None if keys is None else sorted(set(keys))
        where = "" if wanted is None else f"WHERE actor_key IN ({', '.join('?' * len(wanted))})"
        rows = self.db.execute(
            f"SELECT at, actor, actor_key, action, note FROM desk_events {where} ORDER BY seq",
            wanted or [],
        ).fetchall()
        return [DeskEvent(parse_datetime(at), *rest) for at, *rest in rows]
