"""The sync pass between one database and one interchange folder.

See docs/architecture.md, "The flow of a sync".

Order of a pass: check the workspace marker; walk the folder (looking only into groups
of files whose listing changed, reading only files whose stat changed: scan.py,
cache.py); find what changed on each side by hash against the base, using the store's
change feed so that unchanged stories are never loaded (changes.py); refuse to go on
if many known files vanished; then settle each changed story (settle.py: decide.py
decides, commit.py writes), and export the stories the folder has never had in bulk
(bulk.py). The pass is these collaborators sharing one PassState (pass_state.py):

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

from collections.abc import Callable
from pathlib import Path

from newsdesk.disk.atomic import FileChangedError, write_atomic
from newsdesk.disk.staged import StagedWrites
from newsdesk.domain.model import NewsdeskError
from newsdesk.store import Store
from newsdesk.store.sync_records import Folder, add_folder, folder_by_path
from newsdesk.sync.bulk import FreshExport
from newsdesk.sync.changes import Stop, Survey
from newsdesk.sync.commit import Writer
from newsdesk.sync.layout import (
    MARKER_NAME,
    WorkspaceError,
    marker_text,
    new_workspace_id,
    read_marker,
)
from newsdesk.sync.ledger import Ledger
from newsdesk.sync.media_files import sync_pictures
from newsdesk.sync.pass_state import PassState
from newsdesk.sync.receive import BulkImport
from newsdesk.sync.report import SyncReport
from newsdesk.sync.settle import Settler, Skip
from newsdesk.sync.temps import temp_owner

Progress = Callable[[int, int, str], None]

# Stories settled per transaction (and per flush of staged files).
BATCH = 200


def sync_folder(
    store: Store,
    folder: str | Path,
    *,
    actor: str = "",
    progress: Progress | None = None,
    restore_missing: bool = False,
    placed: Callable[[list[str]], None] | None = None,
) -> SyncReport:
    """One sync pass between `store` and `folder`; see the module docstring. `placed`
    is told the paths of each chunk of new files once they are in place.

    A slug clash may rename a story of this database that the pass had already settled
    (or had no reason to look at): a second, short pass then writes its file, so the
    rename goes out now and every laptop sees it with this sync, not the next one."""
    first = _Pass(store, Path(folder), actor, progress, restore_missing, placed)
    report = first.run()
    if first.slug_moved and not report.stopped:
        again = _Pass(store, Path(folder), actor, progress, restore_missing, placed).run()
        report.entries.extend(again.entries)
        report.stopped, report.tree = again.stopped, again.tree
        report.tree_before = ""  # two passes: the first one's writes came before
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
    marker = read_marker(root)
    known = folder_by_path(store.db, str(root))
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
        return add_folder(db, str(root), workspace_id)


class _Pass:
    """One pass: opens the folder, surveys, settles in batches, exports the new stories
    in bulk, records its end; each step one collaborator over one PassState."""

    def __init__(
        self,
        store: Store,
        folder: Path,
        actor: str,
        progress: Progress | None,
        restore_missing: bool,
        placed: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.store = store
        self.placed = placed
        self.root = folder.expanduser().resolve()
        self.actor = actor
        self.progress = progress
        self.restore_missing = restore_missing
        self.report = SyncReport(str(self.root))
        self.slug_moved: set[str] = set()

    def run(self) -> SyncReport:
        try:
            state = self._start()
            ledger = Ledger(state)
            candidates = Survey(state).candidates(ledger.recover_pending())
        except (Stop, WorkspaceError) as exc:
            self.report.stopped = str(exc)
            return self.report
        # Stories the folder has never had (no base, no file, no open conflict) go out
        # in bulk: decide.py would send each of them to EXPORT_FRESH.
        fresh = sorted(
            story_id
            for story_id in candidates
            if story_id not in state.touched
            and story_id not in state.bases
            and story_id not in state.chosen
        )
        rest = sorted(candidates - set(fresh))
        tick = _Ticker(self.progress, len(rest) + len(fresh))
        # Stories new here whose file is all they need go in in bulk (receive.py);
        # decide.py would send each of them to IMPORT.
        incoming = [
            story_id
            for story_id in rest
            if story_id not in state.bases
            and story_id not in state.conflicted
            and story_id in state.chosen
        ]
        left = BulkImport(state).run(incoming, tick)
        rest = sorted(set(rest).difference(incoming).union(left))
        self._settle(state, ledger, rest, tick)
        FreshExport(state).run(fresh, tick)
        ledger.finish()
        written = sync_pictures(self.store, self.root, self.report)  # sync/media_files.py
        if written and state.on_placed is not None:
            state.on_placed(written)
        self.slug_moved = state.slug_moved
        return self.report

    def _start(self) -> PassState:
        folder = open_folder(self.store, self.root)
        owner = temp_owner(self.store.path)
        return PassState(
            self.store,
            self.root,
            folder,
            self.actor,
            self.restore_missing,
            self.report,
            StagedWrites(owner=owner),
            on_placed=self.placed,
        )

    def _settle(
        self, state: PassState, ledger: Ledger, story_ids: list[str], tick: _Ticker
    ) -> None:
        """Settle stories in batches: a transaction per batch, a savepoint per story."""
        settler = Settler(state, Writer(state, ledger))
        try:
            for start in range(0, len(story_ids), BATCH):
                with state.store.transaction():
                    for story_id in story_ids[start : start + BATCH]:
                        _settle_one(state, settler, story_id)
                        tick(story_id)
                ledger.flush_files()
        except BaseException:
            # Stopped (a progress callback may cancel): the batch is rolled back.
            state.staged.discard_from(0)
            raise


def _settle_one(state: PassState, settler: Settler, story_id: str) -> None:
    """Settle one story in a savepoint; a failure undoes it and leaves it for later."""
    entries, staged = len(state.report.entries), state.staged.mark()
    try:
        with state.store.transaction():
            settler.settle(story_id)
    except (Skip, NewsdeskError, OSError) as exc:
        del state.report.entries[entries:]
        state.staged.discard_from(staged)
        state.retry(story_id)
        message = str(exc) if isinstance(exc, Skip | FileChangedError) else f"not synced: {exc}"
        state.report.add("skipped", message, story_id)


class _Ticker:
    """Progress, in about 200 steps: how many stories of how many are settled."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total = progress, total
        self.step = max(1, total // 200)
        self.done = 0

    def __call__(self, story_id: str) -> None:
        self.done += 1
        if self.progress and (self.done % self.step == 0 or self.done == self.total):
            self.progress(self.done, self.total, story_id)
