"""The export honours the signed workflow: an approval followed by a spike or a request for
changes never goes out, whatever the status says, and publishing is a signed action."""

from __future__ import annotations

import pytest

from newsdesk.desk import Desk
from newsdesk.identity.profile import Profile
from newsdesk.identity.signing import action_signature_valid
from newsdesk.paths import config_dir
from newsdesk.store.publish_index import publish_index


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as opened:
        opened.use_profile(Profile("Ada Writer", "editor", folder=config_dir() / "w").save())
        story = opened.create(headline="Tram depot opens", body="Doors open at nine.")
        opened.transition(story.id, "submit")
        opened.use_profile(Profile("Xu Fang", "desk_chief", folder=config_dir() / "c").save())
        opened.transition(story.id, "approve")
        yield opened


@pytest.mark.parametrize("voider", ["request_changes", "spike"])
def test_an_approval_voided_by_a_later_action_does_not_go_out(desk, tmp_path, voider) -> None:
    (story,) = desk.list_rows()
    desk.transition(story.id, voider, "Name the depot")
    # Whatever set the status back (a conflict resolved by hand, a damaged row), the
    # approval before the action is void: the export reads it from the story's actions.
    current = desk.get(story.id)
    desk.store.set_status(story.id, "approved", expected_revision=current.revision,
                          actor="Xu Fang", action="conflict_resolved")
    (row,) = publish_index(desk.store, ["approved"])
    assert row.current_approval is None and row.actions == desk.get(story.id).actions
    report = desk.export("ninjs", tmp_path / "out")
    assert report.exported_ids == [] and report.published == []
    (skipped,) = report.skipped
    words = voider.replace("_", " ")
    assert skipped[2] == (
        f"the approval of revision 1 was voided by {words} by Xu Fang; it must be approved again"
    )


def test_publishing_on_export_is_a_signed_action(desk, tmp_path) -> None:
    (story,) = desk.list_rows()
    report = desk.export("ninjs", tmp_path / "out")
    assert report.published == [story.id]
    published = desk.get(story.id)
    last = published.actions[-1]
    assert (last.action, last.actor, last.from_status, last.to_status) == (
        "publish", "Xu Fang", "approved", "published",
    )
    assert action_signature_valid(story.id, last)
    assert last.at > published.actions[-2].at  # after the approval it follows
    assert published.current_approval == published.approvals[-1]
    (row,) = publish_index(desk.store, ["published"])
    assert row.actions == ()  # nothing that can void an approval: none read
