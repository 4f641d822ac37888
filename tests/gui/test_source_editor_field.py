"""The metadata panel shows the source's own editor, apart from the desk's (issue 19)."""

from __future__ import annotations

from newsdesk.identity.profile import Profile

WIRE = """date 2026-03-14
News / Business

Tram company orders forty new carriages

The operator has ordered forty low-floor carriages.

The first carriages arrive next autumn.

Source: Metro Wire   Editor: Ana Costa
"""


def test_an_imported_wire_story_is_mine_and_names_the_agency_editor(
    qtbot, make_window, desk, tmp_path
):
    desk.use_profile(Profile("Ada Writer", "editor"))
    path = tmp_path / "trams.txt"
    path.write_text(WIRE, encoding="utf-8")
    [story] = desk.import_paths([path]).imported
    window = make_window(desk)
    window.story_list.select_story(story.id)
    panel = window.metadata
    assert panel.editor.text() == "Ada Writer"
    assert panel.source.text() == "Metro Wire"
    assert panel.source_editor.text() == "Ana Costa"
    window.filter_bar.mine.click()
    assert window.model.total == 1
    panel.source_editor.selectAll()
    qtbot.keyClicks(panel.source_editor, "Li Wei")
    assert window.save_now()
    assert desk.get(story.id).extra == {"source_editor": "Li Wei"}
    panel.source_editor.clear()
    assert window.save_now()
    assert desk.get(story.id).extra == {}
