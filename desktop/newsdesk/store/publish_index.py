"""What an export reads of the store: a light index of the stories, then only what it
needs of them, many at a time (one query per batch, not one per story).
`StoreExportSource` is the store as publish/source.py's ExportSource."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.domain.lifecycle import KILLED, LIFECYCLE_ACTIONS
from newsdesk.domain.model import (
    VOIDING_ACTIONS,
    Approval,
    Story,
    WorkflowAction,
    current_approval,
    parse_datetime,
)
from newsdesk.store.codec import unpack_snapshot
from newsdesk.store.records import StatusChange
from newsdesk.store.rows import check_status
from newsdesk.store.store import Store
from newsdesk.store.writes import move_many

# Ids per query: well under SQLite's limit on bound parameters.
BATCH = 400


@dataclass(frozen=True)
class PublishRow:
    """What decides whether a live story may go out, without its text: status, revision,
    stored content hash, approvals, slug, embargo and who saved the revision
    (publish.selection.StoryHead and workflow.StatusView)."""

    id: str
    slug: str
    status: str
    revision: int
    content_hash: str
    approvals: tuple[Approval, ...]
    embargo: datetime | None = None
    modified_by: str = ""
    modified_key: str = ""
    # Only when some action could void an approval (see _ACTIONS); else none are read.
    actions: tuple[WorkflowAction, ...] = ()

    @property
    def current_approval(self) -> Approval | None:
        """The latest approval if it matches the stored content hash and no later action
        voided it (Story's rule, model.current_approval)."""
        return current_approval(self.approvals, self.actions, self.content_hash)


# A story's actions matter here only if one of them can void an approval; parsing every
# story's list would cost the light query most of its time, so the others read as none.
# An action's name, quoted, is in its list only as a name (no status is called that; a
# quote inside a note or a name is escaped), however the JSON was spaced.
# The corrections, updates and kills are read too: the exports print their notes and notices.
_READ = sorted({*VOIDING_ACTIONS, *LIFECYCLE_ACTIONS})
_VOIDING = " OR ".join(f"instr(actions, '\"{name}\"')" for name in _READ)
_ACTIONS = f"CASE WHEN {_VOIDING} THEN actions ELSE '[]' END"
_COLUMNS = (
    "id, slug, status, revision, content_hash, embargo, modified_by, approvals, "
    f"modified_key, {_ACTIONS}"
)


def publish_index(store: Store, statuses: Iterable[str]) -> list[PublishRow]:
    """Every live story with one of `statuses`, oldest row first."""
    wanted = list(statuses)
    marks = ", ".join("?" for _ in wanted)
    cursor = store.db.execute(
        f"SELECT {_COLUMNS} FROM stories "
        f"WHERE deleted_at IS NULL AND status IN ({marks}) ORDER BY rid",
        wanted,
    )
    return _publish_rows(cursor.fetchall())


def publish_rows(store: Store, ids: Sequence[str]) -> list[PublishRow]:
    """The live stories with these ids, in that order (a deleted or purged one is left
    out), as publish_index reads them."""
    by_id: dict[str, PublishRow] = {}
    for batch in _batches(ids):
        marks = ", ".join("?" for _ in batch)
        cursor = store.db.execute(
            f"SELECT {_COLUMNS} FROM stories WHERE deleted_at IS NULL AND id IN ({marks})",
            list(batch),
        )
        by_id.update((row.id, row) for row in _publish_rows(cursor.fetchall()))
    return [by_id[story_id] for story_id in ids if story_id in by_id]


def conflicted(store: Store) -> dict[str, str]:
    """The id of every story with an open sync conflict, with the fields that clash
    ("status", "body, headline"): what an export holds back. One small query, where
    sync.list_conflicts would read both sides of every conflict in full."""
    if not store.db["sync_conflicts"].exists():  # made by the first sync
        return {}
    clashes: dict[str, set[str]] = {}
    for story_id, fields in store.db.execute("SELECT story_id, fields FROM sync_conflicts"):
        try:
            names = json.loads(fields or "[]")
        except ValueError:
            names = []
        if not isinstance(names, list):
            names = []
        clashes.setdefault(story_id, set()).update(str(name) for name in names)
    return {
        story_id: ", ".join(sorted(names)) or "fields unknown"
        for story_id, names in clashes.items()
    }


class StoreExportSource:
    """The store as an export reads it (publish/source.py's ExportSource): the index of
    the approved and published stories (read once, however often it is asked for),
    their stored revisions, former names and open conflicts."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: list[PublishRow] | None = None

    def index(self) -> list[PublishRow]:
        if self._index is None:
            self._index = publish_index(self.store, ("approved", "published", KILLED))
        return self._index

    def revisions(self, pairs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Story]:
        return load_revisions(self.store, pairs)

    def former_names(self, pairs: Sequence[tuple[str, int]]) -> dict[str, list[tuple[str, str]]]:
        return former_names(self.store, pairs)

    def conflicts(self) -> dict[str, str]:
        return conflicted(self.store)


def _publish_rows(rows: list[tuple]) -> list[PublishRow]:
    # One JSON document for all rows: a json.loads call per row costs more than its parse.
    approvals = json.loads("[" + ",".join(row[7] or "[]" for row in rows) + "]")
    return [
        PublishRow(
            id=story_id,
            slug=slug,
            status=status,
            revision=revision,
            content_hash=content_hash or "",
            approvals=tuple(Approval.from_dict(a) for a in story_approvals),
            embargo=parse_datetime(embargo) if embargo else None,
            modified_by=modified_by or "",
            modified_key=modified_key or "",
            actions=tuple(WorkflowAction.from_dict(a) for a in json.loads(actions))
            if actions != "[]" else (),
        )
        for (story_id, slug, status, revision, content_hash, embargo, modified_by, _text,
             modified_key, actions),
        story_approvals
        in zip(rows, approvals, strict=True)
    ]


def _batches(items: Sequence, size: int = BATCH) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _snapshots(
    store: Store, pairs: Sequence[tuple[str, int]], *, earlier: bool
) -> Iterator[tuple[str, int, int, bytes]]:
    """(id, asked revision, revision, snapshot) for each pair: that very revision, or
    with `earlier` every revision before it, oldest first."""
    for batch in _batches(pairs):
        values = ", ".join("(?, ?)" for _ in batch)
        match = "r.revision < w.column2" if earlier else "r.revision = w.column2"
        cursor = store.db.execute(
            f"SELECT w.column1, w.column2, r.revision, r.snapshot FROM (VALUES {values}) AS w "
            f"JOIN revisions AS r ON r.story_id = w.column1 AND {match} "
            "ORDER BY w.column1, r.revision",
            [value for pair in batch for value in pair],
        )
        yield from cursor.fetchall()


def load_revisions(
    store: Store, pairs: Sequence[tuple[str, int]]
) -> dict[tuple[str, int], Story]:
    """The stored snapshots (as Store.revision reads them) of these (id, revision) pairs;
    a revision that is not stored is left out."""
    return {
        (story_id, revision): unpack_snapshot(blob)
        for story_id, revision, _same, blob in _snapshots(store, pairs, earlier=False)
    }


def former_names(
    store: Store, pairs: Sequence[tuple[str, int]]
) -> dict[str, list[tuple[str, str]]]:
    """For each (id, revision), one pair a story: the (section, slug) of every stored
    revision before it, oldest first (the URLs a story had, for Hugo aliases)."""
    names: dict[str, list[tuple[str, str]]] = {story_id: [] for story_id, _ in pairs}
    for story_id, _asked, _revision, blob in _snapshots(store, pairs, earlier=True):
        # Only two fields of the snapshot (codec.pack_snapshot: a zlib'd JSON row) are
        # needed; building the whole Story costs several times more.
        row = json.loads(zlib.decompress(blob).decode("utf-8"))
        names[story_id].append((row["section"] or "", row["slug"] or ""))
    return names


def set_statuses(
    store: Store, changes: Sequence[StatusChange], *, actor: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """Store.set_status for many stories in one transaction (an export marks thousands
    published): the same row update and history event each, without reading each story
    twice more. A story deleted, edited or moved on since the caller read it is refused
    and left as it is. Returns the ids changed and (id, why) for each refused one."""
    for change in changes:
        check_status(change.to_status)
    changed: list[StatusChange] = []
    refused: list[tuple[str, str]] = []
    with store.transaction():
        current: dict[str, tuple[int, str, str | None]] = {}
        for batch in _batches([change.id for change in changes]):
            marks = ", ".join("?" for _ in batch)
            cursor = store.db.execute(
                f"SELECT id, revision, status, deleted_at FROM stories WHERE id IN ({marks})",
                list(batch),
            )
            current.update((row[0], tuple(row[1:])) for row in cursor.fetchall())
        for change in changes:
            revision, status, deleted_at = current.get(change.id, (None, None, "gone"))
            if deleted_at is not None:
                refused.append((change.id, "it was deleted meanwhile"))
            elif (revision, status) != (change.revision, change.from_status):
                refused.append((change.id, f"it changed meanwhile (now revision {revision}, "
                                           f"{str(status).replace('_', ' ')})"))
            else:
                changed.append(change)
        move_many(store.db, changed, store.who(actor))
    return [change.id for change in changed], refused
