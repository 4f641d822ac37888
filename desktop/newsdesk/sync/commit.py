"""Bringing both sides of one story to one version: the database now, the file staged for
the end of the batch, and the base recorded for a file only once it is written.

What comes from the folder is taken as a claim: its content as the edit of the editor it
names (unproven, recorded as such), its status and signed records only as far as this
laptop accepts them (arrival.py); a refusal is recorded once and reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.disk.atomic import file_hash
from newsdesk.domain.model import Story
from newsdesk.formats.markdown import dumps
from newsdesk.store.feed import origin_status, row_state
from newsdesk.store.records import ORIGIN_FILE, Attribution
from newsdesk.store.sync_records import Base, save_pending, touch_base
from newsdesk.sync.arrival import Arrival, arrive, kept_in_file
from newsdesk.sync.ledger import Ledger, Pending
from newsdesk.sync.pass_state import PassState
from newsdesk.sync.scan import FileState
from newsdesk.sync.slugs import Room, make_room
from newsdesk.sync.state import as_file_story, sync_hash, without_tombstone

KIND_WORDS = {
    "updated": "updated from the folder",
    "imported": "new from the folder",
    "merged": "merged (both sides changed, no conflict)",
    "deleted": "moved to the trash (deleted on the other side)",
}


@dataclass
class Local:
    """This database's side of one story."""

    story: Story | None  # None: not in this database (never was, or purged)
    deleted: bool
    seq: int


@dataclass(frozen=True)
class Target:
    """The version both sides are to hold, and how the database comes to it."""

    story: Story
    deleted: bool
    path: str  # the file it goes to
    db_change: bool = False  # the database takes it (else only the file does)
    actor: str = ""  # whose edit it is in the database (the file's claim)
    kind: str = "updated"  # the report's word for a database change
    base: Story | None = None  # the version both last shared, when both sides changed
    remote: Story | None = None  # the file's version, when both sides changed
    verified: frozenset[object] = frozenset()  # the file's records checked already


class Writer:
    """Does the writing half of settling one story (settle.py decides what)."""

    def __init__(self, state: PassState, ledger: Ledger) -> None:
        self.state = state
        self.ledger = ledger

    def commit(self, target: Target, local: Local, fs: FileState | None) -> None:
        """Make both sides hold `target.story` and record it as the new base.

        Runs inside the batch transaction: the database change is made now, the file is
        staged and renamed into place at the end of the batch, and the base is written
        only for a file that was really written, just before the batch commits.
        """
        state = self.state
        story, deleted = without_tombstone(target.story), target.deleted
        refused = False
        if self._changes_db(target, story, local):
            story, refused = self._write_db(target, story, local)
        seq = row_state(state.db, story.id)
        want = sync_hash(story, deleted)
        snapshot = dumps(story)
        base = Base(story.id, want, deleted, seq.change_seq if seq else 0, target.path, "")
        if fs is not None and self._file_holds(fs, story, refused) == want:
            base = base._replace(file_hash=fs.file_hash)
            self.ledger.record(Pending(base, snapshot), fs.stat)
        else:
            if fs is not None:
                self._file_as_base(story.id, fs)
            data = (dumps(as_file_story(story, True)) if deleted else snapshot).encode("utf-8")
            pending = Pending(base._replace(file_hash=file_hash(data)), snapshot)
            save_pending(state.db, state.folder.id, pending.base, snapshot)
            state.staged.add(state.root / target.path, data, fs.file_hash if fs else "", pending)
            state.changed.add(target.path)
        self.moved(story.id, target.path)

    @staticmethod
    def _changes_db(target: Target, story: Story, local: Local) -> bool:
        """Whether the database must take `target`: asked for, something to bring back
        (purged here and deleted there: nothing), and not what it holds already."""
        if not target.db_change or (local.story is None and target.deleted):
            return False
        return local.story is None or sync_hash(local.story, local.deleted) != sync_hash(
            story, target.deleted
        )

    @staticmethod
    def _file_holds(fs: FileState, story: Story, refused: bool) -> str | None:
        """The sync hash of the file as this laptop takes it (None: not this story's yet,
        a file without an id); a refused claim is not rewritten away on its own."""
        if fs.story is None or fs.needs_id:
            return None
        seen = kept_in_file(fs.story, story) if refused else fs.story
        return sync_hash(seen, fs.deleted)

    def _file_as_base(self, story_id: str, fs: FileState) -> None:
        """Make the file about to be replaced the base until its replacement is in place.

        The database now holds everything that file says (taken or merged, in this
        transaction), so it is what both sides share: a pass killed before the rename, or
        a rename refused because the file changed again, then merges the next time against
        it, and not against an older base whose changes this database already took, which
        turns the other laptop's next edit of the same paragraph into a false conflict.
        """
        base = self.state.bases.get(story_id)
        if fs.story is None or fs.needs_id or (base is not None and base.file_hash == fs.file_hash):
            return  # a file without an id is not this story's yet; an unchanged one is the base
        want = sync_hash(fs.story, fs.deleted)
        # local_seq -1: what this database changed on top of the file is still to be sent.
        file_base = Base(story_id, want, fs.deleted, -1, fs.path, fs.file_hash)
        self.ledger.record(Pending(file_base, dumps(fs.story)), fs.stat)

    def _write_db(self, target: Target, story: Story, local: Local) -> tuple[Story, bool]:
        """Bring the database to `story` (inside the caller's transaction): its content
        as an edit by the editor the file names (a claim, recorded as one), its status and
        signed records as far as this laptop accepts them. Returns the story as stored
        and whether something was set aside (refused, or overtaken)."""
        state = self.state
        store, story_id = state.store, story.id
        actor = target.actor or state.actor
        kind = target.kind
        if target.deleted and local.story is not None and not local.deleted:
            kind = "deleted"
        room = make_room(
            store, story, local.story, trashed=local.deleted, leaving=target.deleted, actor=actor
        )
        origin = origin_status(state.db, story_id) if local.story is not None else "draft"
        arrival = arrive(
            local.story,
            room.target,
            state.trust(),
            origin=origin,
            base=target.base,
            remote=target.remote,
            verified=target.verified,
        )
        claim = Attribution(room.target.modified_by or actor, room.target.modified_key, ORIGIN_FILE)
        taken = arrival.story
        if local.story is None:
            # New here: in as the replay's starting point, then its signed actions.
            first = taken if arrival.start == "new" else taken.replace(
                status=arrival.start, actions=(), approvals=()
            )
            saved = store.insert(first.replace(revision=max(taken.revision, 1)), actor=claim)
        else:
            if local.deleted:
                store.undelete(story_id, claim)
            saved = store.save(taken, expected_revision=room.revision, actor=claim)
        store.signed.take_arrival(
            story_id,
            status=taken.status,
            actions=arrival.accepted,
            approvals=taken.approvals,
            expected_revision=saved.revision,
        )
        self._report_arrival(arrival, claim, room.target.slug)
        if target.deleted:
            store.delete(story_id, claim)
        self._slug_changes(room, actor)
        stored = store.get(story_id)
        if local.story is None or sync_hash(local.story, local.deleted) != sync_hash(
            stored, target.deleted
        ):  # a change refused whole changed nothing here: only its refusal is news
            state.report.add(kind, f"{stored.slug}: {KIND_WORDS[kind]}", story_id, target.path)
        return stored, arrival.set_aside

    def _report_arrival(self, arrival: Arrival, claim: Attribution, slug: str) -> None:
        """A refusal recorded once in the history and reported; actions a trusted chief
        signed that an earlier one overtook, noted."""
        state, story_id = self.state, arrival.story.id
        refusal = arrival.refusal
        if refusal is not None and state.store.signed.record_rejection(
            story_id, claim, refusal.from_status, refusal.to_status, refusal.reason
        ):
            state.report.add("rejected", f"{slug}: {refusal.reason}", story_id)
        for line in arrival.notes:
            state.report.add("note", f"{slug}: {line}", story_id)

    def _slug_changes(self, room: Room, actor: str) -> None:
        """Record the renames a slug clash made (sync/slugs.py): the arriving story's in
        its history, all of them in the report; other stories renamed here are synced
        again (their files take the new slug)."""
        state = self.state
        for change in room.target_changes():
            state.store.record_event(change.story_id, "slug_changed", actor, change.note)
        for change in room.changes:
            state.report.add("renamed", change.message, change.story_id)
        state.slug_moved.update(room.moved_others())

    def bookkeeping(self, base: Base, local: Local, fs: FileState) -> None:
        """Nothing to merge; remember new file hash, path or change counter."""
        state = self.state
        with state.store.transaction():
            touch_base(
                state.db,
                state.folder.id,
                base.story_id,
                local_seq=local.seq,
                path=fs.path,
                file_hash=fs.file_hash,
            )
        state.changed.add(fs.path)
        self.moved(base.story_id, fs.path)

    def moved(self, story_id: str, path: str) -> None:
        base = self.state.bases.get(story_id)
        if base is not None and base.path != path:
            self.state.report.add(
                "moved", f"{base.path} -> {path} (found by its id)", story_id, path
            )
