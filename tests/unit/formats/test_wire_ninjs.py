"""ninjs in: both schema versions told apart, and Newsdesk's own ninjs 2.2 read back whole."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsdesk.domain.model import check_valid
from newsdesk.formats.detect import parse_wire_bytes
from newsdesk.formats.errors import FormatError
from newsdesk.formats.html import render_body_html
from newsdesk.formats.markdown import read_markdown
from newsdesk.formats.ninjs_in import ninjs_major
from newsdesk.publish.ninjs import to_ninjs

FIRST_RUN = sorted((Path(__file__).resolve().parents[3] / "resources" / "samples").glob("*.md"))


@pytest.mark.parametrize("doc, major", [
    ({"standard": {"version": "2.2"}, "headline": "old key too"}, 2),
    ({"$standard": {"version": "1.4"}, "headlines": []}, 1),
    ({"standard": {"version": "2"}}, 2),
    ({"headline": "H", "body_html": "<p>x</p>"}, 1),
    ({"headline": "H", "description_text": "d", "subject": []}, 1),
    ({"headlines": [{"value": "H"}], "bodies": []}, 2),
    ({"headlines": [{"value": "H"}], "by": "B", "byline": "B"}, 2),
])
def test_the_schema_version_is_declared_or_told_by_the_keys(doc, major):
    assert ninjs_major(doc) == major


@pytest.mark.parametrize("doc, reason", [
    ({"standard": {"version": "3.0"}}, "ninjs 3.0: only ninjs 1.x and 2.x are read"),
    ({"standard": {"version": "12"}}, "ninjs 12: only"),
    ({"uri": "u", "title": "no headline"}, "neither a headline (1.x) nor headlines (2.x)"),
])
def test_an_unknown_schema_version_is_refused(doc, reason):
    with pytest.raises(FormatError, match=re.escape(reason)):
        ninjs_major(doc)


@pytest.mark.parametrize("path", FIRST_RUN, ids=lambda p: p.name)
def test_newsdesk_s_own_ninjs_export_reads_back_field_by_field(path):
    story = read_markdown(path)
    story.extra["language"] = "en-GB"
    exported = json.dumps(to_ninjs(story)).encode()
    item, = parse_wire_bytes(exported, f"{story.slug}.json")
    assert item.format == "ninjs-2"
    assert item.guid == f"urn:newsdesk:story:{story.id}"
    assert item.version == story.revision
    assert (item.headline, item.deck, item.byline, item.caption, item.source) == (
        story.headline, story.deck, story.byline, story.caption, story.source)
    # Without a dateline date the item's own day stands in (README, "Wire formats").
    assert (item.dateline_place, item.dateline_date) == (
        story.dateline.place, story.dateline.date or story.created_at.date())
    assert item.section == story.section
    assert item.keywords == story.tags
    assert item.embargo == story.embargo
    assert item.language == "en-GB"
    assert item.source_editor == story.editor
    assert item.pubstatus == ("withheld" if story.embargo else "usable")
    # The body comes back as Markdown that renders to the very HTML that was exported.
    assert render_body_html(item.body) == render_body_html(story.body)
    assert check_valid(item.to_story()).slug == story.slug


def test_a_minimal_ninjs_1_item_with_a_plain_text_body():
    doc = {"uri": "urn:x:1", "headline": "Bridge shut for repairs",
           "body_text": "The bridge shuts on Monday.\n\n1. Detour via Mill Lane.",
           "description_html": "<p>Three <b>weeks</b> of works.</p>"}
    item, = parse_wire_bytes(json.dumps(doc).encode(), "bridge.json")
    assert item.format == "ninjs-1"
    assert item.version == 1 and "no version; read as version 1" in item.notes
    assert item.body == "The bridge shuts on Monday.\n\n1\\. Detour via Mill Lane."
    assert item.deck == "Three weeks of works."


def test_a_list_of_ninjs_items_gives_each():
    docs = [{"uri": f"urn:x:{n}", "headlines": [{"value": f"Item {n}"}]} for n in range(3)]
    items = parse_wire_bytes(json.dumps(docs).encode(), "feed.json")
    assert [item.headline for item in items] == ["Item 0", "Item 1", "Item 2"]
    with pytest.raises(FormatError, match="a list of 0 items"):
        parse_wire_bytes(b"[]", "feed.json")


def test_a_ninjs_2_body_in_plain_text_only_is_taken_and_other_bodies_kept():
    doc = {"uri": "urn:x:1", "headlines": [{"role": "main", "value": "H"}],
           "bodies": [{"role": "summary", "contenttype": "text/html", "value": "<p>S</p>"},
                      {"role": "main", "contenttype": "text/plain", "value": "Main *text*."}]}
    item, = parse_wire_bytes(json.dumps(doc).encode(), "plain.json")
    assert item.body == "Main \\*text\\*."
    assert item.extra["bodies[1]"]["role"] == "summary"
