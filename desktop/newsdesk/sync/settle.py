"""Settling one story of a sync pass: find which side changed since the base, then take
that side, merge both, or record a conflict, and bring database and file to the result.

`Settler` is the half of the pass (engine._Pass) that works on one story at a time; the
pass fills in the attributes declared here before it calls `_settle`. Database changes
happen in the caller's transaction; files are staged and written at the end of a batch.

What comes from the folder is taken as a claim: its content as the edit of the editor it
names (unproven, recorded as such), its status and signed records only as far as this
laptop accepts them (arrival.py); a refusal is recorded once and reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from newsdesk.formats.markdown import dumps, loads
from newsdesk.model import Story
from newsdesk.store import NotFound, Store
from newsdesk.store.records import ORIGIN_FILE, Attribution
from newsdesk.sync import cache, state
from newsdesk.sync.arrival import arrive, kept_in_file
from newsdesk.sync.atomic import StagedWrites, file_hash
from newsdesk.sync.conflicts import open_conflict_row, record_conflict
from newsdesk.sync.layout import FileStat, story_relpath
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.report import SyncReport
from newsdesk.sync.scan import FileState, FolderScan, Seen, load_story
from newsdesk.sync.slugs import Room, make_room
from newsdesk.sync.state import Base, Folder, as_file_story, sync_hash, without_tombstone
from newsdesk.trust import Trust


class Skip(Exception):
    """Leave one story for the next pass; the message says why."""


@dataclass
class Pending:
    """A base to record once its staged file is in place."""

    base: Base
    snapshot: str


@dataclass
class Local:
    story: Story | None  # None: not in this database (never was, or purged)
    deleted: bool
    seq: int


class Settler:
    store: Store
    db: Database
    root: Path
    actor: str
    restore_missing: bool
    report: SyncReport
    folder: Folder
    bases: dict[str, Base]
    chosen: dict[str, Seen]
    scan: FolderScan
    taken: set[str]
    staged: StagedWrites
    open_conflicts: bool
    changed: set[str]
    slug_moved: set[str]  # stories of this database renamed for a slug clash
    # Whose signatures this pass accepts: read once (the keyring file), on first need.
    pass_trust: Trust | None = None

    def _settle(self, story_id: str) -> None:
        base = self.bases.get(story_id)
        local = self._local(story_id)
        fs = self.chosen.get(story_id)
        if fs is not None:
            fs = load_story(self.root, fs)
            if fs.problem or fs.story_id != story_id or fs.story is None:
                raise Skip(f"{fs.path} changed during the sync; it is read again next time")
        conflict = (
            open_conflict_row(self.db, self.folder.id, story_id) if self.open_conflicts else None
        )
        base_story = None
        if conflict is not None:
            base_story = loads(conflict["base"], "base") if conflict["base"] else None
        elif base is not None:
            base_story = loads(state.base_snapshot(self.db, self.folder.id, story_id), "base")
        if base is None and conflict is None:
            self._first_meeting(story_id, local, fs)
            return
        if fs is None:
            if self.restore_missing and local.story is not None and base is not None:
                self._commit(local.story, local.deleted, local, None, base.path, db_change=False)
            return
        remote, rdel = fs.story, fs.deleted
        assert remote is not None
        if local.story is None:
            local_story, ldel = base_story or remote, True
            lchanged = base is not None and not base.deleted
        else:
            local_story, ldel = local.story, local.deleted
            lchanged = conflict is not None or (
                base is not None
                and local.seq != base.local_seq
                and sync_hash(local_story, ldel) != _base_hash(base, base_story)
            )
        rchanged = conflict is not None or (
            base is not None
            and fs.file_hash != base.file_hash
            and sync_hash(remote, rdel) != _base_hash(base, base_story)
        )
        if lchanged and rchanged:
            if conflict is None and local.story is not None and not rdel:
                # A pass killed after writing the file but before recording its base leaves
                # the file at one of our own revisions: that is the common ancestor.
                base_story = self._own_revision(story_id, remote) or base_story
            self._merge(base_story, local, local_story, ldel, fs)
        elif lchanged:
            self._commit(local_story, ldel, local, fs, fs.path, db_change=False)
        elif rchanged:
            if local.story is None:
                self.report.add(
                    "note",
                    "edited in the folder after it was purged here; brought back",
                    story_id,
                    fs.path,
                )
            self._commit(remote, rdel, local, fs, fs.path, db_change=True, actor=remote.modified_by)
        else:
            self._bookkeeping(base, local, fs)

    def _first_meeting(self, story_id: str, local: Local, fs: FileState | None) -> None:
        """A story this folder and this database have not synced before."""
        if fs is None:
            if local.story is None or local.deleted:
                return  # trash that never left this laptop needs no tombstone
            path = story_relpath(local.story, taken=self.taken)
            self.taken.add(path)
            self._commit(local.story, False, local, None, path, db_change=False)
            return
        remote = fs.story
        assert remote is not None
        if local.story is None:
            if self.db.execute("SELECT 1 FROM purged WHERE id = ?", [story_id]).fetchone():
                self.report.add(
                    "note", f"{fs.path}: a story purged here; left untouched", story_id, fs.path
                )
                return
            if fs.deleted:
                return  # a tombstone of a story this database never had
            self._commit(
                remote,
                False,
                local,
                fs,
                fs.path,
                db_change=True,
                actor=remote.modified_by,
                kind="imported",
            )
            return
        if sync_hash(local.story, local.deleted) == sync_hash(remote, fs.deleted):
            self._commit(local.story, local.deleted, local, fs, fs.path, db_change=False)
            return
        self._merge(None, local, local.story, local.deleted, fs)

    def _merge(
        self, base: Story | None, local: Local, local_story: Story, ldel: bool, fs: FileState
    ) -> None:
        remote = fs.story
        assert remote is not None
        result = merge_stories(base, local_story, remote)
        deleted = ldel and fs.deleted
        if not result.clean:
            names = ", ".join(dict.fromkeys(c.label for c in result.conflicts))
            with self.store.transaction():
                record_conflict(
                    self.db,
                    folder_id=self.folder.id,
                    story_id=remote.id,
                    path=fs.path,
                    base_text=dumps(base) if base is not None else None,
                    local_text=dumps(as_file_story(local_story, ldel)),
                    remote_text=fs.text or dumps(as_file_story(remote, fs.deleted)),
                    remote_file_hash=fs.file_hash,
                    conflicts=result.conflicts,
                    origin="folder",
                )
            self.report.add(
                "conflict",
                f"{remote.slug}: both sides changed {names}; kept both versions, resolve it "
                "in Newsdesk (neither side was changed)",
                remote.id,
                fs.path,
            )
            return
        if ldel != fs.deleted:  # (in a conflict, the deletion stands unless undeleted)
            self.report.add(
                "note",
                "edited on one side and deleted on the other: the edit wins, the story is kept",
                remote.id,
                fs.path,
            )
        if result.note:  # two resolutions of one conflict met and settled
            self.report.add("note", f"{remote.slug}: {result.note}", remote.id, fs.path)
        self._commit(
            result.story,
            deleted,
            local,
            fs,
            fs.path,
            db_change=True,
            actor=remote.modified_by,
            kind="merged",
        )

    def _commit(
        self,
        target: Story,
        deleted: bool,
        local: Local,
        fs: FileState | None,
        path: str,
        *,
        db_change: bool,
        actor: str = "",
        kind: str = "updated",
    ) -> None:
        """Make both sides hold `target` and record it as the new base.

        Runs inside the batch transaction: the database change is made now, the file is
        staged and renamed into place at the end of the batch, and the base is written
        only for a file that was really written, just before the batch commits.
        """
        story_id = target.id
        target = without_tombstone(target)
        if local.story is None and deleted:
            db_change = False  # purged here and deleted there: nothing to bring back
        refused = False
        if db_change and (
            local.story is None
            or sync_hash(local.story, local.deleted) != sync_hash(target, deleted)
        ):
            if deleted and local.story is not None and not local.deleted:
                kind = "deleted"
            target, deleted, refused = self._write_db(target, deleted, local, actor or self.actor)
            if local.story is None or sync_hash(local.story, local.deleted) != sync_hash(
                target, deleted
            ):  # a change refused whole changed nothing here: only its refusal is news
                self.report.add(kind, f"{target.slug}: {KIND_WORDS[kind]}", story_id, path)
        row = self.db.execute("SELECT change_seq FROM stories WHERE id = ?", [story_id]).fetchone()
        want = sync_hash(target, deleted)
        snapshot = dumps(target)
        base = Base(story_id, want, deleted, row[0] if row else 0, path, "")
        have = None
        if fs is not None and fs.story is not None and not fs.needs_id:
            # A refused claim is not rewritten away on its own (arrival.kept_in_file).
            seen = kept_in_file(fs.story, target) if refused else fs.story
            have = sync_hash(seen, fs.deleted)
        if fs is not None and have == want:
            base = base._replace(file_hash=fs.file_hash)
            self._record(Pending(base, snapshot), fs.stat)
        else:
            if fs is not None:
                self._file_as_base(story_id, fs)
            data = (dumps(as_file_story(target, True)) if deleted else snapshot).encode("utf-8")
            pending = Pending(base._replace(file_hash=file_hash(data)), snapshot)
            state.save_pending(self.db, self.folder.id, pending.base, snapshot)
            self.staged.add(self.root / path, data, fs.file_hash if fs else "", pending)
            self.changed.add(path)
        self._moved(story_id, path)

    def _file_as_base(self, story_id: str, fs: FileState) -> None:
        """Make the file about to be replaced the base until its replacement is in place.

        The database now holds everything that file says (taken or merged, in this
        transaction), so it is what both sides share: a pass killed before the rename, or
        a rename refused because the file changed again, then merges the next time against
        it, and not against an older base whose changes this database already took, which
        turns the other laptop's next edit of the same paragraph into a false conflict.
        """
        base = self.bases.get(story_id)
        if fs.story is None or fs.needs_id or (base is not None and base.file_hash == fs.file_hash):
            return  # a file without an id is not this story's yet; an unchanged one is the base
        want = sync_hash(fs.story, fs.deleted)
        # local_seq -1: what this database changed on top of the file is still to be sent.
        file_base = Base(story_id, want, fs.deleted, -1, fs.path, fs.file_hash)
        self._record(Pending(file_base, dumps(fs.story)), fs.stat)

    def _record(self, pending: Pending, stat: FileStat, *, staged: bool = False) -> None:
        """The file holds `pending`: make it the base (a staged one was pending until now)."""
        base = pending.base
        if staged:
            state.settle_pending(self.db, self.folder.id, base.story_id, written=True)
        else:
            state.save_base(self.db, self.folder.id, base, pending.snapshot)
            self.db.execute(
                "DELETE FROM sync_conflicts WHERE folder_id = ? AND story_id = ?",
                [self.folder.id, base.story_id],
            )
        entry = FileState(base.path, stat, base.file_hash, base.story_id, base.deleted, None)
        cache.save_cache(self.db, self.folder.id, [entry.cache_entry()])
        self.changed.add(base.path)

    def _write_db(
        self, target: Story, deleted: bool, local: Local, actor: str
    ) -> tuple[Story, bool, bool]:
        """Bring the database to `target` (inside the caller's transaction): its content
        as an edit by the editor the file names (a claim, recorded as one), its status and
        signed records as far as this laptop accepts them. Returns the story, whether it
        is deleted, and whether something was refused."""
        store, story_id = self.store, target.id
        if self.pass_trust is None:
            self.pass_trust = store.session.trust()
        room = make_room(
            store, target, local.story, trashed=local.deleted, leaving=deleted, actor=actor
        )
        target = room.target
        arrival = arrive(local.story, target, self.pass_trust)
        claim = Attribution(target.modified_by or actor, target.modified_key, ORIGIN_FILE)
        story = arrival.story
        if local.story is None:
            # New here: in as the replay's starting point, then its signed actions.
            first = story if arrival.start == "new" else story.replace(
                status=arrival.start, actions=(), approvals=()
            )
            saved = store.insert(first.replace(revision=max(story.revision, 1)), actor=claim)
        else:
            if local.deleted:
                store.undelete(story_id, claim)
            saved = store.save(story, expected_revision=room.revision, actor=claim)
        store.take_arrival(
            story_id,
            status=story.status,
            actions=arrival.accepted,
            approvals=story.approvals,
            expected_revision=saved.revision,
        )
        refusal = arrival.refusal
        if refusal is not None and store.record_rejection(
            story_id, claim, refusal.from_status, refusal.to_status, refusal.reason
        ):
            self.report.add("rejected", f"{target.slug}: {refusal.reason}", story_id)
        if deleted:
            store.delete(story_id, claim)
        self._slug_changes(room, actor)
        return store.get(story_id), deleted, refusal is not None

    def _slug_changes(self, room: Room, actor: str) -> None:
        """Record the renames a slug clash made (sync/slugs.py): the arriving story's in
        its history, all of them in the report; other stories renamed here are synced
        again (their files take the new slug)."""
        for change in room.target_changes():
            self.store.record_event(change.story_id, "slug_changed", actor, change.note)
        for change in room.changes:
            self.report.add("renamed", change.message, change.story_id)
        self.slug_moved.update(room.moved_others())

    def _bookkeeping(self, base: Base | None, local: Local, fs: FileState) -> None:
        """Nothing to merge; remember new file hash, path or change counter."""
        if base is None:
            return
        with self.store.transaction():
            state.touch_base(
                self.db,
                self.folder.id,
                base.story_id,
                local_seq=local.seq,
                path=fs.path,
                file_hash=fs.file_hash,
            )
        self.changed.add(fs.path)
        self._moved(base.story_id, fs.path)

    def _moved(self, story_id: str, path: str) -> None:
        base = self.bases.get(story_id)
        if base is not None and base.path != path:
            self.report.add("moved", f"{base.path} -> {path} (found by its id)", story_id, path)

    def _own_revision(self, story_id: str, remote: Story) -> Story | None:
        """The newest revision of this database that the file holds exactly, if any."""
        wanted = sync_hash(remote)
        for (number,) in self.db.execute(
            "SELECT revision FROM revisions WHERE story_id = ? AND content_hash = ? "
            "ORDER BY revision DESC",
            [story_id, remote.content_hash],
        ):
            candidate = self.store.revision(story_id, number)
            if sync_hash(candidate) == wanted:
                return candidate
        return None

    def _local(self, story_id: str) -> Local:
        row = self.db.execute(
            "SELECT change_seq, deleted_at IS NOT NULL FROM stories WHERE id = ?", [story_id]
        ).fetchone()
        if row is None:
            return Local(None, False, 0)
        try:
            return Local(self.store.get(story_id), bool(row[1]), row[0])
        except NotFound:
            return Local(None, False, 0)


def _base_hash(base: Base, snapshot: Story | None) -> str:
    """A base's sync hash; a first export records none (see state.Base) and it is the
    hash of the base's snapshot."""
    if base.hash or snapshot is None:
        return base.hash
    return sync_hash(snapshot, base.deleted)


KIND_WORDS = {
    "updated": "updated from the folder",
    "imported": "new from the folder",
    "merged": "merged (both sides changed, no conflict)",
    "deleted": "moved to the trash (deleted on the other side)",
}
