"""What one sync pass knows and has done so far: the state its collaborators share.

A pass (engine.py) is a few small objects, each given this one `PassState`: the survey of
what changed (changes.py), the settling of each story (settle.py, which decides with
decide.py and writes with commit.py), the bulk first export (bulk.py) and the pass's
own records around its file writes (ledger.py). Only this dataclass holds what they
share; each of them keeps nothing else between calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from newsdesk.disk.staged import StagedWrites
from newsdesk.domain.trust import Trust
from newsdesk.store import Store
from newsdesk.store.feed import row_state
from newsdesk.store.sync_cache import cached_file
from newsdesk.store.sync_records import Base, Folder, bases_for
from newsdesk.sync.report import SyncReport
from newsdesk.sync.scan import FolderScan, Seen


@dataclass
class PassState:
    """One pass: where it works, what it found, what it wrote, what it leaves for later."""

    store: Store
    root: Path  # the folder, resolved
    folder: Folder  # its record in the database
    actor: str  # who runs the pass (a change with no author of its own is theirs)
    restore_missing: bool  # write vanished files again instead of only reporting them
    report: SyncReport
    staged: StagedWrites  # files written by the current batch, renamed at its end
    scan: FolderScan = field(default_factory=FolderScan)
    recorded: dict[str, str | None] = field(default_factory=dict)  # group digests as found
    bases: dict[str, Base] = field(default_factory=dict)  # loaded so far (absent: none)
    chosen: dict[str, Seen] = field(default_factory=dict)  # the file of each story
    touched: set[str] = field(default_factory=set)  # stories of the groups the walk opened
    conflicted: set[str] = field(default_factory=set)  # stories with an open conflict
    snapshot_seq: int = 0  # the change counter when the pass looked at the database
    changed: set[str] = field(default_factory=set)  # files written or recorded since a flush
    changed_groups: set[str] = field(default_factory=set)  # their groups, all pass long
    slug_moved: set[str] = field(default_factory=set)  # stories renamed for a slug clash
    retry_seqs: list[int] = field(default_factory=list)  # changes left for the next pass
    # Told the paths of each chunk of new files once they are in place (a git sync
    # stages them meanwhile, delivery.Stager).
    on_placed: Callable[[list[str]], None] | None = None
    taken: TakenPaths = field(init=False)
    _trust: Trust | None = None

    def __post_init__(self) -> None:
        self.taken = TakenPaths(self)

    @property
    def db(self) -> Database:
        return self.store.db

    @property
    def owner(self) -> str:
        """The name this pass's temporary files carry (sync/temps.py temp_owner)."""
        return self.staged.owner

    def trust(self) -> Trust:
        """Whose signatures this pass accepts: read once (the keyring file), on first need."""
        if self._trust is None:
            self._trust = self.store.session.trust()
        return self._trust

    def retry(self, story_id: str) -> None:
        """Leave this story's local change for the next pass (seen_seq stays below it)."""
        state = row_state(self.db, story_id)
        if state is not None:
            self.retry_seqs.append(state.change_seq)

    def need_bases(self, story_ids: Iterable[str]) -> None:
        """Load the bases of these stories (those not loaded yet); absent means none."""
        wanted = [story_id for story_id in story_ids if story_id not in self.bases]
        self.bases.update(bases_for(self.db, self.folder.id, wanted))

    def unreadable(self, base: Base) -> bool:
        """True when the base's file is in the tree but cannot be read as a story."""
        fs = self.scan.files.get(base.path)
        return fs is not None and fs.problem is not None


class TakenPaths:
    """The file names in use, for naming new files: those this pass gave out, the files
    of the open groups, and (from the cache, which lists them exactly) of settled ones."""

    def __init__(self, state: PassState) -> None:
        self.state = state
        self.added: set[str] = set()

    def add(self, path: str) -> None:
        self.added.add(path)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        scan = self.state.scan
        if path in self.added or path in scan.files:
            return True
        return scan.walk.is_settled(path) and (
            cached_file(self.state.db, self.state.folder.id, path) is not None
        )
