"""A pass's own records around its file writes: bases pending until their files are in
place, the files put in place, and what the pass settled, recorded at its end.

Crash safety (engine.py says more): a batch's transaction records, for every file to
write, the base it will have as *pending*; after it commits, the staged files are made
durable and renamed into place, and a second short transaction (`flush_files`) makes the
pending bases bases. A pass killed in between leaves pending bases that the next one
settles by looking at the files (`recover_pending`).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from newsdesk.disk.atomic import file_hash
from newsdesk.domain.model import NewsdeskError, utcnow
from newsdesk.formats.markdown import loads
from newsdesk.formats.textfile import decode
from newsdesk.store.sync_cache import (
    FileStat,
    files_in,
    folder_of,
    forget_groups,
    group_of,
    save_cache,
    set_digests,
    unsettle,
)
from newsdesk.store.sync_conflicts import close_conflict, conflict_ids
from newsdesk.store.sync_records import (
    Base,
    base_snapshot,
    bases_in,
    finish_pass,
    load_pending,
    pending_snapshot,
    save_base,
    settle_pending,
)
from newsdesk.sync.layout import MARKER_NAME, Listing
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.pass_state import PassState
from newsdesk.sync.scan import FileState
from newsdesk.sync.state import is_tombstone, sync_hash, without_tombstone


@dataclass
class Pending:
    """A base to record once its staged file is in place."""

    base: Base
    snapshot: str


class Ledger:
    """Records bases and settled groups for one pass (the module docstring says when)."""

    def __init__(self, state: PassState) -> None:
        self.state = state
        self.settled = False  # every group the walk opened was settled by the pass's end

    def record(self, pending: Pending, stat: FileStat, *, staged: bool = False) -> None:
        """The file holds `pending`: make it the base (a staged one was pending until now);
        a base recorded closes the story's conflict in this folder."""
        state = self.state
        base, folder_id = pending.base, state.folder.id
        if staged:
            settle_pending(state.db, folder_id, base.story_id, written=True)
        else:
            save_base(state.db, folder_id, base, pending.snapshot)
            close_conflict(state.db, folder_id, base.story_id)
        entry = FileState(base.path, stat, base.file_hash, base.story_id, base.deleted, None)
        save_cache(state.db, folder_id, [entry.cache_entry()])
        state.changed.add(base.path)

    def flush_files(self) -> None:
        """After a batch committed: put its staged files in place, then make their
        pending bases the bases (a second, short transaction)."""
        state = self.state
        done, failed = state.staged.commit()
        with state.store.transaction():
            for item, exc in failed:
                pending: Pending = item.tag  # type: ignore[assignment]
                settle_pending(
                    state.db, state.folder.id, pending.base.story_id, written=False
                )
                state.retry(pending.base.story_id)
                state.report.add(
                    "skipped", str(exc), pending.base.story_id, pending.base.path
                )
            for item in done:
                pending = item.tag  # type: ignore[assignment]
                self.record(pending, FileStat.of(os.stat(item.path)), staged=True)
                word = "tombstone" if pending.base.deleted else "exported"
                state.report.add(word, pending.base.path, pending.base.story_id, pending.base.path)
            unsettle(state.db, state.folder.id, state.changed)
        state.changed_groups.update(group_of(path) for path in state.changed)
        state.changed.clear()

    def recover_pending(self) -> set[str]:
        """Finish the bookkeeping of a pass that died between its renames and its bases;
        returns the stories concerned."""
        state = self.state
        pending = load_pending(state.db, state.folder.id)
        if not pending:
            return set()
        with state.store.transaction():
            for base in pending:
                try:
                    data: bytes | None = (state.root / base.path).read_bytes()
                except OSError:
                    data = None
                written = data is not None and (
                    file_hash(data) == base.file_hash or self._builds_on(base, data)
                )
                settle_pending(state.db, state.folder.id, base.story_id, written=written)
            unsettle(state.db, state.folder.id, [base.path for base in pending])
        return {base.story_id for base in pending}

    def _builds_on(self, pending: Base, data: bytes) -> bool:
        """True when the file, changed since, already holds every change of the pending
        version: the write happened and someone (another laptop) built on it, so the
        pending version, not the older base, is what both sides last shared."""
        db, folder_id = self.state.db, self.state.folder.id
        try:
            current = loads(decode(data, pending.path)[0], pending.path)
            ours = loads(pending_snapshot(db, folder_id, pending.story_id) or "")
            old_text = base_snapshot(db, folder_id, pending.story_id)
            old = loads(old_text) if old_text else None
        except NewsdeskError:
            return False
        deleted = is_tombstone(current)
        theirs = without_tombstone(current)
        if deleted != bool(pending.deleted):
            return False
        result = merge_stories(old, ours, theirs)
        return result.clean and sync_hash(result.story, deleted) == sync_hash(theirs, deleted)

    # -- at the end of a pass ------------------------------------------------------

    def finish(self) -> None:
        """Record how far local changes were synced, and the groups settled now."""
        state = self.state
        seen = state.snapshot_seq
        if state.retry_seqs:
            seen = min(seen, min(state.retry_seqs) - 1)
        with state.store.transaction():
            finish_pass(state.db, state.folder.id, max(seen, 0), utcnow().isoformat())
            self._record_settled(state.changed_groups)
        report = state.report
        if self.settled and not state.changed_groups and not report.entries:
            report.tree = self._tree_digest()
        if not state.scan.open:
            report.tree_before = report.tree or self._tree_digest()

    def _tree_digest(self) -> str:
        """A digest of the tree (its story files, and the names and stats of all else
        under stories/) and of the marker as the walk found them. Kept (SyncReport.tree)
        when every group is settled at the end of the pass (each file read with a stat
        the cache trusts, each its story's base) and the pass wrote nothing: two passes
        with the same digest found the same names and stats of every file, which is what
        a group's digest already stands for (cache.py)."""
        state = self.state
        scan = state.scan
        try:
            marker = os.stat(state.root / MARKER_NAME)
        except OSError:
            return ""
        digest = hashlib.sha256(repr(FileStat.of(marker)).encode())
        for kind, digests in (("stories", scan.walk.folders), ("others", scan.walk.others)):
            for folder, listing in sorted(digests.items()):
                line = f"\0{kind}\0{folder}\0{listing}"
                digest.update(line.encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def _record_settled(self, changed: set[str]) -> None:
        """Record the digest of each opened group that is settled now, and of each folder
        all of whose groups are (caller's transaction); `changed` are the groups this
        pass wrote or recorded files in."""
        state = self.state
        db, folder_id, walk = state.db, state.folder.id, state.scan.walk
        digests, gone = self._group_digests(changed)
        self.settled = all(digest is not None for digest in digests.values())
        unsettled = {folder_of(group) for group, digest in digests.items() if digest is None}
        unsettled.update(folder_of(group) for group in changed)
        for folder, digest in walk.folders.items():
            if folder not in walk.settled_folders:
                digests[folder] = None if folder in unsettled else digest
        gone.extend(
            key for key in state.recorded if key.endswith("/") and key not in walk.folders
        )
        set_digests(db, folder_id, digests)
        forget_groups(db, folder_id, gone)

    def _group_digests(self, changed: set[str]) -> tuple[dict[str, str | None], list[str]]:
        """Each opened group's digest to record (None: not settled), and the groups gone
        from the tree with nothing left of them."""
        db, folder_id = self.state.db, self.state.folder.id
        blocked = conflict_ids(db, folder_id)
        blocked.update(base.story_id for base in load_pending(db, folder_id))
        digests: dict[str, str | None] = {}
        gone: list[str] = []
        for group, listing in self.state.scan.open.items():
            if group in changed:
                digests[group] = None
            elif listing.digest:
                settled = self._is_settled(group, listing, blocked)
                digests[group] = listing.digest if settled else None
            elif files_in(db, folder_id, group) or bases_in(db, folder_id, group):
                digests[group] = None
            else:
                gone.append(group)
        return digests, gone

    def _is_settled(self, group: str, listing: Listing, blocked: set[str]) -> bool:
        """True when every file of the group is its story's base file, read and cached
        with the stat the walk saw, and every base recorded in the group has its file."""
        db, folder_id = self.state.db, self.state.folder.id
        rows = files_in(db, folder_id, group)
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
        bases = bases_in(db, folder_id, group)
        if len(bases) != len(rows):
            return False
        return all(
            (row := rows.get(base.path)) is not None
            and row.story_id == base.story_id
            and row.file_hash == base.file_hash
            for base in bases
        )
