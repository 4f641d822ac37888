"""A story's history as people read it: saves grouped into editing sessions.

Autosave writes every change as a revision; read one by one they are noise. A session is
a run of saves by one person with no more than SESSION_GAP between two of them and no
workflow step (submit, approve...) in between; it is shown once, with who, when, how many
saves and how many words came and went. Workflow steps and other events stand alone.
Pure functions over history events (store.records.HistoryEvent or alike).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

SESSION_GAP = timedelta(minutes=10)
EDITS = frozenset({"created", "edited", "reverted"})
_WORD_RE = re.compile(r"\S+")


class Event(Protocol):
    at: datetime
    actor: str
    action: str
    revision: int


@dataclass(frozen=True)
class Entry:
    """One line of the history: an editing session, or one event standing alone."""

    kind: str  # "session", or the action of an event that is not an edit
    actor: str
    start: datetime
    end: datetime
    first: int  # first revision saved in it (for an event: its revision)
    last: int
    events: tuple = ()
    added: int = 0  # words, from the revision before the session to its last one
    removed: int = 0
    names: tuple[tuple[int, str], ...] = ()  # named versions among its revisions

    @property
    def saves(self) -> int:
        return sum(1 for event in self.events if event.action in EDITS)

    @property
    def created(self) -> bool:
        return any(event.action == "created" for event in self.events)


def group(events: Sequence[Event], gap: timedelta = SESSION_GAP) -> list[Entry]:
    """The history's entries, oldest first: sessions of edits, and the other events."""
    entries: list[Entry] = []
    for event in events:
        last = entries[-1] if entries else None
        if (
            event.action in EDITS and last is not None and last.kind == "session"
            and last.actor == event.actor and event.at - last.end <= gap
            # Identity is the key: one name used by two keys is two people.
            and getattr(last.events[-1], "actor_key", "") == getattr(event, "actor_key", "")
        ):
            entries[-1] = replace(last, end=event.at, last=max(last.last, event.revision),
                                  events=(*last.events, event))
            continue
        kind = "session" if event.action in EDITS else event.action
        entries.append(Entry(kind, event.actor, event.at, event.at, event.revision,
                             event.revision, (event,)))
    return entries


def word_changes(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) from one text to the other."""
    a, b = _WORD_RE.findall(old), _WORD_RE.findall(new)
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def revision_before(numbers: Sequence[int], revision: int) -> int | None:
    """The saved revision just before `revision` (revisions may skip numbers), or None."""
    earlier = [n for n in numbers if n < revision]
    return max(earlier) if earlier else None


def describe(entry: Entry) -> str:
    """'Created', 'Edited (14 saves)', 'Submit'..."""
    if entry.kind != "session":
        return entry.kind.replace("_", " ").capitalize()
    what = "Created" if entry.created else "Edited"
    if entry.created and entry.saves > 1:
        what = "Created and edited"
    if any(event.action == "reverted" for event in entry.events):
        what = "Restored old text" if entry.saves == 1 else what + ", old text restored"
    return what if entry.saves == 1 else f"{what} ({entry.saves} saves)"
