"""WireItem: the fingerprint for duplicates, the values readers share, the draft of a take."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsdesk.formats.detect import parse_wire_bytes, parse_wire_file
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import dumps, loads
from newsdesk.formats.wire_body import text_body
from newsdesk.formats.wire_html import html_body
from newsdesk.formats.wire_item import WireItem, checked, fingerprint
from newsdesk.formats.wire_values import (
    dateline_place,
    one_line,
    parse_time,
    parse_urgency,
    parse_version,
    scheme_code,
)

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples" / "wire"
BODY = "The ferry runs *every* hour.\n\nFares stay at 2.10, the operator said."


@pytest.mark.parametrize("headline, body", [
    ("Ferry runs again", BODY),
    ("FERRY RUNS AGAIN", BODY),
    ("  Ferry   runs again ", BODY.replace(" ", "  ")),
    ("Ferry runs again", BODY.replace("*every*", "every")),
    ("Ferry runs again", BODY.replace("*every*", "**every**")),
    ("Ferry runs again", BODY.replace("*every*", "[every](https://example.org/)")),
    ("Ferry runs again", BODY.replace("\n\n", "\n")),
    ("Ferry runs again.", BODY.replace("said.", "said")),
    ("Ferry runs again", BODY.replace("The ferry", "“The” ferry")),
    ("Ferry runs again", BODY.replace("2.10", "2\\.10")),
    ("Ferry runs again", "# " + BODY),
    ("Ferry runs again", "- " + BODY),
    ("Ferry runs again", BODY.replace("operator", "o\ufb00erator").replace("\ufb00", "p")),
])
def test_the_fingerprint_ignores_markup_case_spacing_and_punctuation(headline, body):
    assert fingerprint(headline, body) == fingerprint("Ferry runs again", BODY)


@pytest.mark.parametrize("headline, body", [
    ("Ferry runs again", BODY.replace("every", "each")),
    ("Ferry runs again", BODY.replace("2.10", "2.20")),
    ("Ferry stops", BODY),
    ("Ferry runs again", BODY + "\n\nA third paragraph."),
    ("Ferry runs again", ""),
])
def test_the_fingerprint_changes_with_the_words(headline, body):
    assert fingerprint(headline, body) != fingerprint("Ferry runs again", BODY)


def test_a_list_and_the_same_lines_as_text_have_one_fingerprint():
    listed = html_body("<ol><li>Stop one</li><li>Stop <b>two</b></li></ol>").markdown
    typed = text_body("1. Stop one\n\n2. Stop two")
    assert listed != typed
    assert fingerprint("Stops", listed) == fingerprint("Stops", typed)


def test_the_same_story_from_two_feeds_has_one_fingerprint():
    nitf = (b'<nitf><head><docdata><doc-id regsrc="A" id-string="a-1"/></docdata></head>'
            b"<body><body.head><hedline><hl1>Ferry runs again</hl1></hedline></body.head>"
            b"<body.content><p>The ferry runs <em>every</em> hour.</p>"
            b"<p>Fares stay at 2.10, the operator said.</p></body.content></body></nitf>")
    ninjs = (b'{"uri": "urn:b:2", "headline": "Ferry runs again", "body_text": '
             b'"The ferry runs every hour.\\n\\nFares stay at 2.10, the operator said."}')
    first, = parse_wire_bytes(nitf, "a.xml")
    second, = parse_wire_bytes(ninjs, "b.json")
    assert first.guid != second.guid
    assert first.fingerprint == second.fingerprint == fingerprint("Ferry runs again", BODY)


@pytest.mark.parametrize("value, expected", [
    ("1", 1), ("42", 42), (" 7 ", 7), (3, 3), ("0", 0),
])
def test_versions_are_whole_numbers(value, expected):
    assert parse_version(value) == expected


@pytest.mark.parametrize("value", ["", "v2", "1.5", "-1", "1e3", True, None, 2.0, "9" * 16])
def test_a_version_that_is_not_a_whole_number_is_refused(value):
    with pytest.raises(FormatError, match="is not a whole number"):
        parse_version(value, "x.xml")


@pytest.mark.parametrize("value, expected, noted", [
    ("1", 1, False), (9, 9, False), (" 4 ", 4, False), (None, None, False), ("", None, False),
    ("0", None, True), ("10", None, True), ("high", None, True), (True, None, True),
])
def test_urgency_is_1_to_9_or_left_out_with_a_note(value, expected, noted):
    notes: list[str] = []
    assert parse_urgency(value, notes) == expected
    assert bool(notes) is noted


CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize("value, expected, noted", [
    ("2026-03-09T12:00:00+01:00", datetime(2026, 3, 9, 12, tzinfo=CET), False),
    ("2026-03-09T11:00:00Z", datetime(2026, 3, 9, 11, tzinfo=UTC), False),
    ("20260309T110000+0000", datetime(2026, 3, 9, 11, tzinfo=UTC), False),
    ("20260309T1100+0100", datetime(2026, 3, 9, 11, tzinfo=CET), False),
    ("2026-03-09T11:00:00", datetime(2026, 3, 9, 11, tzinfo=UTC), True),
    (None, None, False), ("  ", None, False),
])
def test_times_in_iso_8601_forms(value, expected, noted):
    notes: list[str] = []
    assert parse_time(value, "versionCreated", "x.xml", notes) == expected
    assert bool(notes) is noted


@pytest.mark.parametrize("value, reason", [
    ("2026-03-09T12:00:00", "has no time zone offset: when it ends cannot be told"),
    ("2026-03-09", "has no time zone offset"),
    ("tomorrow", "is not a date and time"),
    (1741521600, "is not a date and time"),
])
def test_an_embargo_must_say_when_it_ends(value, reason):
    with pytest.raises(FormatError, match=reason):
        parse_time(value, "embargo", "x.xml", [])


@pytest.mark.parametrize("text, place", [
    ("HARBOUR CITY, March 9 (Northwind) -", "Harbour City"),
    ("Kestrel Bay, March 11", "Kestrel Bay"),
    ("LONDON (Reuters) -", "London"),
    ("ST. IVES -- The", "St. Ives"),
    ("Alderford, 2026-03-13", "Alderford"),
    ("Gull Point", "Gull Point"),
    ("", ""),
    ("A sentence long enough that it cannot be the name of any place on any map at all", ""),
])
def test_the_place_a_dateline_opens_with(text, place):
    assert dateline_place(text) == place


@pytest.mark.parametrize("qcode, scheme, expected", [
    ("stat:usable", "stat", "usable"), ("ninat:text", "ninat", "text"),
    ("other:usable", "stat", "other:usable"), ("usable", "stat", "usable"),
])
def test_scheme_codes(qcode, scheme, expected):
    assert scheme_code(qcode, scheme) == expected


def test_one_line_keeps_a_no_break_space():
    assert one_line("  a\n\t b\u00a0c  ") == "a b\u00a0c"


def item(**fields: object) -> WireItem:
    values = {"format": "ninjs-2", "guid": "urn:x:1", "version": 1, "headline": "Headline"}
    values.update(fields)
    return WireItem(**values)  # type: ignore[arg-type]


def test_a_keyword_that_cannot_be_a_tag_stays_in_the_wire_metadata():
    story = item(keywords=("ferries", "Smith, Anna", "x" * 101, "Harbour")).to_story()
    assert story.tags == ("ferries", "Harbour")
    assert story.extra["wire"]["keywords"] == ["ferries", "Smith, Anna", "x" * 101, "Harbour"]


def test_the_slug_comes_from_the_slugline_else_the_headline():
    assert item(slugline="US-Fed-Rates").to_story().slug == "us-fed-rates"
    assert item(headline="Night buses return").to_story().slug == "night-buses-return"


@pytest.mark.parametrize("fields, reason", [
    ({"guid": " "}, "has no guid"),
    ({"guid": "g" * 1001}, "longer than 1000 characters"),
    ({"headline": ""}, "has no headline"),
    ({"headline": "h" * 301}, "headline: longer than 300 characters"),
    ({"pubstatus": "killed"}, "publishing status 'killed'"),
    ({"body": "a\x00b"}, "body: contains a NUL character"),
])
def test_an_item_a_take_could_not_save_is_refused(fields, reason):
    with pytest.raises(FormatError, match=reason):
        checked(item(**fields), "x.json")


def test_deep_unmapped_data_still_fits_a_story_file(tmp_path):
    deep = "".join(f"<x{n} a='{n}'>" for n in range(60)) + "deep text" + "".join(
        f"</x{n}>" for n in reversed(range(60)))
    data = (f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
            f'<contentMeta><headline>H</headline></contentMeta>{deep}</newsItem>').encode()
    parsed, = parse_wire_bytes(data, "deep.xml")
    story = parsed.to_story()
    again = loads(dumps(story), "deep.md")
    assert again.extra == story.extra
    assert "deep text" in str(story.extra["wire"]["unmapped"])


def test_deep_unmapped_json_still_fits_a_story_file():
    nested: object = "deep text"
    for n in range(25):  # 50 levels: within the 64 read, beyond what a map in extra holds
        nested = {f"k{n}": [nested]}
    data = json.dumps({"uri": "u", "headline": "H", "ext": nested}).encode()
    parsed, = parse_wire_bytes(data, "deep.json")
    story = parsed.to_story()
    assert loads(dumps(story), "deep.md").extra == story.extra
    assert "deep text" in str(story.extra["wire"]["unmapped"])


def test_control_characters_in_json_are_removed_with_a_note():
    parsed, = parse_wire_bytes(
        b'{"uri": "u", "version": "1", "headline": "Bell\\u0007 rings\\u0000"}', "c.json")
    assert parsed.headline == "Bell rings"
    assert parsed.notes == ("removed 2 control characters",)


def test_reading_a_file_twice_gives_equal_items():
    path = SAMPLES / "newsml-g2-package.xml"
    assert parse_wire_file(path) == parse_wire_file(path)


def test_the_dateline_date_is_the_agency_s_own_day():
    # 23:30 in Tokyo is the same moment as 14:30 UTC; the dateline keeps Tokyo's day.
    data = (b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
            b"<itemMeta><firstCreated>2026-03-09T23:30:00+09:00</firstCreated></itemMeta>"
            b"<contentMeta><headline>H</headline></contentMeta></newsItem>")
    parsed, = parse_wire_bytes(data, "tokyo.xml")
    assert parsed.dateline_date == date(2026, 3, 9)
