"""The Desk's gate: submit and approve refuse a story that breaks its type's rules (the
window and the CLI both call Desk.transition), after the workflow's own refusals."""

from __future__ import annotations

import pytest

from newsdesk.copydesk.story_types import TypeGateError
from newsdesk.desk import Desk
from newsdesk.domain.workflow import WorkflowError
from newsdesk.identity.profile import Profile


@pytest.fixture
def desk(tmp_path):
    writer = Profile("Ada Writer", "editor", folder=tmp_path / "writer").save()
    with Desk.open(tmp_path / "desk.db") as opened:
        opened.use_profile(writer)
        yield opened


def test_submit_is_refused_with_every_failure_and_changes_nothing(desk: Desk) -> None:
    story = desk.create(headline="Harbour notes", body="word " * 300, type="brief")
    with pytest.raises(TypeGateError) as refused:
        desk.transition(story.id, "submit")
    assert refused.value.failures == ["Brief is 300 words (at most 250, 50 over)"]
    after = desk.get(story.id)
    assert (after.status, after.revision, after.actions) == ("draft", story.revision, ())
    assert [event.action for event in desk.history(story.id)] == ["created"]


def test_the_workflow_refusal_comes_first(desk: Desk) -> None:
    story = desk.create(headline="Harbour notes", body="", type="brief")
    with pytest.raises(WorkflowError) as refused:
        desk.transition(story.id, "approve")  # an editor cannot approve at all
    assert not isinstance(refused.value, TypeGateError)


def test_a_story_that_keeps_its_types_rules_goes_through(desk: Desk) -> None:
    story = desk.create(headline="Harbour notes", body="word " * 100, type="brief")
    assert desk.transition(story.id, "submit").status == "in_review"
