"""Metadata text from files: HTML, controls, bidi tricks and length, by table and property."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsdesk.media.text import clean, decode_bytes, repair_latin1, strip_html

CLEAN_TABLE = [
    # (raw, limit, multiline, expected text, expected notes)
    ("Fire in Pudong", 50, False, "Fire in Pudong", ()),
    ("Tom & Jerry", 50, False, "Tom & Jerry", ()),
    ("AT&amp;T", 50, False, "AT&T", ("HTML removed",)),
    ("<b>Fire</b> in Pudong", 50, False, "Fire in Pudong", ("HTML removed",)),
    ("<script>alert(1)</script>Caption", 50, False, "Caption", ("HTML removed",)),
    ("<img src=x onerror=alert(1)>Smoke", 50, False, "Smoke", ("HTML removed",)),
    ("&lt;script&gt;alert(1)&lt;/script&gt;Smoke", 50, False, "Smoke", ("HTML removed",)),
    ("&amp;lt;b&amp;gt;x", 50, False, "x", ("HTML removed",)),
    ("<p>one</p><p>two</p>", 50, True, "one\ntwo", ("HTML removed",)),
    ("<p>one</p><p>two</p>", 50, False, "one two", ("HTML removed",)),
    ("a < b and c > d", 50, False, "a < b and c > d", ()),
    ("Bell\x07 and\x1b[31m red", 50, False, "Bell and[31m red", ("control characters removed",)),
    ("abc\u202egpj.exe", 50, False, "abcgpj.exe", ("control characters removed",)),
    ("zero\x00byte", 50, False, "zerobyte", ("control characters removed",)),
    ("line one\r\nline two", 50, True, "line one\nline two", ()),
    ("line one\r\nline two", 50, False, "line one line two", ()),
    ("a\n\n\n\n\nb", 50, True, "a\n\nb", ()),
    ("  spaced\t\tout  ", 50, False, "spaced out", ()),
    ("x" * 30, 20, False, "x" * 19 + "…", ("shortened to 20 characters",)),
    ("Cafe\u0301", 50, False, "Café", ()),
    ("家 ☃ 🚒", 50, False, "家 ☃ 🚒", ()),
    ("", 50, False, "", ()),
]


@pytest.mark.parametrize(("raw", "limit", "multiline", "text", "notes"), CLEAN_TABLE)
def test_clean_table(raw, limit, multiline, text, notes):
    assert clean(raw, limit, multiline) == (text, notes)


def test_megabytes_of_caption_are_cut_before_parsing():
    text, notes = clean("<b>x</b> " * 2_000_000, 100, True)
    assert len(text) <= 100 and text.endswith("…")
    assert "shortened to 100 characters" in notes


@pytest.mark.parametrize(
    ("raw", "utf8", "text"),
    [
        ("Zürich 上海".encode(), False, "Zürich 上海"),
        ("Zürich".encode("cp1252"), False, "Zürich"),
        (b"\x81\x8d", False, "\x81\x8d"),  # undefined in cp1252: Latin-1
        (b"caf\xe9", True, "caf\ufffd"),  # declared UTF-8 but is not: marked, not guessed
        (b"nul\x00ls", False, "nulls"),
    ],
)
def test_decode_bytes_table(raw, utf8, text):
    assert decode_bytes(raw, utf8) == text


@pytest.mark.parametrize(
    ("pillow_text", "text"),
    [("Â© 2023", "© 2023"), ("plain", "plain"), ("café", "café"), ("上海", "上海")],
)
def test_repair_latin1_table(pillow_text, text):
    assert repair_latin1(pillow_text) == text


def forbidden(char: str, multiline: bool) -> bool:
    if char == "\n":
        return not multiline
    code = ord(char)
    return (
        unicodedata.category(char) in {"Cc", "Cs"}
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or code in (0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB)
    )


markup = st.sampled_from(["<", ">", "&", "&lt;", "&gt;", "&amp;", "<b>", "</p>", "<script>",
                          "</script>", "<!--", "-->", "&#0;", "&#x202e;", "\r", "\n"])


@given(st.lists(st.one_of(st.text(max_size=20), markup), max_size=30),
       st.integers(min_value=1, max_value=60), st.booleans())
@example(["&#x202e;", "x"], 10, False)
@example(["&#0;", "<", "b", ">"], 10, True)
@example(["<", "\x1f?"], 2, False)
@example(["&lt;&#x1f;b>x"], 10, False)
def test_clean_output_is_plain_bounded_and_stable(parts, limit, multiline):
    text, _notes = clean("".join(parts), limit, multiline)
    assert len(text) <= limit
    assert not any(forbidden(c, multiline) for c in text)
    assert strip_html(text) == text, "markup survived"
    assert clean(text, limit, multiline)[0] == text, "cleaning twice changes it"
