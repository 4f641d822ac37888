"""Which metadata block wins, and how each block's raw values become fields: tables."""

from __future__ import annotations

import pytest

from newsdesk.media.exif import is_boilerplate, joined_copyright
from newsdesk.media.iptc import iim_fields
from newsdesk.media.metadata import combine
from newsdesk.media.xmp import property_text, xmp_fields

COMBINE_TABLE = [
    # (XMP fields, IPTC fields, EXIF fields, expected {field: (value, source)})
    ({"caption": "X"}, {"caption": "I"}, {"caption": "E"}, {"caption": ("X", "XMP")}),
    ({}, {"caption": "I"}, {"caption": "E"}, {"caption": ("I", "IPTC")}),
    ({}, {}, {"caption": "E"}, {"caption": ("E", "EXIF")}),
    ({"caption": "  "}, {"caption": "I"}, {}, {"caption": ("I", "IPTC")}),
    ({"caption": "<b></b>"}, {"caption": "I"}, {}, {"caption": ("I", "IPTC")}),
    ({"creator": "X"}, {"credit": "I"}, {}, {"creator": ("X", "XMP"), "credit": ("I", "IPTC")}),
    # No credit line anywhere: the creator is the credit.
    ({}, {"creator": "Li Wei"}, {}, {"creator": ("Li Wei", "IPTC"), "credit": ("Li Wei", "IPTC")}),
    ({"date_taken": "2023-11-06"}, {}, {"date_taken": "2023-11-06T18:42:10"},
     {"date_taken": ("2023-11-06", "XMP")}),
    ({"date_taken": "not a date"}, {}, {}, {}),
    ({"alt": "Three firefighters"}, {}, {}, {"alt": ("Three firefighters", "XMP")}),
]


@pytest.mark.parametrize(("xmp", "iptc", "exif", "expected"), COMBINE_TABLE)
def test_combine_takes_the_first_non_empty_source(xmp, iptc, exif, expected):
    found = combine([("XMP", xmp), ("IPTC", iptc), ("EXIF", exif)])
    values = {k: v for k, v in found.values().items() if v}
    assert values == {k: v for k, (v, _s) in expected.items()}
    assert dict(found.sources) == {k: s for k, (_v, s) in expected.items()}


def test_combine_notes_what_cleaning_changed_and_where():
    found = combine(
        [("IPTC", {"caption": "<i>Fire</i>\x07"})], notes=["EXIF metadata unreadable, ignored"]
    )
    assert found.caption == "Fire"
    assert found.notes == ("EXIF metadata unreadable, ignored",
                           "caption (IPTC): control characters removed",
                           "caption (IPTC): HTML removed")


def test_combine_carries_location_camera_and_orientation():
    found = combine([], has_location=True, camera="Cam\x1b[2J", orientation=6)
    assert (found.has_location, found.camera, found.orientation) == (True, "Cam[2J", 6)
    assert combine([], orientation=99).orientation == 1


def alt(*items):
    return {"Alt": {"li": list(items) if len(items) > 1 else items[0]}}


PROPERTY_TABLE = [
    ("plain", "plain"),
    (alt({"lang": "x-default", "text": "Default"}), "Default"),
    (alt({"lang": "de", "text": "Deutsch"}, {"lang": "x-default", "text": "Default"}), "Default"),
    (alt({"lang": "de", "text": "Deutsch"}), "Deutsch"),
    (alt({"lang": "x-default"}), ""),
    ({"Seq": {"li": ["Li Wei", "Zhang San"]}}, "Li Wei, Zhang San"),
    ({"Bag": {"li": "Only"}}, "Only"),
    ({"Seq": {"li": [{"nested": {"deep": "x"}}, "Ok"]}}, "Ok"),
    ({"resource": "x", "text": "Attr text"}, "Attr text"),
    (None, ""),
    (42, ""),
    (["a", "b"], ""),
]


@pytest.mark.parametrize(("value", "text"), PROPERTY_TABLE)
def test_xmp_property_text_table(value, text):
    assert property_text(value) == text


def tree(*descriptions):
    items = list(descriptions)
    return {"xmpmeta": {"RDF": {"Description": items if len(items) > 1 else items[0]}}}


XMP_TABLE = [
    (tree({"description": alt({"lang": "x-default", "text": "Cap"}), "Credit": "AFP"}),
     {"caption": "Cap", "credit": "AFP"}, False),
    (tree({"about": ""}, {"creator": {"Seq": {"li": "Li Wei"}}, "GPSLatitude": "31,14N"}),
     {"creator": "Li Wei"}, True),
    (tree({"rights": alt({"lang": "x-default", "text": "© AFP"}),
           "AltTextAccessibility": alt({"lang": "x-default", "text": "Alt"})}),
     {"copyright": "© AFP", "alt": "Alt"}, False),
    (tree({"DateCreated": "2023-11-06T18:42:10+08:00", "DateTimeOriginal": "2020-01-01"}),
     {"date_taken": "2023-11-06T18:42:10+08:00"}, False),
    (tree({"DateCreated": "soon", "DateTimeOriginal": "2020-01-01"}),
     {"date_taken": "2020-01-01"}, False),
    # A nested structure's "description" is not the picture's caption.
    (tree({"ArtworkOrObject": {"Bag": {"li": {"description": "Not me"}}}}), {}, False),
    ({"RDF": {"Description": {"Credit": "No wrapper"}}}, {"credit": "No wrapper"}, False),
    ({"xmpmeta": "junk"}, {}, False),
    ({}, {}, False),
]


@pytest.mark.parametrize(("xmp", "fields", "gps"), XMP_TABLE)
def test_xmp_fields_table(xmp, fields, gps):
    assert xmp_fields(xmp) == (fields, gps)


IIM_TABLE = [
    ({(2, 120): b"Caption", (2, 110): b"Credit"}, {"caption": "Caption", "credit": "Credit"}),
    ({(1, 90): b"\x1b%G", (2, 80): [b"Li Wei", "张三".encode()]},
     {"creator": "Li Wei, 张三"}),
    ({(2, 116): "© Agence".encode("cp1252")}, {"copyright": "© Agence"}),
    ({(2, 55): b"20231106", (2, 60): b"184210+0800"}, {"date_taken": "2023-11-06T18:42:10+08:00"}),
    ({(2, 55): b"2023"}, {}),
    ({(2, 120): b"   "}, {}),
    ({(2, 120): 7}, {}),
    ({}, {}),
]


@pytest.mark.parametrize(("info", "fields"), IIM_TABLE)
def test_iim_fields_table(info, fields):
    assert iim_fields(info) == fields


@pytest.mark.parametrize(
    ("description", "names", "boilerplate"),
    [
        ("OLYMPUS DIGITAL CAMERA", (), True),
        ("  sony   dsc ", (), True),
        ("Canon EOS R5", ("Canon", "Canon EOS R5"), True),
        ("Fire in Pudong", ("Canon", "Canon EOS R5"), False),
        ("Canon", ("Canon", "Canon EOS R5"), True),
        ("EOS", ("Canon", "Canon EOS R5"), False),
        ("", (), True),
    ],
)
def test_camera_boilerplate_is_not_a_caption(description, names, boilerplate):
    assert is_boilerplate(description, *names) is boilerplate


@pytest.mark.parametrize(
    ("raw", "notice"),
    [("Li Wei", "Li Wei"), ("Li Wei\x00SHINE", "Li Wei; SHINE"), ("\x00SHINE", "SHINE"),
     (" \x00 ", "")],
)
def test_exif_copyright_joins_photographer_and_editor(raw, notice):
    assert joined_copyright(raw) == notice
