"""SyncReport: what one sync pass did, found and refused, for the CLI and the window."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Kinds of entries. The first group are changes, the second need a person's attention.
CHANGE_KINDS: tuple[str, ...] = (
    "exported",  # a story written to its file (new, or changed in the database)
    "imported",  # a new story from the folder added to the database
    "updated",  # the database took a change made in the folder
    "merged",  # both sides changed and the merge was clean
    "deleted",  # a tombstone in the folder moved the story to the trash here
    "tombstone",  # a story deleted here is now a tombstone file
    "moved",  # a file renamed or moved by hand, found by its id
    "renamed",  # a story's slug changed: an older story from another laptop keeps it
    "git",  # what the git transport did
    "note",  # something worth knowing that needs nothing
)
ATTENTION_KINDS: tuple[str, ...] = (
    "conflict",  # both sides changed the same thing; kept both, resolve it
    "missing",  # a known file vanished without a tombstone; nothing was deleted
    "invalid",  # a file that cannot be read as a story; left untouched
    "skipped",  # a story not synced this time (changed during the pass, disk error...)
    "rejected",  # a status or signed action this laptop does not accept; the rest merged
    "error",  # the transport failed (git fetch, merge or push); see `outcome`
)

# What a sync came to, and the exit code of `newsdesk sync` for it. A sync that both
# failed to deliver and needs a person is "not_delivered": the next sync, which a script
# runs again anyway, then says "needs_person" if that still stands.
OUTCOMES: dict[str, int] = {"ok": 0, "needs_person": 1, "stopped": 2, "not_delivered": 3}
# Entries that mean this laptop's changes and the other side's did not all get across:
# a story left for the next pass (skipped), or the git transport failed (error).
NOT_DELIVERED_KINDS: tuple[str, ...] = ("skipped", "error")
# Entries only a person can settle: a conflict to resolve, a vanished or broken file, a
# status change this laptop refused (someone must look at who claimed it).
NEEDS_PERSON_KINDS: tuple[str, ...] = ("conflict", "missing", "invalid", "rejected")


def outcome_of(stopped: bool, kinds: set[str]) -> str:
    """The outcome of a sync from whether it stopped and the kinds of its entries."""
    if stopped:
        return "stopped"
    if kinds & set(NOT_DELIVERED_KINDS):
        return "not_delivered"
    if kinds & set(NEEDS_PERSON_KINDS):
        return "needs_person"
    return "ok"


@dataclass(frozen=True)
class SyncEntry:
    kind: str
    message: str
    story_id: str = ""
    path: str = ""


@dataclass
class SyncReport:
    folder: str
    entries: list[SyncEntry] = field(default_factory=list)
    stopped: str = ""  # why the pass stopped before changing anything, "" if it ran
    # A digest of the story tree when the pass found all of it settled and wrote nothing
    # ("" otherwise): the same digest under the same commit means nothing to stage.
    tree: str = ""
    # The same digest of the tree as the walk found it before the pass wrote anything,
    # when it found every group settled ("" otherwise): the same digest under the same
    # commit means that only the files the pass wrote need staging.
    tree_before: str = ""

    def add(self, kind: str, message: str, story_id: str = "", path: str = "") -> None:
        self.entries.append(SyncEntry(kind, message, story_id, path))

    def of(self, kind: str) -> list[SyncEntry]:
        return [e for e in self.entries if e.kind == kind]

    def counts(self) -> dict[str, int]:
        return dict(Counter(e.kind for e in self.entries))

    @property
    def attention(self) -> list[SyncEntry]:
        return [e for e in self.entries if e.kind in ATTENTION_KINDS]

    @property
    def ok(self) -> bool:
        """True when the pass ran and nothing needs a person."""
        return not self.stopped and not self.attention

    @property
    def outcome(self) -> str:
        """ok, needs_person, not_delivered or stopped (see OUTCOMES)."""
        return outcome_of(bool(self.stopped), {e.kind for e in self.entries})

    @property
    def delivered(self) -> bool:
        """True when every change got across both ways (conflicts are delivered: both
        versions are kept); False when the pass stopped, a story was left for the next
        sync, or the git transport failed."""
        return self.outcome in ("ok", "needs_person")

    @property
    def exit_code(self) -> int:
        return OUTCOMES[self.outcome]

    def summary(self) -> str:
        """One line: what happened, in counts."""
        if self.stopped:
            return f"sync stopped, nothing was changed: {self.stopped}"
        counts = self.counts()
        parts = [
            f"{counts[kind]} {kind}"
            for kind in (*CHANGE_KINDS, *ATTENTION_KINDS)
            if counts.get(kind) and kind not in ("git", "note")
        ]
        done = "sync done: " + (", ".join(parts) if parts else "nothing to do")
        return done + _OUTCOME_WORDS[self.outcome]


_OUTCOME_WORDS = {
    "ok": "",
    "needs_person": "; needs a person",
    "not_delivered": "; NOT DELIVERED, sync again",
    "stopped": "",
}
