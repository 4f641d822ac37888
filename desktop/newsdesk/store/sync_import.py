"""Stories a sync takes in from the folder, many at a time: what `Store.insert` then
`store.signed.take_arrival` do for each, in a few statements for a whole batch.

A second laptop receiving an archive meets thousands of stories it never had; one by
one, each took two transactions' worth of statements (its row, revision and `created`
event; then its accepted status, records and an event per signed action). Here the
rows of a batch go in a statement per table, with the same content: the revision
holds the story as it came in (its replay's starting status, no records), the row holds
the status and records accepted, and the history has `created` as the file's claim and
one event per accepted action as its signer's. The caller (sync/receive.py) has checked
what `insert` checks (the story valid, its id and slug free here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

import newsdesk.store.rows as rows
from newsdesk.domain.model import Story, WorkflowAction, utcnow
from newsdesk.domain.trust import order
from newsdesk.store.codec import records_json, story_to_row, utc_text
from newsdesk.store.journal import event_row, revision_row
from newsdesk.store.records import ORIGIN_SIGNED, Attribution
from newsdesk.store.writes import prepare_new, signer


@dataclass(frozen=True)
class Arrived:
    """A story new to this database, as a sync takes it in: `first` as it is created
    (the status the replay of its actions started from, no records), `story` with the
    status, approvals and actions accepted, `claim` who the file says wrote it, and
    `actions` the signed actions accepted (each an event as its signer's); `counted`,
    when known, the word count and content hash of `first` (codec.story_to_row)."""

    first: Story
    story: Story
    claim: Attribution
    actions: tuple[WorkflowAction, ...]
    counted: tuple[int, str] | None = None


def insert_arrived(db: Database, items: Sequence[Arrived]) -> dict[str, int]:
    """Insert the stories (inside the caller's transaction); returns each one's change
    counter."""
    if not items:
        return {}
    now = utcnow()
    firsts = [prepare_new(item.first, item.claim, now) for item in items]
    for section in {story.section for story in firsts}:
        rows.ensure_section(db, section)
    last = rows.next_seq(db, len(items))
    seqs = {item.story.id: last - len(items) + 1 + n for n, item in enumerate(items)}
    stories, revisions, events = [], [], []
    for first, item in zip(firsts, items, strict=True):
        row = story_to_row(first, item.counted)
        # Compressed at zlib's fastest: thousands at once (any level reads back).
        revisions.append(revision_row(row, item.claim.origin, level=1))
        stories.append({**_arrived_row(row, item, now), "change_seq": seqs[first.id]})
        events.extend(_events(first, item))
    rows.insert_rows(db, "stories", stories)
    rows.insert_rows(db, "revisions", revisions)
    rows.insert_rows(db, "history", events)
    return seqs


def _arrived_row(row: dict[str, Any], item: Arrived, now: datetime) -> dict[str, Any]:
    """The stories row: the story as created (`row`), with what take_arrival adds."""
    story = item.story
    arrived = {
        **row,
        "status": story.status,
        "actions": records_json(order(item.actions)),
        "approvals": records_json(sorted(story.approvals, key=lambda a: a.approved_at)),
    }
    if story.status != row["status"]:
        arrived["updated_at"] = utc_text(now)
    return arrived


def _events(first: Story, item: Arrived) -> list[dict[str, Any]]:
    """`created` as the file's claim, then each accepted action as its signer's."""
    events = [event_row(first.id, "created", item.claim, first.revision, to_status=first.status)]
    events += [
        event_row(
            first.id, record.action, signer(record, ORIGIN_SIGNED), first.revision,
            record.note, record.from_status, record.to_status,
        )
        for record in order(item.actions)
    ]
    return events
