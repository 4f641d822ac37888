"""The sync pass between one database and one interchange folder (DESIGN section 5).

Order of a pass: check the workspace marker; walk the folder (looking only into groups
of files whose listing changed, reading only files whose stat changed: scan.py,
cache.py); find what changed on each side by hash against the base, using the store's
change counter so that unchanged stories are never loaded (changes.py); refuse to go on
if many known files vanished; then settle each changed story (settle.py), and export the
stories the folder has never had in bulk (bulk.py):

- one side changed: take it; both changed: three-way merge against the base; a clean
  merge goes to both sides, an unclean one becomes a conflict and changes neither;
- a story deleted here becomes a tombstone file (the story plus `deleted: true`); a
  tombstone in the folder moves the story to the trash here; an edit beats a delete;
- a file missing without a tombstone is reported, never taken as a delete.

Crash safety: stories are settled in batches (a savepoint per story, so one failing
story is undone alone). A batch's transaction makes the database changes and records, for
every file to write, the base it will have as *pending*; then it commits. The files,
staged as temporary files, are made durable and renamed into place, and a second short
transaction turns the pending bases into bases. A pass killed in between finds the
pending bases next time and keeps each one whose file holds what was written (or has
been built on by another laptop since), so a base always describes what the folder had;
otherwise the base stands that the batch recorded for the file it was replacing (the
database took all of that file, so it is what both sides share; an older base would turn
the other laptop's next edit of a paragraph taken from it into a false conflict), and the
next pass merges, which gives the same result again. A base never claims a file that is
not on disk.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from newsdesk.formats.markdown import loads
from newsdesk.formats.textfile import decode
from newsdesk.model import NewsdeskError, utcnow
from newsdesk.store import Store
from newsdesk.sync import cache, state
from newsdesk.sync.atomic import (
    FileChangedError,
    StagedWrites,
    file_hash,
    is_stale_temp,
    temp_owner,
    write_atomic,
)
from newsdesk.sync.bulk import FreshExport
from newsdesk.sync.changes import Changes, TakenPaths
from newsdesk.sync.layout import (
    MARKER_NAME,
    FileStat,
    WorkspaceError,
    group_of,
    marker_text,
    new_workspace_id,
    read_marker,
)
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.report import SyncReport
from newsdesk.sync.settle import Pending, Settler, Skip
from newsdesk.sync.state import Base, Folder, is_tombstone, sync_hash, without_tombstone

Progress = Callable[[int, int, str], None]

# The mass-vanish guard: more than this share of known files gone, and at least this many.
VANISH_RATIO = 0.2
VANISH_MIN = 5
# Stories settled per transaction (and per flush of staged files).
BATCH = 200


class _Stop(Exception):
    """Stop the pass before it changes anything; the message says why."""


def sync_folder(
    store: Store,
    folder: str | Path,
    *,
    actor: str = "",
    progress: Progress | None = None,
    restore_missing: bool = False,
) -> SyncReport:
    """One sync pass between `store` and `folder`; see the module docstring.

    A slug clash may rename a story of this database that the pass had already settled
    (or had no reason to look at): a second, short pass then writes its file, so the
    rename goes out now and every laptop sees it with this sync, not the next one."""
    first = _Pass(store, Path(folder), actor, progress, restore_missing)
    report = first.run()
    if first.slug_moved and not report.stopped:
        again = _Pass(store, Path(folder), actor, progress, restore_missing).run()
        report.entries.extend(again.entries)
        report.stopped = again.stopped
    return report


def open_folder(store: Store, root: Path) -> Folder:
    """The folder's record, creating folder, marker and record on first use.

    Raises WorkspaceError when the folder is not the workspace this database knows
    under that path (missing marker: an unmounted share; another workspace id).
    """
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} is not a folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"cannot create the sync folder {root}: {exc}") from None
    with store.transaction() as db:
        state.ensure_tables(db)
    marker = read_marker(root)
    known = state.folder_by_path(store.db, str(root))
    if known is not None:
        if marker is None:
            raise WorkspaceError(
                f"the workspace marker {MARKER_NAME} is missing from {root}; is the shared "
                "folder unmounted, or is this the wrong folder?"
            )
        if marker.workspace_id != known.workspace_id:
            raise WorkspaceError(
                f"{root} now holds a different Newsdesk workspace ({marker.workspace_id}) "
                f"than the one synced there before ({known.workspace_id})"
            )
        return known
    if marker is None:
        workspace_id = new_workspace_id()
        try:
            write_atomic(root / MARKER_NAME, marker_text(workspace_id).encode(), expect_hash="")
        except OSError as exc:
            raise WorkspaceError(f"cannot write to {root}: {exc}") from None
    else:
        workspace_id = marker.workspace_id
    with store.transaction() as db:
        return state.add_folder(db, str(root), workspace_id)


class _Pass(Changes, FreshExport, Settler):
    def __init__(
        self,
        store: Store,
        folder: Path,
        actor: str,
        progress: Progress | None,
        restore_missing: bool,
    ) -> None:
        self.store = store
        self.db = store.db
        self.root = folder.expanduser().resolve()
        self.actor = actor
        self.progress = progress
        self.restore_missing = restore_missing
        self.report = SyncReport(str(self.root))
        self.retry_seqs: list[int] = []
        self.owner = temp_owner(store.path)
        self.staged = StagedWrites(owner=self.owner)
        # Files written or recorded since the last flush; the groups of all so far.
        self.changed: set[str] = set()
        self.changed_groups: set[str] = set()
        self.slug_moved: set[str] = set()

    def run(self) -> SyncReport:
        try:
            self.folder = open_folder(self.store, self.root)
            self._prepare()
        except (_Stop, WorkspaceError) as exc:
            self.report.stopped = str(exc)
            return self.report
        fresh = self._fresh()
        candidates = sorted(self.candidates - set(fresh))
        total = len(candidates) + len(fresh)
        step = max(1, total // 200)
        done = 0

        def tick(story_id: str) -> None:
            nonlocal done
            done += 1
            if self.progress and (done % step == 0 or done == total):
                self.progress(done, total, story_id)

        try:
            for start in range(0, len(candidates), BATCH):
                with self.store.transaction():
                    for story_id in candidates[start : start + BATCH]:
                        self._settle_one(story_id)
                        tick(story_id)
                self._flush_files()
        except BaseException:
            # Stopped (a progress callback may cancel): the batch is rolled back.
            self.staged.discard_from(0)
            raise
        self._export_fresh(fresh, tick)
        self._finish()
        return self.report

    def _fresh(self) -> list[str]:
        """Candidates the folder has never had: no base, no file, no open conflict."""
        return sorted(
            story_id
            for story_id in self.candidates
            if story_id not in self.touched
            and story_id not in self.bases
            and story_id not in self.chosen
        )

    def _settle_one(self, story_id: str) -> None:
        """Settle one story in a savepoint; a failure undoes it and leaves it for later."""
        entries, staged = len(self.report.entries), self.staged.mark()
        try:
            with self.store.transaction():
                self._settle(story_id)
        except (Skip, NewsdeskError, OSError) as exc:
            del self.report.entries[entries:]
            self.staged.discard_from(staged)
            self._retry(story_id)
            message = str(exc) if isinstance(exc, Skip | FileChangedError) else f"not synced: {exc}"
            self.report.add("skipped", message, story_id)

    def _flush_files(self) -> None:
        """After the batch committed: put its staged files in place, then make their
        pending bases the bases (a second, short transaction)."""
        done, failed = self.staged.commit()
        with self.store.transaction():
            for item, exc in failed:
                pending: Pending = item.tag  # type: ignore[assignment]
                state.settle_pending(self.db, self.folder.id, pending.base.story_id, written=False)
                self._retry(pending.base.story_id)
                self.report.add("skipped", str(exc), pending.base.story_id, pending.base.path)
            for item in done:
                pending = item.tag  # type: ignore[assignment]
                self._record(pending, FileStat.of(os.stat(item.path)), staged=True)
                word = "tombstone" if pending.base.deleted else "exported"
                self.report.add(word, pending.base.path, pending.base.story_id, pending.base.path)
            cache.unsettle(self.db, self.folder.id, self.changed)
        self.changed_groups.update(group_of(path) for path in self.changed)
        self.changed.clear()

    def _recover_pending(self) -> set[str]:
        """Finish the bookkeeping of a pass that died between its renames and its bases;
        returns the stories concerned."""
        pending = state.load_pending(self.db, self.folder.id)
        if not pending:
            return set()
        with self.store.transaction():
            for base in pending:
                try:
                    data: bytes | None = (self.root / base.path).read_bytes()
                except OSError:
                    data = None
                written = data is not None and (
                    file_hash(data) == base.file_hash or self._builds_on(base, data)
                )
                state.settle_pending(self.db, self.folder.id, base.story_id, written=written)
            cache.unsettle(self.db, self.folder.id, [base.path for base in pending])
        return {base.story_id for base in pending}

    def _builds_on(self, pending: Base, data: bytes) -> bool:
        """True when the file, changed since, already holds every change of the pending
        version: the write happened and someone (another laptop) built on it, so the
        pending version, not the older base, is what both sides last shared."""
        try:
            current = loads(decode(data, pending.path)[0], pending.path)
            ours = loads(state.pending_snapshot(self.db, self.folder.id, pending.story_id) or "")
            old_text = state.base_snapshot(self.db, self.folder.id, pending.story_id)
            old = loads(old_text) if old_text else None
        except NewsdeskError:
            return False
        deleted = is_tombstone(current)
        theirs = without_tombstone(current)
        if deleted != bool(pending.deleted):
            return False
        result = merge_stories(old, ours, theirs)
        return result.clean and sync_hash(result.story, deleted) == sync_hash(theirs, deleted)

    # -- before any change -----------------------------------------------------------

    def _prepare(self) -> None:
        db, folder = self.db, self.folder
        self._open_tree(self._recover_pending())
        scan = self.scan
        self.taken = TakenPaths(db, folder.id, scan)
        touched = sorted(self.touched)
        missing = [
            base
            for story_id in touched
            if (base := self.bases.get(story_id)) is not None
            and story_id not in self.chosen
            and not self._unreadable(base)
        ]
        known = state.count_bases(db, folder.id) if len(missing) >= VANISH_MIN else 0
        if len(missing) >= VANISH_MIN and len(missing) > VANISH_RATIO * known:
            raise _Stop(
                f"{len(missing)} of {known} story files known in {self.root} are "
                f"gone (for example {missing[0].path}); is the shared folder unmounted or "
                "only partly copied? Restore them, or check the folder, then sync again"
            )
        for fs in sorted(scan.problems, key=lambda f: f.path):
            self.report.add("invalid", f"{fs.path}: {fs.problem}; left untouched", path=fs.path)
        # From here on the pass changes things: first the facts about files.
        for temp in scan.temp_files:
            if is_stale_temp(temp, self.staged.owner):
                with contextlib.suppress(OSError):
                    temp.unlink()
        with self.store.transaction():
            cache.save_cache(db, folder.id, [fs.cache_entry() for fs in scan.refreshed])
            cache.drop_cache(db, folder.id, [row.path for row in scan.gone])
        self.snapshot_seq = db.execute(
            "SELECT COALESCE(MAX(change_seq), 0) FROM stories"
        ).fetchone()[0]
        changed = db.execute(
            "SELECT id, change_seq FROM stories WHERE change_seq > ?", [folder.seen_seq]
        ).fetchall()
        self._need_bases([story_id for story_id, _seq in changed])
        candidates: set[str] = set()
        for story_id, seq in changed:
            base = self.bases.get(story_id)
            if base is None or base.local_seq != seq:
                candidates.add(story_id)
        purged = state.purged_with_base(db, folder.id)
        self._need_bases(purged)
        candidates.update(purged)
        for story_id in touched:
            fs = self.chosen.get(story_id)
            base = self.bases.get(story_id)
            if fs is not None and (
                base is None or base.file_hash != fs.file_hash or base.path != fs.path
            ):
                candidates.add(story_id)
        self._files_of_candidates(candidates)
        self.open_conflicts = bool(self.conflicted)
        for base in sorted(missing, key=lambda b: b.path):
            self.report.add(
                "missing",
                f"{base.path} is gone without a tombstone; the story was not deleted here "
                "(delete it in Newsdesk to delete it everywhere)",
                base.story_id,
                base.path,
            )
            if self.restore_missing:
                # Written back whether or not the story changed since (_settle).
                candidates.add(base.story_id)
            elif base.story_id in candidates:
                candidates.discard(base.story_id)
                self._retry(base.story_id)
        for story_id in touched:
            base = self.bases.get(story_id)
            if base is not None and story_id not in self.chosen and self._unreadable(base):
                candidates.discard(story_id)
                self._retry(story_id)
        self.candidates = candidates

    def _retry(self, story_id: str) -> None:
        row = self.db.execute("SELECT change_seq FROM stories WHERE id = ?", [story_id]).fetchone()
        if row:
            self.retry_seqs.append(row[0])

    def _finish(self) -> None:
        seen = self.snapshot_seq
        if self.retry_seqs:
            seen = min(seen, min(self.retry_seqs) - 1)
        with self.store.transaction():
            self.db.execute(
                "UPDATE sync_folders SET seen_seq = ?, last_sync_at = ? WHERE id = ?",
                [max(seen, 0), utcnow().isoformat(), self.folder.id],
            )
            self._record_settled(self.changed_groups)
