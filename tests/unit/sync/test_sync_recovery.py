"""A pass killed at an exact point, then more edits and passes: merges stay clean.

Each test stands in for a SIGKILL by raising at one point of the pass (the random crash
loop of tests/reliability/test_crash_store.py found these cases) and checks that edits of
different paragraphs on the two laptops still merge without a conflict afterwards.
"""

from __future__ import annotations

import pytest

from newsdesk.disk.staged import StagedWrites
from newsdesk.store import Store
from newsdesk.sync import has_conflict, list_conflicts
from tests.unit.sync_helpers import BODY, edit, new_story, only_file, sync

FIRST, LAST = "The harbour bridge opened", "Buses return"


class _Killed(BaseException):
    """Stands for SIGKILL at one exact point of a pass."""


def _kill(monkeypatch: pytest.MonkeyPatch, *, renamed: bool) -> None:
    """The next pass dies once its batch committed: before any staged file is renamed,
    or right after the renames, before its pending bases become bases."""
    original = StagedWrites.commit

    def die(self: StagedWrites):
        monkeypatch.undo()
        if renamed:
            original(self)
        raise _Killed

    monkeypatch.setattr(StagedWrites, "commit", die)


def _line(store: Store, story_id: str, old: str, new: str) -> None:
    edit(store, story_id, body=store.get(story_id).body.replace(old, new))


def _expected(first: str, last: str) -> str:
    return BODY.replace(FIRST, first).replace(LAST, last)


@pytest.mark.parametrize("renamed", [False, True], ids=["before-renames", "after-renames"])
@pytest.mark.parametrize("a_edits_again", [False, True])
def test_merge_killed_before_its_base_is_recorded_is_not_a_false_conflict(
    laptops, monkeypatch, renamed: bool, a_edits_again: bool
):
    """B merges A's first line into its own last line and dies before the merged file
    becomes its base. B's database holds A's line already, so A's file is a common
    ancestor from then on: A editing its line again, then B its own, must merge cleanly
    (an older base made A's line a change on both sides: a false conflict)."""
    a, b, folder = laptops
    story = new_story(a)
    sync(a, folder)
    sync(b, folder)
    _line(a, story.id, FIRST, "A1")
    sync(a, folder)
    _line(b, story.id, LAST, "B1")
    _kill(monkeypatch, renamed=renamed)
    with pytest.raises(_Killed):
        sync(b, folder)
    assert b.get(story.id).body == _expected("A1", "B1")  # the batch committed
    assert ("B1" in only_file(folder).read_text(encoding="utf-8")) is renamed
    first = "A1"
    if a_edits_again:
        _line(a, story.id, "A1", "A2")
        sync(a, folder)
        first = "A2"
    _line(b, story.id, "B1", "B2")
    report = sync(b, folder)
    assert not report.attention, report.entries
    assert not has_conflict(b.db, story.id), list_conflicts(b.db)
    sync(a, folder)
    assert a.get(story.id).body == b.get(story.id).body == _expected(first, "B2")
    assert sync(a, folder).counts() == {} and sync(b, folder).counts() == {}
