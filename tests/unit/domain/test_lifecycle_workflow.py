"""After publication in the workflow: correct, update and kill, who may, from where, and
what each needs (a table of cases, written out by hand)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsdesk.domain import lifecycle, workflow
from newsdesk.domain.workflow import WorkflowError, apply
from tests.unit.domain.test_workflow import CHIEF, NOW, SECOND_CHIEF, WRITER, Who, make_story

EDITED = {"deck": "A corrected deck", "revision": 4}

# (who, status, edited since the approval, action) -> the status it leads to, or the start
# of why not.
CASES = [
    (WRITER, "published", True, "correct", "published"),
    (WRITER, "published", True, "update", "published"),
    (CHIEF, "published", True, "correct", "published"),
    (WRITER, "published", False, "correct", "cannot correct: the text is the one published"),
    (WRITER, "published", False, "update", "cannot update: the text is the one published"),
    (WRITER, "approved", True, "correct", "cannot correct: the story is approved"),
    (WRITER, "draft", False, "update", "cannot update: the story is a draft"),
    (WRITER, "published", False, "kill", "only a desk chief can kill"),
    (CHIEF, "published", False, "kill", "killed"),
    (CHIEF, "approved", False, "kill", "killed"),
    (CHIEF, "in_review", False, "kill", "cannot kill: the story is in review"),
    (CHIEF, "spiked", False, "kill", "cannot kill: the story is spiked"),
    (CHIEF, "killed", False, "kill", "cannot kill: the story was killed"),
    (CHIEF, "killed", False, "restore", "cannot restore: the story was killed"),
    (CHIEF, "killed", False, "spike", "cannot spike: the story was killed"),
    (CHIEF, "killed", True, "approve", "cannot approve: the story was killed"),
    (WRITER, "killed", True, "correct", "cannot correct: the story was killed"),
]


@pytest.mark.parametrize(("who", "status", "edited", "action", "outcome"), CASES)
def test_lifecycle_transitions(who: Who, status: str, edited: bool, action: str,
                               outcome: str) -> None:
    story = make_story(status)
    if edited:
        story = story.replace(**EDITED)
    reason = workflow.refusal(story, action, who, now=NOW)
    if outcome in ("published", "killed"):
        assert reason is None
        result = apply(story, action, who, note="The deck gave the wrong pier.", now=NOW)
        assert result.story.status == outcome
        assert result.record is not None and result.record.note == "The deck gave the wrong pier."
        assert result.record.content_hash == story.content_hash
    else:
        assert reason is not None and reason.startswith(outcome), reason
        with pytest.raises(WorkflowError):
            apply(story, action, who, note="a note", now=NOW)


@pytest.mark.parametrize("action", ["correct", "update", "kill"])
def test_a_lifecycle_action_needs_its_note(action: str) -> None:
    story = make_story("published").replace(**EDITED)
    who = CHIEF if action == "kill" else WRITER
    with pytest.raises(WorkflowError, match="a note is required"):
        apply(story, action, who, note="  ", now=NOW)


def test_kill_obeys_four_eyes() -> None:
    story = make_story("published", modified_by=CHIEF.name)
    assert "four-eyes" in (workflow.refusal(story, "kill", CHIEF) or "")
    assert workflow.refusal(story, "kill", SECOND_CHIEF) is None


def test_the_note_binds_to_the_text_it_was_recorded_for() -> None:
    story = make_story("published").replace(**EDITED)
    noted = apply(story, "correct", WRITER, note="The deck was wrong.", now=NOW).story
    assert workflow.refusal(noted, "approve", SECOND_CHIEF) is None
    # Edited again after the note: the note covers text that is no longer there.
    again = noted.replace(deck="Another deck", revision=5)
    assert "record the change" in (workflow.refusal(again, "approve", SECOND_CHIEF) or "")


def test_the_notes_a_version_carries() -> None:
    story = make_story("published")
    first = story.replace(**EDITED)
    first = apply(first, "correct", WRITER, note="Dropped.", now=NOW).story
    second = first.replace(deck="Final deck", revision=5)
    second = apply(second, "correct", WRITER, note="Kept.", now=NOW + timedelta(seconds=1)).story
    approved = apply(second, "approve", SECOND_CHIEF, now=NOW + timedelta(seconds=2))
    published = apply(approved.story, "publish", CHIEF, now=NOW + timedelta(seconds=3)).story
    carried = lifecycle.notes(published.actions, approved.approval)
    assert [n.text for n in carried] == ["Kept."]
    assert lifecycle.version(lifecycle.note_actions(published.actions, approved.approval)) == 2
    # Before the correction was approved, the version that went out carried none.
    assert lifecycle.notes(second.actions, story.approvals[-1]) == ()
    updated = published.replace(body="Police have made a statement.", revision=6)
    updated = apply(updated, "update", WRITER, note="adds police statement",
                    now=NOW + timedelta(hours=4, minutes=35)).story
    assert lifecycle.notes(updated.actions, approved.approval) == carried  # not approved yet
    again = apply(updated, "approve", SECOND_CHIEF, now=NOW + timedelta(hours=5))
    lines = [n.line() for n in lifecycle.notes(again.story.actions, again.approval)]
    assert lines == ["Correction, 2 Mar 2026: Kept.",
                     "Updated 14:05 UTC, 2 Mar 2026: adds police statement"]


@pytest.mark.parametrize(("status", "allowed"), [
    ("draft", True), ("in_review", True), ("approved", True), ("published", True),
    ("spiked", True), ("killed", False),
])
def test_who_may_change_the_type(status, allowed) -> None:
    refused = workflow.type_refusal(make_story(status))
    assert (refused is None) == allowed
    if not allowed:
        assert refused == ("cannot change the type: the story was killed; a killed story "
                           "stays killed")
