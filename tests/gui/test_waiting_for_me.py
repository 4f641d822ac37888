"""'For me' and 'Waiting for you' mean the stories whose editor I am (issue 19)."""

from __future__ import annotations

from newsdesk.identity.profile import Profile


def as_editor(desk, name: str) -> None:
    desk.use_profile(Profile(name, "editor"))


def test_for_me_lists_only_my_drafts_and_only_mine_wait_for_me(qtbot, make_window, desk):
    as_editor(desk, "Ada Writer")
    mine = desk.create(headline="My draft", editor="Ada Writer")
    theirs = desk.create(headline="Their draft", editor="Tomas Reyes")
    # I fixed a typo in their draft: it is still theirs.
    desk.save(theirs.replace(body="A typo fixed."), theirs.revision)
    assert desk.get(theirs.id).modified_by == "Ada Writer"
    window = make_window(desk)
    window.filter_bar.waiting.click()
    assert window.model.total == 1
    assert window.model.story_id(0) == mine.id
    window.filter_bar.waiting.click()
    window.story_list.select_story(theirs.id)
    assert window.workflow_bar.waiting_label.text() == ""
    window.story_list.select_story(mine.id)
    assert window.workflow_bar.waiting_label.text() == "Waiting for you"


def test_for_me_of_a_desk_chief_is_every_story_in_review(qtbot, make_window, desk):
    desk.use_profile(Profile("Chief Ines", "desk_chief"))
    submitted = []
    for name in ("Ada Writer", "Tomas Reyes"):
        story = desk.create(headline=f"{name} files", editor=name)
        submitted.append(desk.store.set_status(story.id, "in_review", expected_revision=1,
                                               actor=name, action="submit"))
    desk.create(headline="Still a draft", editor="Ada Writer")
    window = make_window(desk)
    window.filter_bar.waiting.click()
    assert window.model.total == 2
    window.story_list.select_story(submitted[0].id)
    assert window.workflow_bar.waiting_label.text() == "Waiting for you"
