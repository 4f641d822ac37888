"""Story › Change Slug… in the window: a new slug, and the reason when it is refused."""

from __future__ import annotations

from newsdesk.ui.features import change_slug as slug_action


def test_change_slug_renames_the_open_story_and_keeps_unsaved_edits(
    make_window, desk, monkeypatch
):
    story = desk.create(headline="Ferry times", slug="ferry-times", body="Boats.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.metadata.deck.setPlainText("Typed just now")  # not saved yet
    monkeypatch.setattr(slug_action, "ask_slug", lambda _w, current: "ferry-timetable")
    story_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Story")
    assert window.actions_["change_slug"] in story_menu.actions()
    window.actions_["change_slug"].trigger()
    stored = desk.get(story.id)
    assert (stored.slug, stored.deck) == ("ferry-timetable", "Typed just now")
    assert window.metadata.slug.text() == "ferry-timetable"
    assert [e.action for e in desk.history(story.id)][-1] == "slug_changed"
    # The list row shows the new slug too.
    row = window.model.row_of(story.id)
    assert "ferry-timetable" in [
        window.model.index(row, column).data() for column in range(window.model.columnCount())
    ]


def test_a_taken_or_bad_slug_is_refused_with_the_reason(make_window, desk, monkeypatch):
    desk.create(headline="Bus lanes", slug="bus-lanes")
    story = desk.create(headline="Ferry times", slug="ferry-times")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    for typed, reason in (("bus-lanes", "already used"), ("Ferry Times", "lower-case")):
        monkeypatch.setattr(slug_action, "ask_slug", lambda _w, current, t=typed: t)
        window.actions_["change_slug"].trigger()
        assert reason in window.statusBar().currentMessage()
        assert desk.get(story.id).slug == "ferry-times"
    monkeypatch.setattr(slug_action, "ask_slug", lambda _w, current: None)  # cancelled
    assert window.slug_action.change() is None
    assert desk.get(story.id).revision == story.revision
