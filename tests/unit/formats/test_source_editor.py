"""A wire trailer's "Editor:" is the source's editor, kept and exported as such (issue 19)."""

from __future__ import annotations

from newsdesk.domain.model import Story
from newsdesk.formats.ninjs import to_ninjs
from newsdesk.formats.wire import SOURCE_EDITOR, parse_wire

WIRE = """date 2026-03-14
News / Business

Tram company orders forty new carriages

The operator has ordered forty low-floor carriages.

The first carriages arrive next autumn.

Source: Metro Wire   Editor: Ana Costa
"""


def test_the_trailer_editor_goes_with_the_source():
    story = parse_wire(WIRE).story
    assert story.source == "Metro Wire" and story.editor == ""
    assert story.extra == {SOURCE_EDITOR: "Ana Costa"}


def test_ninjs_names_the_source_editor_as_the_editor_as_before():
    story = Story(headline="Trams", slug="trams", editor="Ada Writer", source="Metro Wire",
                  extra={SOURCE_EDITOR: "Ana Costa"})
    assert {"name": "Ana Costa", "rel": "editor"} in to_ninjs(story)["people"]
    own = Story(headline="Trams", slug="trams", editor="Ada Writer")
    assert to_ninjs(own)["people"] == [{"name": "Ada Writer", "rel": "editor"}]


def test_the_importer_is_the_desk_editor(tmp_path):
    from newsdesk.desk import Desk
    from newsdesk.identity.profile import Profile

    path = tmp_path / "trams.txt"
    path.write_text(WIRE, encoding="utf-8")
    with Desk.open(tmp_path / "desk.db") as desk:
        desk.use_profile(Profile("Ada Writer", "editor"))
        [story] = desk.import_paths([path]).imported
        assert story.editor == "Ada Writer"
        assert desk.get(story.id).extra == {SOURCE_EDITOR: "Ana Costa"}
        assert [row.id for row in desk.list_rows(editor="Ada Writer")] == [story.id]


def test_a_name_spelled_unlike_the_trailer_is_still_found():
    from newsdesk.copydesk.checks import locate, run_checks
    from newsdesk.copydesk.rules import Rules

    story = Story(headline="Ferry", slug="ferry", byline="Mira Okafor",
                  body="Reporting by Xu Fan and Mira Okafor.",
                  extra={SOURCE_EDITOR: "Xu Fang"})
    [found] = [f for f in run_checks(story, Rules()) if f.check == "name_variants"]
    assert locate(story, found)["text"] == "Xu Fan"


def test_the_source_editor_is_never_a_spelling_mistake():
    from newsdesk.copydesk.spelling import misspelled

    story = Story(headline="Ferry", slug="ferry", extra={SOURCE_EDITOR: "Qiaolin Zhuang"})
    assert misspelled("Edited by Qiaolin Zhuang.", story) == []
