"""The window's decisions about the Changes it hears, as tables: what the story list does
(`plan_update`) and what the open story does (`reaction`). Pure functions: no window."""

from __future__ import annotations

import pytest

from newsdesk.desk import Changes
from newsdesk.domain.model import Story
from newsdesk.ui import open_story
from newsdesk.ui.panes.list_update import IN_PLACE_LIMIT, ListUpdate, plan_update

SHOWN = ("a", "b", "c")
MANY = [f"s{n}" for n in range(IN_PLACE_LIMIT + 1)]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (Changes(), ListUpdate()),
        (Changes(sections=True), ListUpdate()),
        (Changes(conflicts=True), ListUpdate()),
        (Changes.of(changed=["a"]), ListUpdate(rows=frozenset({"a"}))),
        (Changes.of(changed=["a", "c"]), ListUpdate(rows=frozenset({"a", "c"}))),
        # Not shown: it may now belong to the filter or the page.
        (Changes.of(changed=["z"]), ListUpdate(repage=True, recount=True)),
        (Changes.of(changed=["a", "z"]), ListUpdate(repage=True, recount=True)),
        (Changes.of(created=["z"]), ListUpdate(repage=True, recount=True)),
        (Changes.of(deleted=["b"]), ListUpdate(repage=True, recount=True)),
        # Gone from somewhere the list does not show: only the counts move.
        (Changes.of(deleted=["z"]), ListUpdate(recount=True)),
        (Changes(everything=True), ListUpdate(repage=True, recount=True)),
        # A sync touching many: one re-read of the pages, not a query per row.
        (Changes.of(changed=[*SHOWN, *MANY]), ListUpdate(repage=True, recount=True)),
    ],
)
def test_what_the_list_does(changes, expected):
    plan = plan_update(changes, SHOWN)
    assert (plan.repage, set(plan.rows), plan.recount) == (
        expected.repage, set(expected.rows), expected.recount)


def test_many_changed_rows_all_shown_are_read_again_as_pages():
    shown = [f"s{n}" for n in range(IN_PLACE_LIMIT + 1)]
    assert plan_update(Changes.of(changed=shown), shown).repage
    assert not plan_update(Changes.of(changed=shown[:IN_PLACE_LIMIT]), shown).repage


BASE = Story(id="s1", headline="Ferry", body="At nine.", revision=2)
NEW_TEXT = BASE.replace(body="At ten.", revision=3)
NEW_STATUS = BASE.replace(status="in_review")


@pytest.mark.parametrize(
    ("base", "fresh", "dirty", "expected"),
    [
        (None, BASE, False, open_story.NOTHING),
        (None, None, True, open_story.NOTHING),
        (BASE, BASE, False, open_story.NOTHING),
        (BASE, BASE, True, open_story.NOTHING),
        (BASE, NEW_STATUS, False, open_story.REBASE),
        (BASE, NEW_STATUS, True, open_story.REBASE),
        (BASE, NEW_TEXT, False, open_story.RELOAD),
        (BASE, NEW_TEXT, True, open_story.BANNER),
        (BASE, BASE.replace(revision=3), False, open_story.RELOAD),
        (BASE, BASE.replace(extra={"desk": "night"}), True, open_story.BANNER),
        (BASE, None, False, open_story.GONE),
        (BASE, None, True, open_story.GONE_BANNER),
    ],
)
def test_what_the_open_story_does(base, fresh, dirty, expected):
    assert open_story.reaction(base, fresh, dirty) == expected
