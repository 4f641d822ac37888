"""The Markdown engine's small decisions, each a pure function split out of a larger one
(issue 18), tested by a table: how a source line is read (lines.py), how a quote is cut
into paragraphs (blocks.py), which emphasis delimiters pair (inline.py) and what the
inline writer escapes or opens (inline_write.py)."""

from __future__ import annotations

import pytest

from newsdesk.formats.source import blocks, inline, inline_write, lines
from newsdesk.formats.source.inline import HARD_BREAK, Run


@pytest.mark.parametrize(("line", "expected"), [
    ("Plain text", False),
    ("# Heading", True),
    ("```", True),
    ("> quoted", True),
    ("***", True),
    ("<div>", True),
    ("<!-- note -->", True),
    ("- item", True),
    ("-", False),  # an empty item does not interrupt a paragraph
    ("2. second", False),  # only a list numbered from 1 interrupts
    ("1. first", True),
    ("    - deep", False),  # four spaces: the paragraph goes on
    ("<b>bold</b>", False),  # an inline tag is text
])
def test_which_lines_interrupt_a_paragraph(line, expected):
    assert lines.interrupts(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("text", False),
    ("- nested", True),
    ("    code", True),
    ("[ref]: https://example.com", True),
    ("<b>", False),
])
def test_which_lines_are_structure_inside_an_item_or_a_quote(line, expected):
    assert lines.structured(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("", 0), ("x", 0), ("  x", 2), ("\tx", 4), (" \tx", 4), ("      x", 6),
])
def test_indentation_counts_tabs_to_the_next_stop_of_four(line, expected):
    assert lines.indentation(line) == expected


@pytest.mark.parametrize(("marker", "expected"), [
    ("-", "-"), ("*", "*"), ("1.", "."), ("12)", ")"),
])
def test_which_list_a_marker_belongs_to(marker, expected):
    assert lines.list_sort(marker) == expected


@pytest.mark.parametrize(("line", "following", "expected"), [
    ("<table>", None, True),
    ("<span class='x'>", None, True),  # a lone tag on its line: HTML block kind 7
    ("[id]: https://example.com", None, True),
    ("a | b", "--- | ---", True),
    ("a | b", "text", False),
    ("a b", "---", False),  # no pipe: a setext heading, not a table
    ("a | b", None, False),
    ("Just text", "- item", False),
])
def test_which_blocks_are_kept_as_written_to_a_blank_line(line, following, expected):
    assert blocks._opens_protected_lines(line, following) is expected


@pytest.mark.parametrize(("quoted", "expected"), [
    (["> one", "> two"], ["one", "two"]),
    ([">one", "   > two"], ["one", "two"]),
    (["> one", "lazy"], None),  # a lazy continuation line: protected
    ([">\tindented"], None),
    ([">", "> x"], ["", "x"]),
])
def test_a_quotes_lines_without_their_markers(quoted, expected):
    assert blocks._quote_inner(quoted) == expected


@pytest.mark.parametrize(("inner", "expected"), [
    ([], []),
    (["a"], [(0, 0)]),
    (["a", "b", "", "c"], [(0, 1), (3, 3)]),
    (["", " ", "a", "", ""], [(2, 2)]),
])
def test_paragraph_spans_of_a_quote(inner, expected):
    assert blocks._paragraph_spans(inner) == expected


@pytest.mark.parametrize(("inner", "expected"), [
    (["a", "b"], True),
    (["a", "", "b"], True),
    (["- item"], False),
    (["a", "==="], False),  # a setext heading inside the quote
    (["a", "# b"], False),
    ([""], False),  # no paragraph at all
])
def test_which_quotes_are_simple_paragraphs(inner, expected):
    assert blocks._simple_quote(inner, blocks._paragraph_spans(inner)) is expected


def _delim(char: str, count: int, can_open: bool, can_close: bool) -> inline._Tok:
    tok = inline._Tok("delim")
    tok.char, tok.count, tok.orig = char, count, count
    tok.can_open, tok.can_close = can_open, can_close
    return tok


@pytest.mark.parametrize(("opener", "closer", "expected"), [
    (("*", 1, True, False), ("*", 1, False, True), True),
    (("*", 1, True, False), ("_", 1, False, True), False),  # another character
    (("*", 0, True, False), ("*", 1, False, True), False),  # nothing left to open
    (("*", 1, True, True), ("*", 2, False, True), False),  # the rule of three
    (("*", 3, True, True), ("*", 3, False, True), True),  # both multiples of three
    (("*", 1, True, False), ("*", 2, False, True), True),  # neither both-ways
])
def test_which_delimiter_runs_pair(opener, closer, expected):
    assert inline._may_pair(_delim(*opener), _delim(*closer)) is expected


@pytest.mark.parametrize(("inner", "expected"), [
    ("plain words", False),
    ("a*b", True), ("a_b", True), ("a\\b", True), ("a`b", True),
    ("a" + HARD_BREAK + "b", True),
    ("![x", True), ("x](y", True), ("x][y", True),
    ("x]y", False),
])
def test_what_inside_brackets_is_or_becomes_markup(inner, expected):
    assert inline_write._holds_markup(inner) is expected


@pytest.mark.parametrize(("follow", "after", "expected"), [
    ("(", "", True), ("[", "", True), (":", "", True), (" ", "", False), ("x", "(", False),
    ("", "(link)", True),  # the next run could start a link target
    ("", "", False),
])
def test_what_after_a_closing_bracket_may_make_a_link(follow, after, expected):
    assert inline_write._may_make_link(follow, after) is expected


@pytest.mark.parametrize(("text", "in_link", "after", "expected"), [
    ("a*b", False, "", "a\\*b"),
    ("code `x`", False, "", "code \\`x\\`"),
    ("snake_case", False, "", "snake_case"),
    ("_lead", False, "", "\\_lead"),
    ("trail_", False, "", "trail\\_"),
    ("Hey!", False, "", "Hey\\!"),  # a "!" that ends the run: the next may start "["
    ("Hey! you", False, "", "Hey! you"),
    ("![x]", False, "", "\\![x]"),  # the "!" escaped, the pair then is text
    ("a\\b", False, "", "a\\b"),
    ("a\\*", False, "", "a\\\\\\*"),
    ("end\\", False, "", "end\\\\"),
    ("[x] y", False, "", "[x] y"),  # a pair read back as text stays as written
    ("[x](y)", False, "", "\\[x](y)"),  # would become a link
    ("[x", False, "]", "\\[x"),  # would close in the text after
    ("[x", False, "", "[x"),  # never closes: stays
    ("[x]", True, "", "\\[x\\]"),  # brackets inside a link's text
])
def test_what_the_inline_writer_escapes(text, in_link, after, expected):
    assert inline_write._escape(text, in_link, after) == expected


def _runs(*styles: str) -> list[Run]:
    return [Run("x", "b" in style, "i" in style) for style in styles]


@pytest.mark.parametrize(("styles", "start", "kind", "expected"), [
    (("b", "b", ""), 0, "b", 2),
    (("b", "bi", "i"), 0, "i", 0),
    (("b", "bi", "i"), 1, "i", 2),
    (("",), 0, "b", 0),
])
def test_how_long_an_emphasis_lasts(styles, start, kind, expected):
    assert inline_write._lasting(_runs(*styles), start, kind) == expected


@pytest.mark.parametrize(("styles", "index", "open_before", "written", "open_after"), [
    (("b",), 0, [], "**", ["b"]),
    # the italic lasts longer, so it opens first and the bold nests inside it
    (("bi", "i"), 0, [], "***", ["i", "b"]),
    (("bi", "b"), 0, [], "***", ["b", "i"]),
    (("b", "i"), 1, ["b"], "***", ["i"]),  # bold closes, italic opens
    (("bi", "i"), 1, ["i", "b"], "**", ["i"]),
    (("",), 0, ["b", "i"], "***", []),
])
def test_which_markers_a_run_closes_and_opens(styles, index, open_before, written,
                                               open_after):
    stack = list(open_before)
    assert inline_write._reopen(_runs(*styles), index, stack, ("**", "*")) == written
    assert stack == open_after
