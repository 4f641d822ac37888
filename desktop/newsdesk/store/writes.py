"""Writes of stories: new stories, saves of the editable fields, status changes, approvals,
the trash and purges, each with its revision snapshot and history event.

Revision rule: a new story (revision 0) is stored as revision 1; a story that already
carries a revision (imported from a sync folder or a Markdown file) keeps its revision,
timestamps and modified_by. A save writes the editable fields (and extra keys) over the
revision the caller read, or meets StaleRevision.

Plain functions over the database, each run inside the caller's transaction
(Store.transaction, which alone begins and commits); `who` is the Attribution the
writes are recorded as.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

import newsdesk.store.rows as rows
from newsdesk.domain.model import (
    EDITABLE_FIELDS,
    Approval,
    Story,
    WorkflowAction,
    check_valid,
    normalize_section,
    utcnow,
)
from newsdesk.store.codec import story_to_row, utc_text
from newsdesk.store.errors import SlugTaken, StaleRevision, StoreError
from newsdesk.store.journal import add_event, event_row, revision_row, write_revision
from newsdesk.store.records import ORIGIN_HERE, Attribution, StatusChange


def record_json(record: WorkflowAction | None) -> str | None:
    """An action as the stories table holds it in its `actions` list."""
    return None if record is None else json.dumps(record.as_dict(), ensure_ascii=False)


def signer(record: WorkflowAction, origin: str = ORIGIN_HERE) -> Attribution:
    """Who a signed action is recorded as: its signer's name and key."""
    return Attribution(record.actor, record.key_id, origin)


def prepare_new(story: Story, who: Attribution, now: datetime) -> Story:
    """A new story as it will be stored (see the revision rule), checked."""
    if story.revision > 0:
        if not story.modified_by:
            story = story.replace(modified_by=who.name, modified_key=who.key)
    else:
        story = story.replace(
            revision=1, updated_at=now, modified_by=who.name, modified_key=who.key
        )
    return check_valid(story.replace(section=normalize_section(story.section)))


def insert(db: Database, story: Story, who: Attribution) -> None:
    """Add a prepared new story (prepare_new); history 'created'."""
    if rows.select(db, "SELECT 1 FROM stories WHERE id = ?", [story.id]):
        raise StoreError(f"a story with id {story.id} already exists")
    rows.check_slug(db, story.slug, story.id)
    rows.ensure_section(db, story.section)
    row = story_to_row(story)
    rows.insert_row(db, "stories", {**row, "change_seq": rows.next_seq(db)})
    write_revision(db, row, who.origin)
    add_event(db, story.id, "created", who, story.revision, to_status=story.status)


def check_batch_slugs(prepared: Sequence[Story]) -> None:
    """SlugTaken if two stories of one batch share a slug."""
    slugs: dict[str, str] = {}
    for story in prepared:
        if story.slug in slugs:
            raise SlugTaken(story.slug, slugs[story.slug], "another story in this batch")
        slugs[story.slug] = story.id


def insert_batch(db: Database, batch: Sequence[Story], who: Attribution) -> None:
    """Add prepared new stories, a statement per table: the rules and records of insert."""
    rows.check_new(db, batch)
    for section in {s.section for s in batch}:
        rows.ensure_section(db, section)
    seq = rows.next_seq(db)
    stored = [story_to_row(s) for s in batch]
    rows.insert_rows(db, "stories", [{**row, "change_seq": seq} for row in stored])
    # zlib's fastest level for many rows at once (imports, seeding): a third of the
    # compression time of its default; any level reads back (issue 23).
    rows.insert_rows(db, "revisions", [revision_row(row, who.origin, 1) for row in stored])
    rows.insert_rows(db, "history", [
        event_row(s.id, "created", who, s.revision, to_status=s.status) for s in batch
    ])


def save(
    db: Database,
    story: Story,
    expected: int,
    who: Attribution,
    action: str,
    note: str,
    *,
    author: Attribution | None = None,
    live: bool = True,
) -> Story:
    """Write the editable fields of `story` as a new revision over revision `expected`
    (StaleRevision if the story moved on), recorded as `who` doing `action`, credited to
    `author` (default `who`). Nothing is written when nothing changed. `live=False` lets
    a story in the trash be saved. Returns the story as stored."""
    credited = author or who
    current = rows.live_story(db, story.id) if live else rows.story(db, story.id)
    if current.revision != expected:
        raise StaleRevision(current, expected)
    edits: dict[str, Any] = {name: getattr(story, name) for name in EDITABLE_FIELDS}
    edits["section"] = normalize_section(story.section)
    candidate = check_valid(current.replace(**edits, extra=dict(story.extra)))
    if candidate.editable() == current.editable() and candidate.extra == current.extra:
        return current
    if candidate.slug != current.slug:
        rows.check_slug(db, candidate.slug, candidate.id)
    rows.ensure_section(db, candidate.section)
    saved = candidate.replace(
        revision=current.revision + 1,
        updated_at=utcnow(),
        modified_by=credited.name,
        modified_key=credited.key,
    )
    row = story_to_row(saved)
    write_revision(db, row, who.origin)
    del row["id"]
    rows.update_story(db, saved.id, **row)
    add_event(db, saved.id, action, who, saved.revision, note)
    return rows.story(db, saved.id)


def move_many(db: Database, changes: Sequence[StatusChange], who: Attribution) -> None:
    """The row updates and history events of status changes, one statement for each
    table: an export marks thousands of stories published. A change's signed action is
    appended to the story's actions, and the event is recorded as its signer's."""
    if not changes:
        return
    first = rows.next_seq(db, len(changes)) - len(changes) + 1
    at = utc_text(utcnow())
    db.conn.executemany(
        "UPDATE stories SET status = ?1, updated_at = ?2, change_seq = ?3, "
        "actions = CASE WHEN ?5 IS NULL THEN actions "
        "ELSE json_insert(actions, '$[#]', json(?5)) END WHERE id = ?4",
        [
            (c.to_status, at, first + n, c.id, record_json(c.record))
            for n, c in enumerate(changes)
        ],
    )
    rows.insert_rows(db, "history", [
        event_row(
            c.id, c.action, signer(c.record) if c.record else who, c.revision,
            c.note, c.from_status, c.to_status,
        )
        for c in changes
    ])


def add_approval(db: Database, id: str, approval: Approval) -> None:
    """Append an approval to the live story's approvals."""
    current = rows.live_story(db, id)
    approvals = story_to_row(current.replace(approvals=(*current.approvals, approval)))
    rows.update_story(db, id, approvals=approvals["approvals"])


def trash(db: Database, id: str, who: Attribution) -> None:
    """Move a story to the trash (history 'deleted'); nothing if it is there already."""
    row = rows.story_row(db, id)
    if row["deleted_at"] is None:
        # Full precision: the trash lists by time of deletion, several a second.
        rows.update_story(db, id, deleted_at=utc_text(datetime.now(UTC)))
        add_event(db, id, "deleted", who, row["revision"])


def untrash(db: Database, id: str, who: Attribution) -> None:
    """Bring a story back from the trash (history 'undeleted'); SlugTaken if a live story
    took its slug meanwhile."""
    row = rows.story_row(db, id)
    if row["deleted_at"] is not None:
        rows.check_slug(db, row["slug"], id)
        rows.ensure_section(db, row["section"] or "")
        rows.update_story(db, id, deleted_at=None)
        add_event(db, id, "undeleted", who, row["revision"])


def purge(db: Database, id: str) -> None:
    """Remove a story in the trash for good, with its revisions and history; its id is
    kept in `purged`, so that a sync never brings it back from an old file."""
    row = rows.story_row(db, id)
    if row["deleted_at"] is None:
        raise StoreError(f"story {row['slug']!r} is not in the trash; delete it first")
    db["purged"].upsert({"id": id, "slug": row["slug"], "purged_at": utc_text(utcnow())}, pk="id")
    db["stories"].delete(row["rid"])
