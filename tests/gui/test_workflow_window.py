"""The workflow in the window: role buttons, refusals, voided banner, "for me", history."""

from __future__ import annotations

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.diff import diff_stories
from newsdesk.domain.model import Story
from newsdesk.identity.profile import Profile
from newsdesk.store.records import ORIGIN_FILE, Attribution
from newsdesk.ui.dialogs import history as history_view
from newsdesk.ui.panes import workflow_bar

ALL = ("submit", "request_changes", "approve", "publish", "spike", "restore")


@pytest.fixture
def people(tmp_path):
    return {
        "writer": Profile("Ada Writer", "editor", folder=tmp_path / "writer").save(),
        "chief": Profile("Xu Fang", "desk_chief", folder=tmp_path / "chief").save(),
    }


def write(desk: Desk, people, headline: str = "Ferry timetable changes") -> Story:
    desk.use_profile(people["writer"])
    return desk.create(headline=headline, body="Boats every twenty minutes.\n\nLast at midnight.")


def open_as(make_window, desk: Desk, profile: Profile, story: Story):
    desk.use_profile(profile)
    window = make_window(desk)
    assert window.story_list.select_story(story.id)
    assert window.current_story().id == story.id
    return window


def test_an_editor_sees_submit_only_and_submits(make_window, desk, people):
    story = write(desk, people)
    window = open_as(make_window, desk, people["writer"], story)
    a = window.actions_
    assert [key for key in ALL if a[key].isVisible()] == ["submit"]
    assert a["submit"].isEnabled()
    assert window.workflow_bar.waiting_label.text() == "Waiting for you"

    a["submit"].trigger()
    assert desk.get(story.id).status == "in_review"
    assert window.workflow_bar.status_label.text() == "In review"
    assert not a["submit"].isEnabled()
    assert "only a draft can be submitted" in a["submit"].toolTip()


def test_a_chief_sees_every_button_and_the_reason_one_is_off(make_window, desk, people):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    desk.save(desk.get(story.id).replace(deck="Tightened deck"), story.revision)
    window = open_as(make_window, desk, people["chief"], story)
    a = window.actions_
    assert all(a[key].isVisible() for key in ALL)
    assert not a["approve"].isEnabled()
    assert "Xu Fang last edited revision 2; four-eyes rule" in a["approve"].toolTip()
    assert a["request_changes"].isEnabled() and a["spike"].isEnabled()


def test_voided_approval_shows_a_banner_until_approved_again(make_window, desk, people):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    approved = desk.transition(story.id, "approve")
    desk.use_profile(people["writer"])
    desk.save(approved.replace(body=approved.body + "\n\nNight boats on Fridays."), 1)

    window = open_as(make_window, desk, people["chief"], story)
    bar = window.workflow_bar
    assert bar.banner_shown()
    assert bar.banner.text().startswith(
        "Approval voided: the text changed after Xu Fang approved revision 1 (now revision 2)"
    )
    assert "needs re-approval" in bar.status_label.text()
    assert "voided by a later edit" in window.actions_["publish"].toolTip()
    assert not window.actions_["publish"].isEnabled()

    window.actions_["approve"].trigger()
    assert not bar.banner_shown()
    assert window.actions_["publish"].isEnabled()
    window.actions_["publish"].trigger()
    assert desk.get(story.id).status == "published"


def test_request_changes_asks_for_a_note(make_window, desk, people, monkeypatch):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    window = open_as(make_window, desk, people["chief"], story)
    answers = [None, "   ", "Name the pier."]
    refusals: list[str] = []
    monkeypatch.setattr(workflow_bar, "ask_note", lambda *_a: answers.pop(0))
    monkeypatch.setattr(workflow_bar, "show_refusal", lambda _p, text: refusals.append(text))

    window.actions_["request_changes"].trigger()  # cancelled
    window.actions_["request_changes"].trigger()  # blank note
    assert desk.get(story.id).status == "in_review"
    assert refusals == ["A note is required: say what to change."]
    window.actions_["request_changes"].trigger()
    assert desk.get(story.id).status == "draft"
    assert desk.history(story.id)[-1].note == "Name the pier."


def test_a_refusal_from_the_desk_is_shown(make_window, desk, people, monkeypatch):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    window = open_as(make_window, desk, people["chief"], story)
    refusals: list[str] = []
    monkeypatch.setattr(workflow_bar, "show_refusal", lambda _p, text: refusals.append(text))
    with Desk.open(desk.path) as other:  # someone spikes it meanwhile
        other.use_profile(people["chief"])
        other.transition(story.id, "spike")
    assert window.workflow_bar.run("approve") is None
    assert "cannot approve: the story is spiked" in refusals[0]
    assert window.workflow_bar.status_label.text() == "Spiked"


def test_waiting_for_me_filter(make_window, desk, people):
    review = write(desk, people, "Ferry timetable changes")
    write(desk, people, "Library opens late")
    desk.transition(review.id, "submit")
    desk.use_profile(people["chief"])
    window = make_window(desk)
    assert window.model.total == 2
    window.filter_bar.waiting.setChecked(True)
    assert window.model.total == 1
    assert window.model.story_id(0) == review.id


def test_history_dialog_diffs_and_restores(qtbot, make_window, desk, people):
    story = write(desk, people)
    desk.save(story.replace(headline="Ferries run later", body=story.body + "\n\nNew line."), 1)
    window = open_as(make_window, desk, people["writer"], story)
    dialog = window.show_history()
    qtbot.addWidget(dialog)
    view = dialog.view
    actions = [view.events.topLevelItem(i).text(2) for i in range(view.events.topLevelItemCount())]
    assert actions == ["Created and edited (2 saves)"]  # one burst of work, one line
    html = view.diff_view.toHtml()
    assert "Ferries run later" in html and "New line." in html

    view.select(1, 2)
    restored = view.restore_selected()
    assert restored.revision == 3 and restored.headline == "Ferry timetable changes"
    assert window.current_story().revision == 3
    assert window.metadata.headline.text() == "Ferry timetable changes"
    assert [view.from_rev.itemData(i) for i in range(view.from_rev.count())] == [1, 2, 3]


def test_diff_html_marks_words():
    old = Story(slug="a", headline="A", body="The tram runs daily.", revision=1)
    new = old.replace(body="The tram runs hourly.", headline="B", revision=2)
    html = history_view.diff_html(diff_stories(old, new))
    assert "line-through" in html and "daily." in html and "hourly." in html
    assert "<b>headline</b>" in html
    assert "No changes" in history_view.diff_html(diff_stories(old, old))


def test_history_marks_the_edit_that_voided_an_approval(qtbot, desk, people):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    approved = desk.transition(story.id, "approve")
    desk.use_profile(people["writer"])
    desk.save(approved.replace(deck="A new deck"), approved.revision)
    view = history_view.HistoryView(desk, story.id)
    qtbot.addWidget(view)
    rows = [
        (view.events.topLevelItem(i).text(2), view.events.topLevelItem(i).text(6))
        for i in range(view.events.topLevelItemCount())
    ]
    assert rows[-1] == ("Edited", "voids the approval of revision 1")
    assert rows[2] == ("Approve", "")
    assert "needs re-approval" in view.status_label.text()


def test_history_shows_keys_and_a_refused_change_and_the_bar_says_so(
    qtbot, make_window, desk, people
):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    writer_key = people["writer"].fingerprint()
    claim = Attribution("Xu Fang", writer_key, ORIGIN_FILE)
    reason = "status in_review -> approved not applied: no signed action leads there"
    desk.store.signed.record_rejection(story.id, claim, "in_review", "approved", reason)
    window = open_as(make_window, desk, people["chief"], story)
    assert window.workflow_bar.banner_shown()
    assert window.workflow_bar.banner.text() == f"Not applied from the sync folder: {reason}."

    view = history_view.HistoryView(desk, story.id)
    qtbot.addWidget(view)
    rows = [view.events.topLevelItem(i) for i in range(view.events.topLevelItemCount())]
    assert [row.text(1) for row in rows] == [
        f"Ada Writer ({writer_key})", f"Ada Writer ({writer_key})",
        f"Xu Fang ({writer_key}, claimed by a synced file)",
    ]
    assert rows[-1].text(2) == "Rejected (not applied)" and rows[-1].toolTip(6) == reason
    assert "first used here, as Ada Writer" in rows[0].toolTip(1)


def test_a_spike_voids_the_approval_in_the_banner_and_the_history(qtbot, desk, people):
    story = write(desk, people)
    desk.transition(story.id, "submit")
    desk.use_profile(people["chief"])
    desk.transition(story.id, "approve")
    spiked = desk.transition(story.id, "spike", "legal")
    back = spiked.replace(status="approved")
    chief_key = people["chief"].fingerprint()
    assert workflow_bar.banner_text(back) == (
        f"Approval voided: Spike by Xu Fang ({chief_key}) after Xu Fang approved revision 1. "
        "It must be approved again before it is published."
    )
    view = history_view.HistoryView(desk, story.id)
    qtbot.addWidget(view)
    last = view.events.topLevelItem(view.events.topLevelItemCount() - 1)
    assert (last.text(2), last.text(6)) == ("Spike", "voids the approval of revision 1; legal")
