"""Settling one story of a sync pass: gather what each side holds, decide what to do
(decide.py, a pure function of small facts), and do that action: take one side, merge
both three-way, record a conflict, report a vanished file (commit.py writes).

Database changes happen in the caller's transaction; files are staged and written at the
end of a batch (ledger.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.domain.model import Story
from newsdesk.formats.markdown import dumps, loads
from newsdesk.store import NotFound
from newsdesk.store.feed import is_purged, revisions_with_hash, row_state
from newsdesk.store.sync_conflicts import ConflictRow, conflict_in, record_conflict
from newsdesk.store.sync_records import Base, base_snapshot
from newsdesk.sync.commit import Local, Target, Writer
from newsdesk.sync.decide import Action, BaseView, Holds, SideView, decide
from newsdesk.sync.layout import story_relpath
from newsdesk.sync.merge import MergeResult, merge_stories
from newsdesk.sync.pass_state import PassState
from newsdesk.sync.scan import FileState, load_story
from newsdesk.sync.state import as_file_story, sync_hash


class Skip(Exception):
    """Leave one story for the next pass; the message says why."""


@dataclass
class Sides:
    """What each side holds of one story, and what both last shared."""

    story_id: str
    base: Base | None
    conflict: ConflictRow | None
    base_story: Story | None  # the version both last shared (the conflict's, if open)
    local: Local
    purged: bool  # not in this database because it was purged here
    file: FileState | None  # loaded, with its story
    unreadable: bool  # no file, because the base's file cannot be read


def views(sides: Sides) -> tuple[BaseView, SideView, SideView]:
    """The facts decide() takes, from what was gathered; sync hashes are computed only
    where a cheaper look (change counter, file hash) does not settle it."""
    base = sides.base
    base_view = BaseView(base is not None, bool(base and base.deleted), sides.conflict is not None)
    base_hash = _base_hash(base, sides.base_story) if base is not None else ""
    here = _local_view(sides, base_hash)
    there = _file_view(sides, base_hash)
    return base_view, here, there


def _local_view(sides: Sides, base_hash: str) -> SideView:
    """What the database holds, and whether it changed since the base."""
    base, local = sides.base, sides.local
    if local.story is None:
        return SideView(Holds.PURGED if sides.purged else Holds.NOTHING)
    changed = (
        base is not None
        and local.seq != base.local_seq
        and sync_hash(local.story, local.deleted) != base_hash
    )
    holds = Holds.DELETED if local.deleted else Holds.LIVE
    return SideView(holds, _first_hash(base, sides.file, local.story, local.deleted), changed)


def _file_view(sides: Sides, base_hash: str) -> SideView:
    """What the folder's file holds, and whether it changed since the base."""
    base, fs = sides.base, sides.file
    if fs is None or fs.story is None:
        return SideView(Holds.UNREADABLE if sides.unreadable else Holds.NOTHING)
    changed = (
        base is not None
        and fs.file_hash != base.file_hash
        and fs.hash_of_story() != base_hash
    )
    holds = Holds.DELETED if fs.deleted else Holds.LIVE
    return SideView(holds, fs.hash_of_story() if base is None else "", changed)


def _first_hash(base: Base | None, fs: FileState | None, story: Story, deleted: bool) -> str:
    """A side's sync hash where a first meeting compares both sides (no base, a file)."""
    return sync_hash(story, deleted) if base is None and fs is not None else ""


def _base_hash(base: Base, snapshot: Story | None) -> str:
    """A base's sync hash; a first export records none (see Base) and it is the hash of
    the base's snapshot."""
    if base.hash or snapshot is None:
        return base.hash
    return sync_hash(snapshot, base.deleted)


class Settler:
    """Settles one story at a time (settle), in the pass's batch transaction."""

    def __init__(self, state: PassState, writer: Writer) -> None:
        self.state = state
        self.writer = writer

    def settle(self, story_id: str) -> Action:
        """Decide what to do with the story and do it; returns what was done."""
        sides = self.sides(story_id)
        base, local, remote = views(sides)
        action = decide(base, local, remote, restore_missing=self.state.restore_missing)
        _HANDLERS[action](self, sides)
        return action

    def sides(self, story_id: str) -> Sides:
        state = self.state
        base = state.bases.get(story_id)
        fs = state.chosen.get(story_id)
        if fs is not None:
            fs = load_story(state.root, fs)
            if fs.problem or fs.story_id != story_id or fs.story is None:
                raise Skip(f"{fs.path} changed during the sync; it is read again next time")
        conflict = (
            conflict_in(state.db, state.folder.id, story_id)
            if story_id in state.conflicted
            else None
        )
        text = conflict.base if conflict is not None else (
            base_snapshot(state.db, state.folder.id, story_id) if base is not None else None
        )
        local = self._local(story_id)
        known = base is not None or conflict is not None
        # A story leaves the stories table only by a purge: with a base, no need to ask.
        purged = local.story is None and (known or is_purged(state.db, story_id))
        unreadable = fs is None and base is not None and state.unreadable(base)
        base_story = loads(text, "base") if text else None
        return Sides(story_id, base, conflict, base_story, local, purged, fs, unreadable)

    def _local(self, story_id: str) -> Local:
        state = row_state(self.state.db, story_id)
        if state is None:
            return Local(None, False, 0)
        try:
            return Local(self.state.store.get(story_id), state.deleted, state.change_seq)
        except NotFound:
            return Local(None, False, 0)

    # -- the actions -----------------------------------------------------------------

    def _nothing(self, sides: Sides) -> None:
        return None

    def _hold(self, sides: Sides) -> None:
        self.state.retry(sides.story_id)

    def _bookkeeping(self, sides: Sides) -> None:
        assert sides.base is not None and sides.file is not None
        self.writer.bookkeeping(sides.base, sides.local, sides.file)

    def _take_local(self, sides: Sides) -> None:
        """This laptop's version to the file (a tombstone when deleted or purged here)."""
        local, fs = sides.local, sides.file
        assert fs is not None and fs.story is not None
        story = local.story or sides.base_story or fs.story
        deleted = local.deleted or local.story is None
        self.writer.commit(Target(story, deleted, fs.path), local, fs)

    def _take_remote(self, sides: Sides) -> None:
        fs = sides.file
        assert fs is not None and fs.story is not None
        target = Target(
            fs.story, fs.deleted, fs.path, db_change=True, actor=fs.story.modified_by,
            verified=fs.verified,
        )
        self.writer.commit(target, sides.local, fs)

    def _bring_back(self, sides: Sides) -> None:
        assert sides.file is not None
        self.state.report.add(
            "note",
            "edited in the folder after it was purged here; brought back",
            sides.story_id,
            sides.file.path,
        )
        self._take_remote(sides)

    def _import(self, sides: Sides) -> None:
        fs = sides.file
        assert fs is not None and fs.story is not None
        target = Target(
            fs.story, False, fs.path, db_change=True, actor=fs.story.modified_by,
            kind="imported", verified=fs.verified,
        )
        self.writer.commit(target, sides.local, fs)

    def _adopt(self, sides: Sides) -> None:
        """Both hold the same version: record it as the base."""
        local, fs = sides.local, sides.file
        assert fs is not None and fs.story is not None
        if local.story is not None:
            target = Target(local.story, local.deleted, fs.path)
        else:
            target = Target(fs.story, fs.deleted, fs.path)
        self.writer.commit(target, local, fs)

    def _export_fresh(self, sides: Sides) -> None:
        story = sides.local.story
        assert story is not None
        taken = self.state.taken
        path = story_relpath(story, taken=taken)
        taken.add(path)
        self.writer.commit(Target(story, False, path), sides.local, None)

    def _missing(self, sides: Sides) -> None:
        base = sides.base
        assert base is not None
        self.state.report.add(
            "missing",
            f"{base.path} is gone without a tombstone; the story was not deleted here "
            "(delete it in Newsdesk to delete it everywhere)",
            base.story_id,
            base.path,
        )

    def _missing_held(self, sides: Sides) -> None:
        self._missing(sides)
        self.state.retry(sides.story_id)

    def _restore_missing(self, sides: Sides) -> None:
        """Reported, and written back whether or not the story changed since."""
        self._missing(sides)
        local, base = sides.local, sides.base
        assert local.story is not None and base is not None
        self.writer.commit(Target(local.story, local.deleted, base.path), local, None)

    def _purged_here(self, sides: Sides) -> None:
        assert sides.file is not None
        path = sides.file.path
        self.state.report.add(
            "note", f"{path}: a story purged here; left untouched", sides.story_id, path
        )

    def _merge(self, sides: Sides) -> None:
        """Both sides changed: merge them against the base; what clashes becomes a
        conflict that changes neither side."""
        local, fs = sides.local, sides.file
        assert fs is not None and fs.story is not None
        remote = fs.story
        if local.story is None:
            local_story, local_deleted = sides.base_story or remote, True
        else:
            local_story, local_deleted = local.story, local.deleted
        base = sides.base_story
        own = sides.conflict is None and sides.base is not None and local.story is not None
        if own and not fs.deleted:
            # A pass killed after writing the file but before recording its base leaves
            # the file at one of our own revisions: that is the common ancestor.
            base = self._own_revision(sides.story_id, remote) or base
        result = merge_stories(base, local_story, remote)
        if not result.clean:
            self._conflict(sides, base, as_file_story(local_story, local_deleted), result)
            return
        report = self.state.report
        if local_deleted != fs.deleted:  # (in a conflict, the deletion stands unless undeleted)
            report.add(
                "note",
                "edited on one side and deleted on the other: the edit wins, the story is kept",
                remote.id,
                fs.path,
            )
        if result.note:  # two resolutions of one conflict met and settled
            report.add("note", f"{remote.slug}: {result.note}", remote.id, fs.path)
        target = Target(
            result.story,
            local_deleted and fs.deleted,
            fs.path,
            db_change=True,
            actor=remote.modified_by,
            kind="merged",
            base=base,
            remote=remote,
            verified=fs.verified,
        )
        self.writer.commit(target, local, fs)

    def _conflict(
        self, sides: Sides, base: Story | None, local_text: Story, result: MergeResult
    ) -> None:
        """Record the conflict (both versions and the base); neither side changes."""
        fs = sides.file
        assert fs is not None and fs.story is not None
        remote, state = fs.story, self.state
        with state.store.transaction():
            record_conflict(
                state.db,
                folder_id=state.folder.id,
                story_id=remote.id,
                path=fs.path,
                base_text=dumps(base) if base is not None else None,
                local_text=dumps(local_text),
                remote_text=fs.text or dumps(as_file_story(remote, fs.deleted)),
                remote_file_hash=fs.file_hash,
                fields=[c.name for c in result.conflicts],
                origin="folder",
            )
        names = ", ".join(dict.fromkeys(c.label for c in result.conflicts))
        state.report.add(
            "conflict",
            f"{remote.slug}: both sides changed {names}; kept both versions, resolve it "
            "in Newsdesk (neither side was changed)",
            remote.id,
            fs.path,
        )

    def _own_revision(self, story_id: str, remote: Story) -> Story | None:
        """The newest revision of this database that the file holds exactly, if any."""
        wanted = sync_hash(remote)
        store = self.state.store
        for number in revisions_with_hash(store.db, story_id, remote.content_hash):
            candidate = store.revision(story_id, number)
            if sync_hash(candidate) == wanted:
                return candidate
        return None


_HANDLERS: dict[Action, Callable[[Settler, Sides], None]] = {
    Action.NOTHING: Settler._nothing,
    Action.HOLD: Settler._hold,
    Action.BOOKKEEPING: Settler._bookkeeping,
    Action.TAKE_LOCAL: Settler._take_local,
    Action.TOMBSTONE: Settler._take_local,
    Action.TAKE_REMOTE: Settler._take_remote,
    Action.BRING_BACK: Settler._bring_back,
    Action.IMPORT: Settler._import,
    Action.ADOPT: Settler._adopt,
    Action.MERGE: Settler._merge,
    Action.EXPORT_FRESH: Settler._export_fresh,
    Action.MISSING: Settler._missing,
    Action.MISSING_HELD: Settler._missing_held,
    Action.RESTORE_MISSING: Settler._restore_missing,
    Action.PURGED_HERE: Settler._purged_here,
}
