"""What a sync pass does with one story: a pure decision over what each side holds.

`decide(base, local, remote)` looks only at small facts: whether both sides agreed on a
version before (the *base*) and whether it was a tombstone, whether a conflict is open,
and for each side what it holds (nothing, the live story, the story deleted, purged here,
a file that cannot be read) and whether that changed against the base. It returns one
`Action`; the settling code (settle.py) does that action and nothing else. Every
combination and its action is listed in tests/unit/sync/test_sync_decide.py.

The rules, in words (README, "Sync"): one side changed, take it; both changed, merge
(an open conflict counts as both); an edit beats a delete; a story deleted or purged here
becomes a tombstone file; a file that vanished without a tombstone is reported, never
taken for a delete (written back only when asked); a story purged here is never brought
back by a file it never shared with the folder; a file that cannot be read is left for
the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Holds(Enum):
    """What one side holds of a story."""

    NOTHING = "nothing"  # never had it: no row here, no file there
    LIVE = "live"
    DELETED = "deleted"  # in the trash here; a tombstone file there
    PURGED = "purged"  # here only: removed for good (its id is kept in `purged`)
    UNREADABLE = "unreadable"  # there only: its file cannot be read as this story


@dataclass(frozen=True)
class BaseView:
    """What both sides last agreed on."""

    known: bool  # a base is recorded (both held that version)
    deleted: bool = False  # ... and it was a tombstone
    conflict: bool = False  # a conflict of this story waits for a person


@dataclass(frozen=True)
class SideView:
    """One side: what it holds, its sync hash, and whether that changed against the
    base (False when there is no base)."""

    holds: Holds
    hash: str = ""
    changed: bool = False


class Action(Enum):
    """What to do with one story; settle.py does each."""

    NOTHING = "nothing"  # nothing to do and nothing to record
    BOOKKEEPING = "bookkeeping"  # neither side changed: note the file's path and hash
    TAKE_LOCAL = "take local"  # write this laptop's version to the file
    TOMBSTONE = "tombstone"  # deleted or purged here: write the tombstone file
    TAKE_REMOTE = "take remote"  # bring the file's version into the database
    BRING_BACK = "bring back"  # edited in the folder after its purge here: take it
    IMPORT = "import"  # a story new to this laptop: add it
    ADOPT = "adopt"  # both hold the same version, never agreed on: record it as the base
    MERGE = "merge"  # both changed: three-way merge (a conflict if it does not merge)
    EXPORT_FRESH = "export fresh"  # a story the folder never had: write its file
    MISSING = "missing"  # its file vanished without a tombstone: report it
    MISSING_HELD = "missing, held"  # ... and keep the change made here for the next pass
    RESTORE_MISSING = "restore missing"  # ... and write the file again (asked for)
    PURGED_HERE = "purged here"  # a file of a story purged here: leave it, say so
    HOLD = "hold"  # the file cannot be read: leave the story for the next pass


# Local holdings that are a version of the story here (one can be written out).
_HELD_HERE = (Holds.LIVE, Holds.DELETED)


def decide(
    base: BaseView, local: SideView, remote: SideView, *, restore_missing: bool = False
) -> Action:
    """The action for one story; see the module docstring."""
    if remote.holds is Holds.UNREADABLE:
        return Action.HOLD
    if not base.known and not base.conflict:
        return _first_meeting(local, remote)
    if remote.holds is Holds.NOTHING:
        return _missing(base, local, restore_missing)
    if base.conflict:
        return Action.MERGE  # both versions wait in the conflict: merge them again
    return _changed(base, local, remote)


def _first_meeting(local: SideView, remote: SideView) -> Action:
    """Neither a base nor a conflict: the folder and this database never synced it."""
    if remote.holds is Holds.NOTHING:
        # Trash that never left this laptop needs no tombstone.
        return Action.EXPORT_FRESH if local.holds is Holds.LIVE else Action.NOTHING
    if local.holds is Holds.PURGED:
        return Action.PURGED_HERE
    if local.holds is Holds.NOTHING:
        # A tombstone of a story this database never had is nothing to take.
        return Action.IMPORT if remote.holds is Holds.LIVE else Action.NOTHING
    return Action.ADOPT if local.hash == remote.hash else Action.MERGE


def _missing(base: BaseView, local: SideView, restore_missing: bool) -> Action:
    """A base or a conflict, and no file: the file vanished without a tombstone."""
    if not base.known:
        return Action.NOTHING  # a conflict met with no base, and its file gone since
    if restore_missing and local.holds in _HELD_HERE:
        return Action.RESTORE_MISSING
    if local.changed and local.holds in _HELD_HERE:
        return Action.MISSING_HELD
    return Action.MISSING


def _changed(base: BaseView, local: SideView, remote: SideView) -> Action:
    """A base and a file: which side changed since."""
    here = local.holds in _HELD_HERE
    # Purged here: a change unless the base is a tombstone already.
    local_changed = local.changed if here else not base.deleted
    if local_changed and remote.changed:
        return Action.MERGE
    if local_changed:
        return Action.TAKE_LOCAL if local.holds is Holds.LIVE else Action.TOMBSTONE
    if not remote.changed:
        return Action.BOOKKEEPING
    if here:
        return Action.TAKE_REMOTE
    # Purged here over a tombstone base: a live file is an edit made since (it wins);
    # another tombstone is only to be recorded.
    return Action.BRING_BACK if remote.holds is Holds.LIVE else Action.ADOPT
