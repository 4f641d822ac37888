"""Fit to length: gauges in the metadata panel and the story list (issue 19)."""

from __future__ import annotations

from pathlib import Path

from newsdesk.copydesk.lengths import FITS, OVER, SHORT
from newsdesk.ui.panes.gauges import GAUGE_ROLE


def write_rules(text: str) -> None:
    import os

    folder = Path(os.environ["NEWSDESK_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules.yaml").write_text(text, encoding="utf-8")


def test_the_body_gauge_follows_typing_against_the_house_target(qtbot, make_window, desk):
    write_rules("lengths:\n  words: 20\n")
    desk.reload_rules()
    story = desk.create(headline="Short one", body="one two three four five six seven")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    gauge = window.metadata.body_count
    assert gauge.text() == "7 / 20 words" and gauge.gauge().state == SHORT
    assert "13 words short" in gauge.toolTip()
    window.editor.rich.setFocus()
    window.editor.rich.moveCursor(window.editor.rich.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor.rich, " eight nine ten eleven twelve thirteen fourteen"
                    " fifteen sixteen seventeen eighteen")
    assert gauge.text() == "18 / 20 words" and gauge.gauge().state == FITS
    qtbot.keyClicks(window.editor.rich, " a b c d e")
    assert gauge.gauge().state == OVER and gauge.property("role") == "warning"


def test_headline_and_deck_are_measured_against_the_house_limits(make_window, desk):
    write_rules("limits:\n  headline: 10\n")
    desk.reload_rules()
    story = desk.create(headline="Short", deck="A deck")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    assert window.metadata.headline_count.text() == "5 / 10"
    window.metadata.headline.setText("x" * 12)
    assert window.metadata.headline_count.gauge().state == OVER
    assert window.metadata.deck_count.text() == "6 / 160"


def test_each_row_of_the_list_shows_its_gauge(make_window, desk):
    short = desk.create(headline="Short", body="word " * 100)
    fits = desk.create(headline="Fits", body="word " * 600)
    window = make_window(desk)
    model = window.model
    words = 6
    by_id = {model.story_id(r): model.index(r, words) for r in range(model.rowCount())}
    assert model.data(by_id[short.id], GAUGE_ROLE) == (100 / 600, SHORT)
    assert model.data(by_id[fits.id], GAUGE_ROLE) == (1.0, FITS)
    assert "500 words short" in model.data(by_id[short.id], 3)  # the tooltip
    assert model.data(model.index(0, 1), GAUGE_ROLE) is None
