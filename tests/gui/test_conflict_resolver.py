"""The conflict resolver window: take a side for the clashes only, keep a side whole on
purpose, and a deletion that stands unless the story is brought back."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.formats.markdown import loads
from newsdesk.ui.dialogs.sync_conflicts import ConflictResolver

BODY = "The ferry leaves at nine.\n\nTickets cost two coins.\n\nThe last boat is at ten.\n"


def conflicted(desk: Desk, tmp_path: Path, *, theirs_delete: bool = False) -> str:
    """The other laptop changes paragraph 1 and the tags (and may delete the story);
    this one changes paragraph 1 otherwise and paragraph 3. Returns the story id."""
    folder = tmp_path / "shared"
    story = desk.create(headline="Ferry times change", body=BODY, tags=("ferries",))
    desk.sync(folder)
    with Desk.open(tmp_path / "other.db") as other:
        other.sync(folder)
        theirs = other.get(story.id)
        other.save(
            theirs.replace(body=BODY.replace("nine", "half past nine"), tags=("ferries", "fares")),
            theirs.revision,
        )
        if theirs_delete:
            other.delete(story.id)
        other.sync(folder)
    mine = desk.get(story.id)
    desk.save(
        mine.replace(body=BODY.replace("nine", "eight").replace("ten", "eleven")), mine.revision
    )
    report = desk.sync(folder)
    assert report.of("conflict")
    return story.id


@pytest.fixture
def resolver(qtbot, qapp, desk):
    def make() -> ConflictResolver:
        dialog = ConflictResolver(desk)
        qtbot.addWidget(dialog)
        return dialog

    return make


def result(dialog: ConflictResolver):
    return loads(dialog.result.toPlainText())


def test_the_clash_is_named_and_the_result_starts_as_the_merge(desk, tmp_path, resolver):
    conflicted(desk, tmp_path)
    dialog = resolver()
    assert "body (paragraph 1)" in dialog.fields.text()
    assert not dialog.undelete.isVisibleTo(dialog)
    proposed = result(dialog)
    # Mine where we clash, and both sides' clean changes: my paragraph 3, their tag.
    assert proposed.body == BODY.replace("nine", "eight").replace("ten", "eleven")
    assert set(proposed.tags) == {"ferries", "fares"}


def test_take_theirs_for_the_clashes_keeps_my_other_changes(desk, tmp_path, resolver):
    story_id = conflicted(desk, tmp_path)
    dialog = resolver()
    dialog.take_theirs.click()
    expected = BODY.replace("nine", "half past nine").replace("ten", "eleven")
    assert result(dialog).body == expected
    kept = dialog.resolve()
    assert kept is not None and kept.body == expected and "fares" in kept.tags
    assert not desk.has_conflict(story_id)
    assert dialog.stories.count() == 0


def test_keeping_a_side_whole_is_explicit(desk, tmp_path, resolver):
    conflicted(desk, tmp_path)
    dialog = resolver()
    dialog.whole_theirs.click()
    assert result(dialog).body == BODY.replace("nine", "half past nine")
    assert "mine" in dialog.outcome.text() and "dropped" in dialog.outcome.text()
    dialog.whole_mine.click()
    assert result(dialog).body == BODY.replace("nine", "eight").replace("ten", "eleven")
    assert set(result(dialog).tags) == {"ferries"}


@pytest.mark.parametrize("bring_back", [False, True])
def test_a_deletion_stands_unless_the_story_is_brought_back(
    desk, tmp_path, resolver, bring_back
):
    story_id = conflicted(desk, tmp_path, theirs_delete=True)
    dialog = resolver()
    assert "deleted on the other side" in dialog.fields.text()
    assert dialog.undelete.isVisibleTo(dialog)
    dialog.undelete.setChecked(bring_back)
    assert dialog.resolve() is not None
    in_trash = desk.store.find(story_id[:8], deleted=True) if not bring_back else None
    if bring_back:
        assert desk.find(story_id[:8]).id == story_id
        assert "every laptop" in dialog.outcome.text()
    else:
        assert in_trash is not None and "eight" in in_trash.body
        assert "deletion stands" in dialog.outcome.text()
