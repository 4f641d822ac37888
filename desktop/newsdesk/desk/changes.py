"""What an operation changed (Changes), and who is told: every Desk operation that changes
data reports it to the Desk's subscribers, whoever called it.

The window subscribes (ui/events.py) and each pane decides what to show again from the
Changes alone, so no caller decides what to refresh. The same record comes from the
change feed for writes made by other connections (Desk.outside_changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@dataclass(frozen=True)
class Changes:
    """Story ids created, changed and deleted (moved to the trash or purged), and whether
    the sections or the open sync conflicts changed. `everything`: the whole database may
    differ (a backup restored, the file replaced); every view reads it again. `wire`: the
    incoming wire queue changed (items arrived, one was taken, an update merged)."""

    created: frozenset[str] = field(default_factory=frozenset)
    changed: frozenset[str] = field(default_factory=frozenset)
    deleted: frozenset[str] = field(default_factory=frozenset)
    sections: bool = False
    conflicts: bool = False
    everything: bool = False
    wire: bool = False

    @classmethod
    def of(
        cls,
        *,
        created: Iterable[str] = (),
        changed: Iterable[str] = (),
        deleted: Iterable[str] = (),
        sections: bool = False,
        conflicts: bool = False,
        everything: bool = False,
        wire: bool = False,
    ) -> Changes:
        """Changes from any iterables of ids."""
        return cls(_ids(created), _ids(changed), _ids(deleted), sections, conflicts, everything,
                   wire)

    def __bool__(self) -> bool:
        return bool(
            self.created or self.changed or self.deleted or self.sections or self.conflicts
            or self.everything or self.wire
        )

    def __or__(self, other: Changes) -> Changes:
        """Both changes as one (a story created, then changed, is created)."""
        created = self.created | other.created
        deleted = (self.deleted | other.deleted) - (other.created | other.changed)
        return Changes(
            created - deleted,
            (self.changed | other.changed) - created - deleted,
            deleted,
            self.sections or other.sections,
            self.conflicts or other.conflicts,
            self.everything or other.everything,
            self.wire or other.wire,
        )

    @property
    def stories(self) -> frozenset[str]:
        """Every story id concerned."""
        return self.created | self.changed | self.deleted

    def touches(self, story_id: str) -> bool:
        """Whether this story may have changed (always, when everything did)."""
        return self.everything or story_id in self.stories


NOTHING = Changes()

Subscriber = Callable[[Changes], None]


class Subscribers:
    """The callables told of every Changes; a subscriber that raises does not stop the
    others, nor the operation that already happened (its error is re-raised after)."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Tell `subscriber` of every change from now on; returns what stops that."""
        self._subscribers.append(subscriber)
        return lambda: self.unsubscribe(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if subscriber in self._subscribers:
            self._subscribers.remove(subscriber)

    def notify(self, changes: Changes) -> Changes:
        """Tell every subscriber (nothing when nothing changed); returns `changes`."""
        if not changes:
            return changes
        problem: Exception | None = None
        for subscriber in list(self._subscribers):
            try:
                subscriber(changes)
            except Exception as exc:  # the data changed anyway: tell the others first
                problem = problem or exc
        if problem is not None:
            raise problem
        return changes


def from_feed(rows: Iterable[tuple[str, int, bool]]) -> Changes:
    """Changes from change-feed rows (id, change counter, in the trash): a story in the
    trash was deleted, any other changed (the feed does not tell a new story from an
    edited one; a view treats a changed story it does not show as new to it)."""
    changed: set[str] = set()
    deleted: set[str] = set()
    for story_id, _seq, trashed in rows:
        (deleted if trashed else changed).add(story_id)
    return Changes.of(changed=changed, deleted=deleted)
