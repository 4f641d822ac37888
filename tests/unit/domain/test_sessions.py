"""Editing sessions and named versions: the history as people read it (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.domain.sessions import describe, group, revision_before, word_changes
from newsdesk.identity.profile import Profile

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ev:
    minutes: float
    actor: str
    action: str
    revision: int

    @property
    def at(self) -> datetime:
        return T0 + timedelta(minutes=self.minutes)


def test_saves_in_a_burst_by_one_person_are_one_session():
    events = [
        Ev(0, "Ada", "created", 1), Ev(0.2, "Ada", "edited", 2), Ev(5, "Ada", "edited", 3),
        Ev(9.9, "Ada", "edited", 4),  # under ten minutes since the last save
        Ev(30, "Ada", "edited", 5),  # a pause: a new session
        Ev(31, "Bo", "edited", 6),  # someone else: a new session
        Ev(32, "Bo", "submit", 6),  # a workflow step stands alone...
        Ev(33, "Bo", "edited", 7),  # ...and ends the session before it
    ]
    entries = group(events)
    assert [(e.kind, e.actor, e.first, e.last, e.saves) for e in entries] == [
        ("session", "Ada", 1, 4, 4), ("session", "Ada", 5, 5, 1),
        ("session", "Bo", 6, 6, 1), ("submit", "Bo", 6, 6, 0), ("session", "Bo", 7, 7, 1),
    ]
    assert entries[0].start == T0 and entries[0].end == T0 + timedelta(minutes=9.9)
    assert [describe(e) for e in entries] == [
        "Created and edited (4 saves)", "Edited", "Edited", "Submit", "Edited",
    ]


@pytest.mark.parametrize(("old", "new", "changes"), [
    ("", "one two three", (3, 0)),
    ("one two three", "one two three", (0, 0)),
    ("the tram runs daily", "the tram runs hourly now", (2, 1)),
    ("a b c", "", (0, 3)),
])
def test_word_changes(old, new, changes):
    assert word_changes(old, new) == changes


def test_revision_before_skips_missing_numbers():
    assert revision_before([1, 2, 5, 9], 5) == 2
    assert revision_before([3, 4], 3) is None


def test_desk_history_entries_measure_sessions_and_carry_names(tmp_path):
    with Desk.open(tmp_path / "desk.db") as desk:
        desk.use_profile(Profile("Ada Writer", "editor"))
        story = desk.create(headline="Tram", body="The tram runs daily.")
        story = desk.save(story.replace(body="The tram runs daily and nightly."), 1)
        desk.name_version(story.id, 2, "  as   subbed ")
        [entry] = desk.history_entries(story.id)
        assert (entry.first, entry.last, entry.saves) == (1, 2, 2)
        assert (entry.added, entry.removed) == (6, 0)  # from nothing to six words
        assert entry.names == ((2, "as subbed"),)
        assert desk.named_versions(story.id)[2].named_by == "Ada Writer"
        desk.name_version(story.id, 2, "")
        assert desk.named_versions(story.id) == {}
        with pytest.raises(NewsdeskError, match="no revision 9"):
            desk.name_version(story.id, 9, "legal-checked")
        with pytest.raises(NewsdeskError, match="one line"):
            desk.name_version(story.id, 1, "two\nlines")
        with pytest.raises(NewsdeskError, match="at most 80"):
            desk.name_version(story.id, 1, "x" * 81)
