"""Sync conflicts: merges that need a person, kept in the database until resolved.

Where both sides changed the same thing, the pass changes neither: the database keeps
the local version, the file keeps the other side's, and `sync_conflicts` keeps base,
local and remote, so nothing is lost and nothing half-merged leaves the laptop. (A
sibling `.conflict` file would carry the same story id and confuse every other laptop
that syncs the folder.) The story cannot be approved while a conflict is open.

`proposal` is what a resolution keeps: the merge of both sides with one side taken for
the clashes only, or one side whole. `resolve_conflict` saves the chosen version locally
and makes the remote version the new base, so the next pass carries the choice to the
folder, merging it with anything the other side changed meanwhile. A deletion on either
side stands (the story stays in, or goes to, the trash here and everywhere) unless the
resolution undeletes it, which brings it back on every laptop. A resolution that differs
from the remote version is marked (merge.RESOLUTION_KEY), so that two laptops resolving
the same conflict differently settle on one result instead of clashing again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from newsdesk.domain.model import NewsdeskError, Story, format_datetime, utcnow
from newsdesk.formats.markdown import dumps, loads
from newsdesk.store import NotFound, Store
from newsdesk.store.feed import origin_status, row_state
from newsdesk.store.records import ORIGIN_FILE, Attribution
from newsdesk.store.sync_conflicts import ConflictRow, close_conflicts, conflicts_of
from newsdesk.store.sync_records import Base, lower_seen_seq, save_base
from newsdesk.sync.arrival import Arrival, arrive
from newsdesk.sync.merge import (
    RESOLUTION_KEY,
    FieldConflict,
    Side,
    merge_stories,
    resolution_marker,
)
from newsdesk.sync.state import is_tombstone, sync_hash, without_tombstone


@dataclass(frozen=True)
class Conflict:
    folder_id: int
    story_id: str
    path: str
    base: Story | None
    local: Story
    remote: Story
    remote_file_hash: str
    fields: tuple[str, ...]
    origin: str
    created_at: str

    @property
    def remote_deleted(self) -> bool:
        return is_tombstone(self.remote)

    @property
    def local_deleted(self) -> bool:
        return is_tombstone(self.local)

    def clashes(self, current: Story | None = None) -> list[FieldConflict]:
        """What clashes, field by field and paragraph by paragraph, between the other
        side and this laptop's version (`current`, as it is now, else as it was)."""
        local = without_tombstone(current if current is not None else self.local)
        return merge_stories(self.base, local, without_tombstone(self.remote)).conflicts


@dataclass(frozen=True)
class Resolution:
    """What resolving kept."""

    story: Story
    clashes: tuple[str, ...]  # the clashes resolved, by label ("body (paragraph 2)")
    deleted: bool  # a deletion stands: the story stays in the trash, here and everywhere
    undeleted: bool  # a deletion was undone: the story comes back on every laptop
    refused: str = ""  # what of the chosen status and records was not taken, and why


class ConflictError(NewsdeskError):
    """A conflict that cannot be resolved as asked (the message says why)."""


def list_conflicts(db: Database, story_id: str | None = None) -> list[Conflict]:
    """Open conflicts, all or of one story, oldest first."""
    return [_conflict(row) for row in conflicts_of(db, story_id)]


def _conflict(row: ConflictRow) -> Conflict:
    return Conflict(
        folder_id=row.folder_id,
        story_id=row.story_id,
        path=row.path,
        base=loads(row.base, "base") if row.base else None,
        local=loads(row.local, "local"),
        remote=loads(row.remote, row.path),
        remote_file_hash=row.remote_file_hash,
        fields=row.fields,
        origin=row.origin,
        created_at=row.created_at,
    )


def proposal(
    conflict: Conflict, current: Story | None, take: Side | Mapping[str, Side], whole: bool = False
) -> Story:
    """The version a resolution keeps: both sides merged, `take` naming the side for the
    clashes (one side for all, or per clash key); with `whole`, the `take` side entire.
    `current` is this laptop's version now (None: as recorded in the conflict)."""
    local = without_tombstone(current if current is not None else conflict.local)
    remote = without_tombstone(conflict.remote)
    if whole:
        return local if take == "local" else remote
    return merge_stories(conflict.base, local, remote, take=take).story


def take_side(
    store: Store,
    story_id: str,
    side: Side,
    *,
    whole: bool = False,
    undelete: bool = False,
    actor: str = "",
) -> Resolution:
    """Resolve with one side for the clashes (or, `whole`, one side entire)."""
    conflicts = _open(store, story_id)
    chosen = proposal(conflicts[-1], _current(store, story_id), side, whole)
    return resolve_conflict(store, story_id, chosen, actor, undelete=undelete)


def resolve_conflict(
    store: Store, story_id: str, chosen: Story, actor: str = "", *, undelete: bool = False
) -> Resolution:
    """Save `chosen` as the story and close its conflicts; the next sync sends it out.

    When either side deleted the story, it stays deleted (with the chosen text, so
    nothing is lost) unless `undelete`; then it comes back, here and on every laptop.
    The chosen version's status, approvals and actions count only as far as a sync would
    take them (arrival.py): resolving sets no status and adds no record by itself."""
    conflicts = _open(store, story_id)
    if chosen.id != story_id:
        raise ConflictError("the chosen version belongs to another story")
    current = _current(store, story_id)
    # Here, what counts is the trash now: a story undeleted since the conflict is live.
    deleted_here = deletions(store, conflicts[-1])[0]
    deletion = deleted_here or is_tombstone(chosen) or any(c.remote_deleted for c in conflicts)
    if undelete and not deletion:
        raise ConflictError("the story is not deleted on either side: nothing to undelete")
    keep_deleted = deletion and not undelete
    latest = conflicts[-1]
    clashes = tuple(c.label for c in latest.clashes(current))
    remote = without_tombstone(latest.remote)
    arrival = _arrival(store, current, without_tombstone(chosen), latest)
    chosen = arrival.story
    if sync_hash(chosen, keep_deleted) != sync_hash(remote, latest.remote_deleted):
        # Marked, so that another laptop's different resolution of this conflict settles
        # with it (merge.competing_resolutions) instead of clashing again.
        mark = resolution_marker(remote, format_datetime(utcnow()), actor)
        chosen = chosen.replace(extra={**chosen.extra, RESOLUTION_KEY: mark})
    with store.transaction():
        _save_chosen(
            store, chosen, arrival, actor, deleted_here=deleted_here, keep_deleted=keep_deleted
        )
        if arrival.refusal is not None:
            claim = Attribution(remote.modified_by, remote.modified_key, ORIGIN_FILE)
            refusal = arrival.refusal
            store.signed.record_rejection(
                story_id, claim, refusal.from_status, refusal.to_status, refusal.reason
            )
        _rebase(store, story_id, conflicts)
        store.record_event(story_id, "conflict_resolved", actor)
    refused = arrival.refusal.reason if arrival.refusal is not None else ""
    return Resolution(
        store.get(story_id), clashes, keep_deleted, deletion and not keep_deleted, refused
    )


def _arrival(store: Store, current: Story | None, chosen: Story, conflict: Conflict) -> Arrival:
    """What of the chosen version's status and signed records this laptop takes: the
    same check as a sync's merge (from the status both sides last shared)."""
    base = without_tombstone(conflict.base) if conflict.base is not None else None
    here = without_tombstone(current) if current is not None else None
    remote = without_tombstone(conflict.remote)
    origin = origin_status(store.db, chosen.id)
    return arrive(here, chosen, store.session.trust(), origin=origin, base=base, remote=remote)


def _open(store: Store, story_id: str) -> list[Conflict]:
    conflicts = list_conflicts(store.db, story_id)
    if not conflicts:
        raise ConflictError(f"story {story_id} has no open sync conflict")
    return conflicts


def _current(store: Store, story_id: str) -> Story | None:
    try:
        return store.get(story_id)
    except NotFound:
        return None  # purged here since


def deletions(store: Store, conflict: Conflict) -> tuple[bool, bool]:
    """Whether the story is deleted here (now; as recorded if purged since) and whether
    the other side deleted it."""
    row = row_state(store.db, conflict.story_id)
    here = row.deleted if row is not None else conflict.local_deleted
    return here, conflict.remote_deleted


def _save_chosen(
    store: Store,
    chosen: Story,
    arrival: Arrival,
    actor: str,
    *,
    deleted_here: bool,
    keep_deleted: bool,
) -> None:
    """Bring the database to `chosen`, in the trash or not (caller's transaction): its
    content as this person's edit, its status and records as the arrival accepted."""
    story_id = chosen.id
    current = store.get(story_id)
    changed = sync_hash(current) != sync_hash(chosen)
    if deleted_here and (changed or not keep_deleted):
        store.undelete(story_id, actor)  # a story in the trash cannot be saved
    if changed:
        saved = store.save(chosen, expected_revision=current.revision, actor=actor)
        store.signed.take_arrival(
            story_id,
            status=chosen.status,
            actions=arrival.accepted,
            approvals=chosen.approvals,
            expected_revision=saved.revision,
        )
    if keep_deleted:
        store.delete(story_id, actor)


def _rebase(store: Store, story_id: str, conflicts: list[Conflict]) -> None:
    """Make each conflict's remote version the base and close the conflicts: the next
    pass sees the choice as a local change and merges it with whatever the folder holds
    by then."""
    row = row_state(store.db, story_id)
    seq = row.change_seq if row is not None else 0
    for conflict in conflicts:
        remote_deleted = conflict.remote_deleted
        remote = without_tombstone(conflict.remote)
        save_base(
            store.db,
            conflict.folder_id,
            Base(
                story_id=story_id,
                hash=sync_hash(remote, remote_deleted),
                deleted=remote_deleted,
                local_seq=-1,
                path=conflict.path,
                file_hash=conflict.remote_file_hash,
            ),
            dumps(remote),
        )
        lower_seen_seq(store.db, conflict.folder_id, seq - 1)
    close_conflicts(store.db, story_id)
