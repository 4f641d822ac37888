"""What an item arriving on the wire is to the queue: new, an update, old news or a duplicate.

`on_arrival` is the rule, a pure function of what the queue already holds; `plan` applies
it to a burst of items in order, so that two versions of one story in the same burst, or
one story from two feeds in it, are told apart exactly as if they had come one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from newsdesk.formats.wire_item import WireItem

Decision = Literal["new", "update", "older_or_same", "duplicate"]


@dataclass
class Arrivals:
    """What a burst did to the queue: how many items of each decision."""

    new: int = 0
    update: int = 0
    older_or_same: int = 0
    duplicate: int = 0

    def count(self, decision: Decision) -> None:
        setattr(self, decision, getattr(self, decision) + 1)

    def add(self, other: Arrivals) -> None:
        for name in ("new", "update", "older_or_same", "duplicate"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.update, "already_queued": self.older_or_same,
                "duplicates": self.duplicate}


@dataclass(frozen=True)
class Known:
    """What the queue holds for one guid: its version and whether it is a duplicate."""

    version: int
    duplicate: bool = False


@dataclass(frozen=True)
class Arrival:
    """One item of a burst and what it is; `twin` is the guid a duplicate repeats."""

    item: WireItem
    decision: Decision
    twin: str = ""


def on_arrival(existing: Known | None, twin: str | None, item: WireItem) -> Decision:
    """The rule. The agency's guid names a story across its versions: a higher version
    updates it, the same or a lower one changes nothing (a re-delivery, or an old version
    arriving late). A guid never seen whose text (fingerprint) another item already has
    is the same story from another feed: kept, but shown once."""
    if existing is not None:
        return "update" if item.version > existing.version else "older_or_same"
    if twin is not None:
        return "duplicate"
    return "new"


def plan(
    items: Iterable[WireItem], known: Mapping[str, Known], twins: Mapping[str, str]
) -> list[Arrival]:
    """Each item's decision, taking the earlier items of the burst as already queued.

    `known`: the queue's guids among the items'; `twins`: for each fingerprint among the
    items', the guid of the (non-duplicate) queued item that has it."""
    seen = dict(known)
    texts = dict(twins)
    arrivals = []
    for item in items:
        existing = seen.get(item.guid)
        twin = texts.get(item.fingerprint)
        if twin == item.guid:
            twin = None
        decision = on_arrival(existing, twin, item)
        arrivals.append(Arrival(item, decision, (twin or "") if decision == "duplicate" else ""))
        if decision == "new":
            seen[item.guid] = Known(item.version)
            texts.setdefault(item.fingerprint, item.guid)
        elif decision == "duplicate":
            seen[item.guid] = Known(item.version, duplicate=True)
        elif decision == "update":
            seen[item.guid] = Known(item.version, existing.duplicate if existing else False)
            if existing is not None and not existing.duplicate:
                texts.setdefault(item.fingerprint, item.guid)
    return arrivals
