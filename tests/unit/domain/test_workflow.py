"""The workflow state machine: every allowed and refused transition, four eyes, voiding."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.domain import workflow
from newsdesk.domain.model import Approval, NewsdeskError, Story
from newsdesk.domain.workflow import WorkflowError, allowed_actions, apply

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Who:
    name: str
    role: str


WRITER = Who("Ada Writer", "editor")
OTHER_EDITOR = Who("Ben Other", "editor")
CHIEF = Who("Xu Fang", "desk_chief")
SECOND_CHIEF = Who("Li Wei", "desk_chief")


def make_story(status: str = "draft", **changes: object) -> Story:
    story = Story(
        slug="harbour-ferry",
        headline="Harbour ferry returns after winter repairs",
        body="The ferry is back.\n\nCommuters cheered at the pier.",
        revision=3,
        modified_by=WRITER.name,
        status=status,
    )
    if status in ("approved", "published"):
        story = story.replace(approvals=(approval_of(story),))
    return story.replace(**changes)


def approval_of(story: Story, approver: str = CHIEF.name) -> Approval:
    return Approval(approver, story.revision, story.content_hash, NOW - timedelta(hours=1))


# Expected outcome of every (status, action) for a desk chief who did not write the story;
# an editor may only submit a draft. Written out by hand, not derived from the code.
CHIEF_ALLOWED = {
    ("draft", "submit"): "in_review",
    ("in_review", "request_changes"): "draft",
    ("in_review", "approve"): "approved",
    ("approved", "request_changes"): "draft",
    ("approved", "publish"): "published",
    ("draft", "spike"): "spiked",
    ("in_review", "spike"): "spiked",
    ("approved", "spike"): "spiked",
    ("published", "spike"): "spiked",
    ("spiked", "restore"): "draft",
}
EDITOR_ALLOWED = {("draft", "submit"): "in_review"}
STATUSES = ("draft", "in_review", "approved", "published", "spiked")
CASES = [
    (actor, status, action)
    for actor in (WRITER, CHIEF)
    for status in STATUSES
    for action in workflow.ACTIONS
]


@pytest.mark.parametrize(
    ("actor", "status", "action"), CASES, ids=[f"{a.role}-{s}-{x}" for a, s, x in CASES]
)
def test_every_transition(actor: Who, status: str, action: str) -> None:
    story = make_story(status)
    allowed = (CHIEF_ALLOWED if actor.role == "desk_chief" else EDITOR_ALLOWED).get(
        (status, action)
    )
    reasons = allowed_actions(story, actor, now=NOW)
    if allowed:
        assert reasons[action] is None
        result = apply(story, action, actor, note="fix the second paragraph", now=NOW)
        assert result.story.status == allowed
        assert result.event.from_status == status
        assert result.event.to_status == allowed
        assert result.event.actor == actor.name
        assert result.event.revision == story.revision
        assert result.story.revision == story.revision
    else:
        assert reasons[action]
        with pytest.raises(WorkflowError) as info:
            apply(story, action, actor, note="a note", now=NOW)
        assert str(info.value) == reasons[action]
        assert story.status == status


@pytest.mark.parametrize("action", sorted(workflow.CHIEF_ACTIONS))
def test_editor_refusal_names_the_role(action: str) -> None:
    reason = workflow.refusal(make_story("in_review"), action, OTHER_EDITOR)
    assert reason is not None
    assert "only a desk chief" in reason
    assert "Ben Other is an editor" in reason


def test_wrong_status_says_what_to_do() -> None:
    reason = workflow.refusal(make_story("draft"), "approve", CHIEF)
    assert reason == "cannot approve: the story is a draft; submit it for review first"
    assert "restore it first" in workflow.refusal(make_story("spiked"), "approve", CHIEF)


def test_four_eyes_refuses_the_last_editor() -> None:
    story = make_story("in_review", modified_by="Xu Fang", revision=4)
    with pytest.raises(WorkflowError) as info:
        apply(story, "approve", CHIEF, now=NOW)
    assert str(info.value) == (
        "Xu Fang last edited revision 4; four-eyes rule: someone else must approve it"
    )


def test_four_eyes_ignores_case_and_spacing() -> None:
    story = make_story("in_review", modified_by="  xu   FANG ")
    assert "four-eyes" in allowed_actions(story, CHIEF)["approve"]


def test_four_eyes_can_be_switched_off() -> None:
    story = make_story("in_review", modified_by=CHIEF.name)
    result = apply(story, "approve", CHIEF, now=NOW, four_eyes=False)
    assert result.story.status == "approved"


def test_four_eyes_does_not_stop_other_actions_by_the_last_editor() -> None:
    story = make_story("in_review", modified_by=CHIEF.name)
    reasons = allowed_actions(story, CHIEF)
    assert reasons["request_changes"] is None
    assert reasons["spike"] is None


def test_conflict_blocks_approve_and_publish() -> None:
    reason = workflow.refusal(make_story("in_review"), "approve", CHIEF, has_conflict=True)
    assert "unresolved sync conflict" in reason
    reason = workflow.refusal(make_story("approved"), "publish", CHIEF, has_conflict=True)
    assert "unresolved sync conflict" in reason
    assert workflow.refusal(make_story("draft"), "submit", WRITER, has_conflict=True) is None


@pytest.mark.parametrize("note", ["", "   \n "])
def test_request_changes_needs_a_note(note: str) -> None:
    with pytest.raises(WorkflowError, match="a note is required"):
        apply(make_story("in_review"), "request_changes", CHIEF, note=note)


def test_request_changes_keeps_the_note() -> None:
    result = apply(make_story("approved"), "request-changes", CHIEF, note="  Check the date. ")
    assert result.event.note == "Check the date."
    assert result.event.action == "request_changes"
    assert result.story.status == "draft"


def test_approve_records_revision_hash_and_time() -> None:
    story = make_story("in_review")
    result = apply(story, "approve", CHIEF, now=NOW.replace(microsecond=123))
    approval = result.story.approvals[-1]
    assert approval == result.approval
    assert approval.approver == "Xu Fang"
    assert approval.revision == 3
    assert approval.content_hash == story.content_hash
    assert approval.approved_at == NOW
    assert result.story.current_approval == approval
    assert story.approvals == ()  # the input is left alone


def test_approve_uses_the_signer() -> None:
    seen = []

    def sign(story_id: str, approval: Approval) -> Approval:
        seen.append(story_id)
        return replace(approval, signature="SIG", public_key="PK")

    story = make_story("in_review")
    result = apply(story, "approve", CHIEF, now=NOW, sign=sign)
    assert seen == [story.id]
    assert result.story.approvals[-1].signature == "SIG"


def test_edit_after_approval_voids_it() -> None:
    story = make_story("approved")
    assert not workflow.needs_reapproval(story)
    edited = story.replace(body=story.body + "\n\nA late paragraph.", revision=4,
                           modified_by=OTHER_EDITOR.name)
    assert edited.approval_voided
    assert workflow.needs_reapproval(edited)
    assert workflow.effective_status(edited) == "in_review"
    assert edited.status == "approved"
    assert "needs re-approval (edited after approval)" in workflow.status_label(edited)
    reasons = allowed_actions(edited, CHIEF, now=NOW)
    assert reasons["publish"] == (
        "cannot publish: the approval of revision 3 by Xu Fang was voided by a later edit "
        "(now revision 4); it must be approved again"
    )
    assert reasons["approve"] is None
    again = apply(edited, "approve", CHIEF, now=NOW).story
    assert not workflow.needs_reapproval(again)
    assert len(again.approvals) == 2
    assert apply(again, "publish", CHIEF, now=NOW).story.status == "published"


def test_editing_the_ednote_does_not_void() -> None:
    story = make_story("approved")
    noted = story.replace(ednote="Photo desk: crop wider", revision=4)
    assert not workflow.needs_reapproval(noted)
    assert workflow.refusal(noted, "publish", CHIEF, now=NOW) is None


def test_reapproval_after_edit_obeys_four_eyes() -> None:
    story = make_story("approved")
    edited = story.replace(headline="Harbour ferry is back", revision=4, modified_by=CHIEF.name)
    assert "four-eyes" in workflow.refusal(edited, "approve", CHIEF)
    assert workflow.refusal(edited, "approve", SECOND_CHIEF) is None


def test_already_approved_cannot_be_approved_again() -> None:
    reason = workflow.refusal(make_story("approved"), "approve", SECOND_CHIEF)
    assert reason == (
        "cannot approve: revision 3 is already approved by Xu Fang and has not changed since"
    )


def test_published_then_corrected_goes_round_again() -> None:
    story = make_story("published")
    assert workflow.refusal(story, "approve", SECOND_CHIEF) is not None
    corrected = story.replace(deck="Corrected deck", revision=4)
    assert workflow.effective_status(corrected) == "in_review"
    # The change needs its note (a correction or an update) before it can be approved.
    assert "record the change as a correction" in (
        workflow.refusal(corrected, "approve", SECOND_CHIEF) or ""
    )
    corrected = apply(corrected, "correct", WRITER, note="The deck was wrong.", now=NOW).story
    assert corrected.status == "published"
    result = apply(corrected, "approve", SECOND_CHIEF, now=NOW)
    assert result.story.status == "approved"
    assert apply(result.story, "publish", CHIEF, now=NOW).story.status == "published"


def test_approved_status_without_any_approval_cannot_publish() -> None:
    story = make_story("draft").replace(status="approved")
    assert workflow.needs_reapproval(story)
    assert "no approval on record" in workflow.refusal(story, "publish", CHIEF)
    assert "no approval on record" in workflow.status_label(story)


def test_embargo_blocks_publish_until_it_lifts() -> None:
    story = make_story("approved").replace(embargo=NOW + timedelta(hours=2))
    story = story.replace(approvals=(approval_of(story),))
    assert "embargoed until 2026-03-02T11:30:00+00:00" in workflow.refusal(
        story, "publish", CHIEF, now=NOW
    )
    later = NOW + timedelta(hours=3)
    assert apply(story, "publish", CHIEF, now=later).story.status == "published"


def test_unknown_action_and_role() -> None:
    with pytest.raises(WorkflowError, match="unknown action 'frobnicate'"):
        apply(make_story(), "frobnicate", CHIEF)
    with pytest.raises(WorkflowError, match="unknown role"):
        workflow.normalize_role("intern")
    assert workflow.normalize_role("Desk chief") == "desk_chief"
    assert workflow.normalize_action("Request changes") == "request_changes"
    assert issubclass(WorkflowError, NewsdeskError)
    odd = Who("Ghost", "intern")
    assert "no known role" in workflow.refusal(make_story(), "submit", odd)


def test_waiting_for() -> None:
    review = make_story("in_review")
    assert workflow.is_waiting_for(review, CHIEF)
    assert not workflow.is_waiting_for(review, WRITER)
    assert workflow.is_waiting_for(make_story("draft"), WRITER)
    assert not workflow.is_waiting_for(make_story("draft"), OTHER_EDITOR)
    voided = make_story("approved").replace(body="Rewritten.", revision=4)
    assert workflow.is_waiting_for(voided, CHIEF)
    assert not workflow.is_waiting_for(make_story("approved"), CHIEF)


# Four eyes by key: (key that saved the revision, other keys that saved this text,
# approver's key, names alike?) -> refused? Written out by hand.
FOUR_EYES_BY_KEY = [
    ("k-writer", (), "k-chief", False, False),
    ("k-chief", (), "k-chief", False, True),  # renamed: another name, the same key
    ("k-writer", ("k-chief",), "k-chief", False, True),  # text the chief's key saved
    ("k-writer", (), "k-chief", True, False),  # the same name, another key: someone else
    ("", (), "k-chief", True, True),  # saved before keys were recorded: by name
    ("", (), "k-chief", False, False),
    ("k-writer", (), "", True, True),  # an approver without a key yet: by name
]


@pytest.mark.parametrize(("saved_by", "also", "approver", "same_name", "refused"),
                         FOUR_EYES_BY_KEY)
def test_four_eyes_compares_keys(saved_by, also, approver, same_name, refused) -> None:
    story = make_story("in_review", modified_key=saved_by,
                       modified_by=CHIEF.name if same_name else "Root")
    keys = workflow.Keys(approver, frozenset(also))
    reason = workflow.refusal(story, "approve", CHIEF, keys=keys)
    assert (reason is not None) == refused
    if refused and approver and saved_by:
        assert f"your key {approver}" in reason


def test_every_action_is_a_record_with_the_transition_and_the_content() -> None:
    story = make_story("draft")
    moment = NOW.replace(microsecond=123456)
    result = apply(story, "submit", WRITER, now=moment)
    assert result.record == result.story.actions[-1]
    assert (result.record.action, result.record.actor, result.record.from_status,
            result.record.to_status, result.record.revision, result.record.content_hash) == (
        "submit", WRITER.name, "draft", "in_review", story.revision, story.content_hash
    )
    assert result.record.at == moment  # microseconds kept: the order within a second
    assert result.event.at == NOW  # the event, like every stored time, to the second
    approved = apply(result.story, "approve", CHIEF, now=moment + timedelta(seconds=2)).story
    assert approved.actions[-1].records(approved.approvals[-1])


@pytest.mark.parametrize("voider", ["spike", "request_changes"])
def test_a_spike_or_request_for_changes_voids_the_approval_before_it(voider: str) -> None:
    story = apply(make_story("in_review"), "approve", CHIEF, now=NOW).story
    assert story.current_approval is not None
    after = apply(story, voider, CHIEF, now=NOW + timedelta(minutes=1), note="why").story
    assert after.current_approval is None and after.approval_voided
    # Even if something set the status back by hand, the approval does not count.
    back = after.replace(status="approved")
    assert workflow.needs_reapproval(back)
    label = {"spike": "spike", "request_changes": "request changes"}[voider]
    assert f"({label} after approval)" in workflow.status_label(back)
    reason = workflow.refusal(back, "publish", CHIEF, now=NOW + timedelta(hours=1))
    assert reason is not None and f"voided by a later {label} by Xu Fang" in reason
    # A new approval after it counts again.
    again = apply(back.replace(status="in_review"), "approve", SECOND_CHIEF,
                  now=NOW + timedelta(minutes=2)).story
    assert again.current_approval == again.approvals[-1]


def test_an_approval_the_actions_do_not_record_is_voided_by_any_spike() -> None:
    story = make_story("published")  # approved before actions were signed
    assert story.current_approval is not None
    spiked = apply(story, "spike", CHIEF, now=NOW).story
    assert spiked.replace(status="published").current_approval is None
