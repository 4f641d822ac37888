"""Random bytes and damaged samples: a wire reader gives items or a FormatError, nothing else.

Whatever comes back must also be something a take can save: a valid draft whose interchange
file can be written.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import check_valid
from newsdesk.formats.detect import parse_wire_bytes
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import dumps

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples" / "wire"
SAMPLE_BYTES = {path.name: path.read_bytes() for path in sorted(SAMPLES.iterdir())}
NAMES = st.sampled_from(["item.xml", "item.json", "item.txt", "item", "item.nitf"])


def read_or_refuse(data: bytes, name: str) -> None:
    """Items that a take can save, or a FormatError; any other exception fails the test."""
    try:
        items = parse_wire_bytes(data, name)
    except FormatError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert items
    for item in items:
        story = check_valid(item.to_story())
        dumps(story)


@given(st.binary(max_size=2000), NAMES)
@example(b"", "item.xml")
@example(b"\xef\xbb\xbf", "item")
@example(b"<", "item")
@example(b"{", "item")
@example(b"\xff\xfe<\x00", "item")
@example(b'<!DOCTYPE nitf SYSTEM "nitf\n-3-6.dtd"><nitf/>', "item.xml")  # found by a fuzz run
def test_random_bytes_never_raise_anything_but_format_error(data, name):
    read_or_refuse(data, name)


@st.composite
def mutated(draw) -> tuple[bytes, str]:
    """A sample with a few bytes flipped, cut, repeated or inserted."""
    name = draw(st.sampled_from(sorted(SAMPLE_BYTES)))
    data = bytearray(SAMPLE_BYTES[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "insert", "truncate"]))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        elif kind == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([
                b"<", b">", b"&", b"&amp;", b"]]>", b"<!--", b'"', b"\x00", b"\xe9", b"{",
                b"}", b",", b'"uri": null,', b"<p>", b"</p>", b"<script>", b"&#0;", b"\\u0000",
                b"\\ud800", b"date 2026-99-99\n", b"\n\n", b"Source: X\n", b"version=\"-1\"",
            ]))
        elif kind == "truncate":
            del data[at:]
    return bytes(data), name


@settings(max_examples=300)
@given(mutated())
def test_damaged_samples_never_raise_anything_but_format_error(case):
    data, name = case
    read_or_refuse(data, name)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20,
)
NINJS_KEYS = st.sampled_from([
    "uri", "version", "type", "headline", "headlines", "byline", "by", "body_html",
    "body_text", "bodies", "description_text", "descriptions", "subject", "subjects",
    "person", "people", "infosource", "infosources", "located", "urgency", "embargoed",
    "firstcreated", "versioncreated", "language", "pubstatus", "keywords", "standard",
    "$standard", "slugline", "ednote", "copyrightholder", "copyrightnotice",
])


@settings(max_examples=300)
@given(st.dictionaries(NINJS_KEYS, JSON_VALUES, max_size=12),
       st.sampled_from(["urn:x:1", "", 5]), st.sampled_from(["Headline", "", ["H"]]))
@example({"bodies": [{"value": "<p>x</p>", "contenttype": "text/html"}]}, "urn:x:1", "H")
@example({"subjects": [{"name": "S", "rel": "section"}, {"uri": "u"}]}, "urn:x:1", "H")
def test_random_ninjs_never_raises_anything_but_format_error(doc, uri, headline):
    doc.setdefault("uri", uri)
    doc.setdefault("headline", headline)
    read_or_refuse(json.dumps(doc).encode(), "item.json")
