"""formats/prettyjson: the same text as json.dumps(..., ensure_ascii=False, indent=2)."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.formats import prettyjson
from newsdesk.formats.ninjs import to_ninjs
from newsdesk.publish.ninjs import render_document
from tests.unit.publish.export_corpus import NOW, corpus


def reference(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


TEXT = st.text(st.characters(codec=None)) | st.sampled_from(
    ["", '"', "\\", "\x00\x1f\x7f", "\u2028\u2029", "é😀", "\ud800", "</script>", "a\nb\tc"]
)
LEAVES = (
    st.none() | st.booleans() | st.integers() | TEXT
    | st.floats(allow_nan=True, allow_infinity=True)
)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_is_written_as_json_dumps_writes_it(value):
    assert prettyjson.dumps(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [{}, [], (), {"a": {}}, {"a": []}, [[], {}], [[[1]]], {"": ""}, 10**40, -0.0, 1e300,
     math.nan, -math.inf, True, None, "\ud83d\ude00", {"x": {"y": {"z": [False, 1.5]}}}],
    ids=repr,
)
def test_edge_values_are_written_as_json_dumps_writes_them(value):
    assert prettyjson.dumps(value) == reference(value)


@pytest.mark.parametrize("story", corpus(), ids=lambda s: s.slug)
def test_ninjs_documents_are_byte_identical_to_json_dumps(story):
    doc = to_ninjs(story, now=NOW)
    assert prettyjson.dumps(doc) == reference(doc)
    assert render_document(story, NOW) == reference(doc) + "\n"


@pytest.mark.parametrize("value", [{1: "a"}, {None: 1}, {("a",): 1}, [{True: 1}]], ids=repr)
def test_keys_that_are_not_text_are_refused(value):
    with pytest.raises(TypeError, match="keys must be text"):
        prettyjson.dumps(value)


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", [object()], {"a": NOW}], ids=repr)
def test_values_json_cannot_write_are_refused(value):
    with pytest.raises(TypeError, match="not JSON serializable"):
        prettyjson.dumps(value)
