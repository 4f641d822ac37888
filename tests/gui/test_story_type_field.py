"""The story's type in the window: the metadata panel's Type combo shows it, saves a
change of it (a new revision, read back from the database), and the body's gauge aims at
the type's target, in the panel and in the list."""

from __future__ import annotations

from newsdesk.copydesk.lengths import SHORT
from newsdesk.ui.panes.gauges import GAUGE_ROLE


def test_the_type_combo_shows_saves_and_sets_the_target(make_window, desk):
    story = desk.create(headline="Harbour notes", body="word " * 100, type="brief")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    combo = window.metadata.story_type
    assert combo.current_type() == "brief" and combo.currentText() == "Brief"
    assert window.metadata.body_count.text() == "100 / 150 words"

    combo.setCurrentIndex(combo.findData("analysis"))
    assert window.metadata.body_count.text() == "100 / 1,200 words"
    assert window.metadata.body_count.gauge().state == SHORT
    assert window.autosaver.flush()
    saved = desk.get(story.id)
    assert (saved.type, saved.revision) == ("analysis", story.revision + 1)

    model = window.model
    row = next(r for r in range(model.rowCount()) if model.story_id(r) == story.id)
    assert model.data(model.index(row, 6), GAUGE_ROLE) == (100 / 1200, SHORT)


def test_a_type_the_house_does_not_know_is_kept_on_opening(make_window, desk):
    story = desk.create(headline="From another desk", body="Text.", type="feature")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    assert window.metadata.story_type.current_type() == "feature"
    window.metadata.headline.setText("From another desk, edited")
    assert window.autosaver.flush()
    assert desk.get(story.id).type == "feature"
