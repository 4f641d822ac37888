"""The preview looks like the published story, not only its body (issue 19)."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.domain.model import Dateline, Story
from newsdesk.ui.editor.preview import article_html, dateline_text


def test_the_preview_tab_shows_the_whole_article_in_reading_order(qtbot, make_window, desk):
    story = desk.create(
        headline="Night ferries <b>return</b>", deck="Three crossings a night.",
        byline="Mara Lindqvist", section="News / Metro",
        dateline=Dateline("Portsmouth", date(2026, 11, 23)),
        caption="A ferry leaves the north pier.", body="The first **paragraph**.\n",
    )
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.actions_["toggle_preview"].trigger()
    shown = window.preview.browser.toPlainText()
    order = ["NEWS / METRO", "Night ferries <b>return</b>", "Three crossings a night.",
             "By Mara Lindqvist", "PORTSMOUTH, 23 November 2026", "Photo",
             "A ferry leaves the north pier.", "The first paragraph."]
    positions = [shown.index(part) for part in order]
    assert positions == sorted(positions)
    # It follows what is typed in the metadata panel too.
    window.metadata.headline.setText("Late ferries return")
    qtbot.waitUntil(lambda: "Late ferries return" in window.preview.browser.toPlainText())


@pytest.mark.parametrize(("story", "expected"), [
    (Story(dateline=Dateline("Leeds", date(2026, 3, 1))), "LEEDS, 1 March 2026"),
    (Story(dateline=Dateline("Leeds")), "LEEDS"),
    (Story(dateline=Dateline("", date(2026, 3, 1))), "1 March 2026"),
    (Story(), ""),
])
def test_dateline_as_a_page_sets_it(story, expected):
    assert dateline_text(story) == expected


def test_an_article_leaves_out_what_the_story_lacks_and_escapes_the_rest():
    html = article_html(Story(headline="A & B <script>"), "<p>Body</p>")
    assert "A &amp; B &lt;script&gt;" in html
    assert "Photo" not in html and "By " not in html and "<p>Body</p>" in html
