"""What a sync pass has to settle, found in proportion to what changed, before it changes
anything.

Folder side: only the groups the walk opened (digest changed, new or gone) are looked
into (cache.py); the stories of their files and of the bases recorded in them are the
*touched* stories, and only they can have a changed, new, copied, unreadable or missing
file. Database side: the stories whose change counter moved since the last pass (the
store's change feed, an indexed query), the stories purged here whose file is still
live, and the open conflicts. `Survey` finds them, stops the pass if many known files
vanished, and records what it learnt of the files; each candidate is then settled
(settle.py), which decides for each what to do (decide.py).
"""

from __future__ import annotations

import contextlib
import os

from newsdesk.store.feed import changed_since, max_change_seq
from newsdesk.store.sync_cache import (
    FileStat,
    cached_file,
    drop_cache,
    group_of,
    load_digests,
    save_cache,
)
from newsdesk.store.sync_conflicts import conflict_ids
from newsdesk.store.sync_records import Base, bases_in, count_bases, purged_with_base
from newsdesk.sync.pass_state import PassState
from newsdesk.sync.scan import Seen, read_state, scan_folder
from newsdesk.sync.temps import is_stale_temp

# The mass-vanish guard: more than this share of known files gone, and at least this many.
VANISH_RATIO = 0.2
VANISH_MIN = 5


class Stop(Exception):
    """Stop the pass before it changes anything; the message says why."""


class Survey:
    """Finds the candidates of a pass (the module docstring says which)."""

    def __init__(self, state: PassState) -> None:
        self.state = state

    def candidates(self, recovered: set[str]) -> set[str]:
        """Walk the tree, guard against a vanished folder, record what the walk learnt
        of the files, and return the stories to settle. `recovered`: stories whose
        pending base an earlier, killed pass left (ledger.recover_pending)."""
        self._open_tree(recovered)
        missing = self._missing()
        self._vanish_guard(missing)
        # From here on the pass changes things: first the facts about files.
        self._note_files()
        found = self._database_side()
        found.update(self._folder_side())
        # A vanished or unreadable file is the story's business too (decide.py).
        found.update(base.story_id for base in missing)
        found.update(self._unreadable())
        self._files_of(found)
        return found

    # -- the folder ------------------------------------------------------------------

    def _open_tree(self, recovered: set[str]) -> None:
        """Walk the tree; find the touched stories, their bases and their files."""
        state = self.state
        db, folder_id = state.db, state.folder.id
        with state.store.transaction():
            state.recorded = load_digests(db, folder_id)
        state.scan = scan = scan_folder(state.root, db, folder_id, state.recorded)
        for group in scan.open:
            state.bases.update((b.story_id, b) for b in bases_in(db, folder_id, group))
        state.conflicted = conflict_ids(db, folder_id)
        touched = set(state.bases) | set(scan.by_id) | state.conflicted | recovered
        touched.update(row.story_id for row in scan.gone if row.story_id)
        state.need_bases(touched)
        state.touched = touched
        for story_id in sorted(touched):
            self._choose_file(story_id)

    def _choose_file(self, story_id: str) -> None:
        """One file per story: the base's file if the story has several (the others are
        reported, not used). A story's file in a settled group is the base's file."""
        state = self.state
        base = state.bases.get(story_id)
        files = list(state.scan.by_id.get(story_id, ()))
        if base is not None and group_of(base.path) not in state.scan.open:
            settled = self._settled_file(base)
            if settled is not None:
                files.append(settled)
        if not files:
            return
        if len(files) > 1:
            files.sort(key=lambda f: (base is None or f.path != base.path, f.path))
            for other in files[1:]:
                state.report.add(
                    "invalid",
                    f"{other.path}: a second file of story {story_id[:8]} (the story is "
                    f"synced with {files[0].path}); left untouched",
                    story_id,
                    other.path,
                )
        state.chosen[story_id] = files[0]

    def _settled_file(self, base: Base) -> Seen | None:
        """The file of a base in a group the walk did not open: its cache row, which a
        settled group holds exactly (read afresh should that ever not be so)."""
        state = self.state
        if not state.scan.walk.is_settled(base.path):
            return None  # a group that is not in the tree
        row = cached_file(state.db, state.folder.id, base.path)
        if row is not None and row.story_id == base.story_id and row.problem is None:
            return row
        try:
            st = os.stat(state.root / base.path)
        except OSError:
            return None
        seen = read_state(state.root, base.path, FileStat.of(st))
        return seen if seen.story_id == base.story_id and not seen.problem else None

    def _missing(self) -> list[Base]:
        """Known files gone without a tombstone (touched stories with a base and no
        file), by path."""
        state = self.state
        return sorted(
            (
                base
                for story_id in state.touched
                if (base := state.bases.get(story_id)) is not None
                and story_id not in state.chosen
                and not state.unreadable(base)
            ),
            key=lambda base: base.path,
        )

    def _unreadable(self) -> list[str]:
        """Touched stories whose only file cannot be read."""
        state = self.state
        return [
            story_id
            for story_id in state.touched
            if (base := state.bases.get(story_id)) is not None
            and story_id not in state.chosen
            and state.unreadable(base)
        ]

    def _vanish_guard(self, missing: list[Base]) -> None:
        """Stop before anything changes when many known files are gone at once."""
        if len(missing) < VANISH_MIN:
            return
        state = self.state
        known = count_bases(state.db, state.folder.id)
        if len(missing) > VANISH_RATIO * known:
            raise Stop(
                f"{len(missing)} of {known} story files known in {state.root} are "
                f"gone (for example {missing[0].path}); is the shared folder unmounted or "
                "only partly copied? Restore them, or check the folder, then sync again"
            )

    def _note_files(self) -> None:
        """Report files that are not stories, remove this pass's stale temporary files,
        and record what the walk read (the stat cache)."""
        state = self.state
        scan = state.scan
        for fs in sorted(scan.problems, key=lambda f: f.path):
            state.report.add("invalid", f"{fs.path}: {fs.problem}; left untouched", path=fs.path)
        for temp in scan.temp_files:
            if is_stale_temp(temp, state.owner):
                with contextlib.suppress(OSError):
                    temp.unlink()
        with state.store.transaction():
            save_cache(state.db, state.folder.id, [fs.cache_entry() for fs in scan.refreshed])
            drop_cache(state.db, state.folder.id, [row.path for row in scan.gone])

    # -- the database ----------------------------------------------------------------

    def _database_side(self) -> set[str]:
        """Stories changed here since the last pass (their base is not of this change),
        and stories purged here whose file is still live."""
        state = self.state
        state.snapshot_seq = max_change_seq(state.db)
        changed = changed_since(state.db, state.folder.seen_seq)
        state.need_bases(story_id for story_id, _seq in changed)
        found: set[str] = set()
        for story_id, seq in changed:
            base = state.bases.get(story_id)
            if base is None or base.local_seq != seq:
                found.add(story_id)
        purged = purged_with_base(state.db, state.folder.id)
        state.need_bases(purged)
        found.update(purged)
        return found

    def _folder_side(self) -> set[str]:
        """Touched stories whose file is not their base's (changed, new, moved)."""
        state = self.state
        found: set[str] = set()
        for story_id in state.touched:
            fs = state.chosen.get(story_id)
            base = state.bases.get(story_id)
            if fs is not None and (
                base is None or base.file_hash != fs.file_hash or base.path != fs.path
            ):
                found.add(story_id)
        return found

    def _files_of(self, candidates: set[str]) -> None:
        """The files of the database-side candidates that no open group touched."""
        state = self.state
        others = [story_id for story_id in candidates if story_id not in state.touched]
        state.need_bases(others)
        for story_id in others:
            if story_id in state.bases:
                self._choose_file(story_id)
