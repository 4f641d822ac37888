"""The window walks a story through publish -> correct -> update -> kill (issue 21): Story ›
Correct… prefilled with the drafted note, Update…, Kill… (desk chief), the log."""

from __future__ import annotations

import pytest

from newsdesk.desk import Desk
from newsdesk.identity.profile import Profile
from newsdesk.ui.features import after_publication


@pytest.fixture
def people(tmp_path):
    return {
        "writer": Profile("Ada Writer", "editor", folder=tmp_path / "writer").save(),
        "chief": Profile("Xu Fang", "desk_chief", folder=tmp_path / "chief").save(),
    }


def window_as(make_window, desk: Desk, profile: Profile, story_id: str):
    desk.use_profile(profile)
    window = make_window(desk)
    assert window.story_list.select_story(story_id)
    return window


def test_publish_correct_update_kill_in_the_window(make_window, desk, people, monkeypatch):
    asked: list[tuple[str, str]] = []
    answers: list[str | None] = []
    refusals: list[str] = []

    def answer(_parent, title, _prompt, text):
        asked.append((title, text))
        return answers.pop(0)

    monkeypatch.setattr(after_publication, "ask_note", answer)
    monkeypatch.setattr(after_publication, "show_refusal", lambda _p, text: refusals.append(text))

    desk.use_profile(people["writer"])
    story = desk.create(headline="Ferry returns", body="Mayor Jon Smyth cut the ribbon.")
    desk.transition(story.id, "submit")
    chief = window_as(make_window, desk, people["chief"], story.id)
    chief.actions_["approve"].trigger()
    chief.actions_["publish"].trigger()
    assert desk.get(story.id).status == "published"
    chief.close()

    # The writer fixes the name; Story › Correct… offers the drafted note.
    desk.use_profile(people["writer"])
    current = desk.get(story.id)
    desk.save(current.replace(body="Mayor Jon Smith cut the ribbon."), current.revision)
    writer = window_as(make_window, desk, people["writer"], story.id)
    answers.append("An earlier version of this story misspelled Smith as Smyth.")
    writer.actions_["correct"].trigger()
    assert asked[-1] == ("Correct “Ferry returns”",
                         "An earlier version of this story misspelled Smith as Smyth.")
    assert desk.get(story.id).actions[-1].action == "correct"
    # An editor may not kill: the item is disabled and says why.
    assert not writer.actions_["kill"].isEnabled()
    assert "only a desk chief can kill" in writer.actions_["kill"].toolTip()
    writer.close()

    chief = window_as(make_window, desk, people["chief"], story.id)
    chief.actions_["approve"].trigger()
    chief.actions_["publish"].trigger()
    assert desk.get(story.id).status == "published"
    chief.close()

    desk.use_profile(people["writer"])
    current = desk.get(story.id)
    desk.save(current.replace(body=current.body + "\n\nPolice made a statement."),
              current.revision)
    writer = window_as(make_window, desk, people["writer"], story.id)
    answers.append("adds police statement")
    writer.actions_["update_story"].trigger()
    assert asked[-1][1] == ""  # an update's line is the writer's own
    writer.close()

    chief = window_as(make_window, desk, people["chief"], story.id)
    chief.actions_["approve"].trigger()
    chief.actions_["publish"].trigger()
    answers.append(None)  # cancelled: nothing happens
    chief.actions_["kill"].trigger()
    assert desk.get(story.id).status == "published"
    answers.append("Withdrawn for legal reasons.")
    chief.actions_["kill"].trigger()
    assert desk.get(story.id).status == "killed"
    assert chief.workflow_bar.status_label.text() == "Killed"
    log = after_publication.open_log(chief)
    assert [row[1] for row in log.rows()] == ["kill", "update", "correct"]
    assert [row[5] for row in log.rows()] == ["yes", "yes", "yes"]
    log.close()


def menu(window) -> dict[str, bool]:
    """Whether Correct…, Update…, Kill… and the Type field can be used now."""
    state = {key: window.actions_[key].isEnabled() for key in ("correct", "update_story", "kill")}
    state["type"] = window.metadata.story_type.isEnabled()
    return state


def test_the_menu_follows_the_status_and_the_role(make_window, desk, db_path, people):
    """Correct…, Update… and Kill… are enabled only when the rules allow them, and follow
    the story as it changes: through the window, and from another process's Desk."""
    desk.use_profile(people["writer"])
    story = desk.create(headline="Ferry returns", body="Mayor Jon Smyth cut the ribbon.")
    desk.transition(story.id, "submit")
    chief = window_as(make_window, desk, people["chief"], story.id)
    off = {"correct": False, "update_story": False, "kill": False, "type": True}
    assert menu(chief) == off  # in review
    assert "only a story that went out" in chief.actions_["kill"].toolTip()
    chief.actions_["approve"].trigger()
    assert menu(chief) == {**off, "kill": True}  # approved: it may be killed
    chief.actions_["publish"].trigger()
    assert menu(chief) == {**off, "kill": True}
    assert "edit it first" in chief.actions_["correct"].toolTip()

    # The writer corrects the text in another process: the chief's window hears it.
    with Desk.open(db_path) as elsewhere:
        elsewhere.use_profile(people["writer"])
        current = elsewhere.get(story.id)
        elsewhere.save(current.replace(body="Mayor Jon Smith cut the ribbon."),
                       current.revision)
    chief.events.poll()
    assert menu(chief) == {**off, "correct": True, "update_story": True, "kill": True}

    # Killed (by the chief, through the window): nothing is left to do, not even a type.
    monkey = after_publication.ask_note
    try:
        after_publication.ask_note = lambda *_args: "Withdrawn."
        chief.actions_["kill"].trigger()
    finally:
        after_publication.ask_note = monkey
    assert desk.get(story.id).status == "killed"
    assert menu(chief) == {**off, "type": False}
    assert "a killed story stays killed" in chief.actions_["correct"].toolTip()
    assert "a killed story stays killed" in chief.metadata.story_type.toolTip()
    chief.close()

    # An editor's window never offers Kill, whatever the status; nothing open: nothing.
    desk.use_profile(people["writer"])
    other = desk.create(headline="Harbour notes", body="Boats.")
    writer = window_as(make_window, desk, people["writer"], other.id)
    assert menu(writer) == off
    writer.close_story()
    assert menu(writer) == {**off, "type": False}  # the whole panel is off
    writer.close()
