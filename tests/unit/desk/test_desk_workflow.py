"""The Desk's workflow service on a real database: transitions, history, diff, verify."""

from __future__ import annotations

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.domain.workflow import WorkflowError
from newsdesk.identity.profile import Profile
from newsdesk.identity.signing import Keyring
from newsdesk.store import StaleRevision
from newsdesk.store.sync_records import add_folder


@pytest.fixture
def people(tmp_path):
    def make(folder: str, name: str, role: str) -> Profile:
        return Profile(name, role, folder=tmp_path / folder).save()

    return {
        "writer": make("writer", "Ada Writer", "editor"),
        "chief": make("chief", "Xu Fang", "desk_chief"),
        "deputy": make("deputy", "Li Wei", "desk_chief"),
    }


@pytest.fixture
def desk(tmp_path, people):
    with Desk.open(tmp_path / "desk.db") as opened:
        opened.use_profile(people["writer"])
        yield opened


def write_story(desk: Desk):
    return desk.create(
        headline="Ferry timetable changes in spring",
        body="Boats leave every twenty minutes.\n\nThe last boat is at midnight.",
        section="News / Metro",
    )


def test_open_uses_the_saved_profile(tmp_path, people, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(people["chief"].folder))
    with Desk.open(tmp_path / "other.db") as desk:
        assert (desk.profile.name, desk.profile.role, desk.actor) == (
            "Xu Fang", "desk_chief", "Xu Fang"
        )


def test_round_trip_with_signed_approval(desk: Desk, people) -> None:
    story = write_story(desk)
    assert story.modified_by == "Ada Writer"
    assert desk.transition(story.slug, "submit").status == "in_review"

    desk.use_profile(people["chief"])
    assert desk.allowed_actions(desk.get(story.id))["approve"] is None
    approved = desk.transition(story.id, "approve")
    assert approved.status == "approved"
    approval = approved.current_approval
    assert approval.approver == "Xu Fang"
    assert approval.public_key == people["chief"].public_key()
    assert desk.verify(story.id).valid

    actions = [(e.action, e.actor, e.from_status, e.to_status) for e in desk.history(story.id)]
    assert actions == [
        ("created", "Ada Writer", "", "draft"),
        ("submit", "Ada Writer", "draft", "in_review"),
        ("approve", "Xu Fang", "in_review", "approved"),
    ]


def test_edit_voids_then_four_eyes_then_reapproval(desk: Desk, people) -> None:
    story = write_story(desk)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    story = desk.transition(story.id, "approve")

    edited = desk.save(story.replace(deck="Spring timetable"), expected_revision=story.revision)
    assert edited.revision == 2 and edited.status == "approved"
    assert edited.approval_voided
    assert desk.verify(edited.id).reason.startswith("approval voided")
    with pytest.raises(WorkflowError, match="voided by a later edit"):
        desk.transition(edited.id, "publish")
    with pytest.raises(WorkflowError, match="Xu Fang last edited revision 2; four-eyes"):
        desk.transition(edited.id, "approve")

    desk.use_profile(people["deputy"])
    again = desk.transition(edited.id, "approve")
    assert not again.approval_voided
    assert len(again.approvals) == 2
    keyring = Keyring({"Li Wei": people["deputy"].public_key()})
    assert desk.verify(again.id, keyring).valid
    assert desk.transition(again.id, "publish").status == "published"


def test_a_refusal_changes_nothing(desk: Desk) -> None:
    story = write_story(desk)
    before = desk.history(story.id)
    with pytest.raises(WorkflowError, match="only a desk chief can approve"):
        desk.transition(story.id, "approve")
    assert desk.history(story.id) == before
    assert desk.get(story.id) == story


def test_stale_revision_is_not_approved(desk: Desk, people) -> None:
    story = write_story(desk)
    desk.transition(story.id, "submit")
    desk.save(story.replace(body="Changed after the chief opened it."), story.revision)
    desk.use_profile(people["chief"])
    with pytest.raises(StaleRevision):
        desk.transition(story.id, "approve", expected_revision=story.revision)
    current = desk.get(story.id)
    assert current.status == "in_review" and current.approvals == ()


def test_conflict_blocks_approval(desk: Desk, people) -> None:
    story = write_story(desk)
    desk.transition(story.id, "submit")
    db = desk.store.db
    with desk.store.transaction():
        folder = add_folder(db, "/shared/desk", "ws-1")
        db["sync_conflicts"].insert(
            {
                "folder_id": folder.id, "story_id": story.id, "path": "a.md", "base": None,
                "local": "{}", "remote": "{}", "remote_file_hash": "x", "fields": "[]",
                "origin": "test", "created_at": "2026-01-01T00:00:00+00:00",
            }
        )
    desk.use_profile(people["chief"])
    assert "unresolved sync conflict" in desk.allowed_actions(desk.get(story.id))["approve"]
    with pytest.raises(WorkflowError, match="unresolved sync conflict"):
        desk.transition(story.id, "approve")


def test_request_changes_note_is_in_history(desk: Desk, people) -> None:
    story = write_story(desk)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    with pytest.raises(WorkflowError, match="a note is required"):
        desk.transition(story.id, "request-changes")
    assert desk.transition(story.id, "request-changes", "Name the ferry line.").status == "draft"
    assert desk.history(story.id)[-1].note == "Name the ferry line."


def test_diff_and_restore_revision(desk: Desk) -> None:
    story = write_story(desk)
    second = desk.save(
        story.replace(headline="Ferries run later", body=story.body + "\n\nNight boats added."),
        story.revision,
    )
    diff = desk.diff(story.slug, 1, 2)
    assert [c.name for c in diff.fields] == ["headline"]
    assert [(p.op, p.new) for p in diff.body if p.op != "equal"] == [
        ("insert", ("Night boats added.",))
    ]
    assert desk.diff(story.slug, 1).as_dict() == diff.as_dict()

    restored = desk.restore_revision(story.slug, 1)
    assert restored.revision == 3
    assert restored.headline == story.headline and restored.body == story.body
    assert desk.history(story.id)[-1].action == "reverted"
    assert not desk.diff(story.id, 1, 3).changed
    assert desk.revision(story.id, 2).headline == second.headline


def test_verify_with_a_keyring_file(desk: Desk, people, tmp_path) -> None:
    story = write_story(desk)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    desk.transition(story.id, "approve")
    empty = tmp_path / "publisher-keyring.yaml"
    empty.write_text("", encoding="utf-8")
    assert desk.verify(story.id, empty).reason.startswith("unknown key")
    empty.write_text(people["chief"].export_key(), encoding="utf-8")
    assert desk.verify(story.id, empty).valid
    with pytest.raises(NewsdeskError, match="no such keyring file"):
        desk.verify(story.id, tmp_path / "missing.yaml")
