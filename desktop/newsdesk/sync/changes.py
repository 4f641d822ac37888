"""What a sync pass has to settle, found in proportion to what changed, and which groups
of files are settled at its end (cache.py explains the group digests).

Folder side: only the groups the walk opened (digest changed, new or gone) are looked
into; the stories of their files and of the bases recorded in them are the *touched*
stories, and only they can have a changed, new, copied, unreadable or missing file.
Database side: the stories whose change counter moved since the last pass (an indexed
query), the stories purged here whose file is still live, and the open conflicts.
`Changes` is the half of the pass (engine._Pass) that does this.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from newsdesk.store import Store
from newsdesk.sync import cache, state
from newsdesk.sync.layout import FileStat, Listing, folder_of, group_of
from newsdesk.sync.report import SyncReport
from newsdesk.sync.scan import FolderScan, Seen, read_state, scan_folder
from newsdesk.sync.state import Base, Folder


class TakenPaths:
    """The file names in use, for naming new files: those this pass gave out, the files
    of the open groups, and (from the cache, which lists them exactly) of settled ones."""

    def __init__(self, db: Database, folder_id: int, scan: FolderScan) -> None:
        self.db, self.folder_id, self.scan = db, folder_id, scan
        self.added: set[str] = set()

    def add(self, path: str) -> None:
        self.added.add(path)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if path in self.added or path in self.scan.files:
            return True
        return self.scan.walk.is_settled(path) and (
            cache.cached_file(self.db, self.folder_id, path) is not None
        )


class Changes:
    store: Store
    db: Database
    root: Path
    folder: Folder
    report: SyncReport
    bases: dict[str, Base]
    chosen: dict[str, Seen]
    scan: FolderScan
    touched: set[str]
    conflicted: set[str]
    recorded: dict[str, str | None]  # digests as the pass found them

    def _open_tree(self, recovered: set[str]) -> None:
        """Walk the tree; find the touched stories, their bases and their files."""
        db, folder_id = self.db, self.folder.id
        with self.store.transaction():
            self.recorded = cache.load_digests(db, folder_id)
        self.scan = scan = scan_folder(self.root, db, folder_id, self.recorded)
        self.bases = {}
        for group in scan.open:
            self.bases.update((b.story_id, b) for b in state.bases_in(db, folder_id, group))
        self.conflicted = state.conflict_ids(db, folder_id)
        touched = set(self.bases) | set(scan.by_id) | self.conflicted | recovered
        touched.update(row.story_id for row in scan.gone if row.story_id)
        self._need_bases(touched)
        self.touched = touched
        self.chosen = {}
        for story_id in sorted(touched):
            self._choose_file(story_id)

    def _need_bases(self, story_ids: set[str] | list[str]) -> None:
        """Load the bases of these stories (those not loaded yet); absent means none."""
        wanted = [story_id for story_id in story_ids if story_id not in self.bases]
        self.bases.update(state.bases_for(self.db, self.folder.id, wanted))

    def _choose_file(self, story_id: str) -> None:
        """One file per story: the base's file if the story has several (the others are
        reported, not used). A story's file in a settled group is the base's file."""
        base = self.bases.get(story_id)
        files = list(self.scan.by_id.get(story_id, ()))
        if base is not None and group_of(base.path) not in self.scan.open:
            settled = self._settled_file(base)
            if settled is not None:
                files.append(settled)
        if not files:
            return
        if len(files) > 1:
            files.sort(key=lambda f: (base is None or f.path != base.path, f.path))
            for other in files[1:]:
                self.report.add(
                    "invalid",
                    f"{other.path}: a second file of story {story_id[:8]} (the story is "
                    f"synced with {files[0].path}); left untouched",
                    story_id,
                    other.path,
                )
        self.chosen[story_id] = files[0]

    def _settled_file(self, base: Base) -> Seen | None:
        """The file of a base in a group the walk did not open: its cache row, which a
        settled group holds exactly (read afresh should that ever not be so)."""
        if not self.scan.walk.is_settled(base.path):
            return None  # a group that is not in the tree
        row = cache.cached_file(self.db, self.folder.id, base.path)
        if row is not None and row.story_id == base.story_id and row.problem is None:
            return row
        try:
            st = os.stat(self.root / base.path)
        except OSError:
            return None
        seen = read_state(self.root, base.path, FileStat.of(st))
        return seen if seen.story_id == base.story_id and not seen.problem else None

    def _files_of_candidates(self, candidates: set[str]) -> None:
        """The files of the database-side candidates that no open group touched."""
        others = [story_id for story_id in candidates if story_id not in self.touched]
        self._need_bases(others)
        for story_id in others:
            if story_id in self.bases:
                self._choose_file(story_id)

    def _unreadable(self, base: Base) -> bool:
        fs = self.scan.files.get(base.path)
        return fs is not None and fs.problem is not None

    # -- at the end of a pass ------------------------------------------------------

    def _record_settled(self, changed: set[str]) -> None:
        """Record the digest of each opened group that is settled now, and of each folder
        all of whose groups are (caller's transaction); `changed` are the groups this
        pass wrote or recorded files in."""
        db, folder_id, walk = self.db, self.folder.id, self.scan.walk
        blocked = state.conflict_ids(db, folder_id)
        blocked.update(base.story_id for base in state.load_pending(db, folder_id))
        digests: dict[str, str | None] = {}
        gone: list[str] = []
        for group, listing in self.scan.open.items():
            if group in changed:
                digests[group] = None
            elif not listing.digest:
                if cache.files_in(db, folder_id, group) or state.bases_in(db, folder_id, group):
                    digests[group] = None
                else:
                    gone.append(group)
            elif self._is_settled(group, listing, blocked):
                digests[group] = listing.digest
            else:
                digests[group] = None
        unsettled = {folder_of(group) for group, digest in digests.items() if digest is None}
        unsettled.update(folder_of(group) for group in changed)
        for folder, digest in walk.folders.items():
            if folder not in walk.settled_folders:
                digests[folder] = None if folder in unsettled else digest
        gone.extend(key for key in self.recorded if key.endswith("/") and key not in walk.folders)
        cache.set_digests(db, folder_id, digests)
        cache.forget_groups(db, folder_id, gone)

    def _is_settled(self, group: str, listing: Listing, blocked: set[str]) -> bool:
        """True when every file of the group is its story's base file, read and cached
        with the stat the walk saw, and every base recorded in the group has its file."""
        rows = cache.files_in(self.db, self.folder.id, group)
        if len(rows) != len(listing.files):
            return False
        folder = folder_of(group)
        for name, st in listing.files:
            row = rows.get(folder + name)
            if (
                row is None
                or not row.same_stat(st)
                or row.problem is not None
                or not row.story_id
                or row.story_id in blocked
            ):
                return False
        bases = state.bases_in(self.db, self.folder.id, group)
        if len(bases) != len(rows):
            return False
        for base in bases:
            row = rows.get(base.path)
            if row is None or row.story_id != base.story_id or row.file_hash != base.file_hash:
                return False
        return True
