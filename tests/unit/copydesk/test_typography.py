"""Typographer's quotes, dashes and ellipses: as typed and for a whole field (issue 19)."""

from __future__ import annotations

import pytest

from newsdesk.copydesk.typography import Style, as_typed, smarten, story_changes, straight_quotes
from newsdesk.domain.model import Story

HOUSE = Style()  # curly quotes, spaced en dashes, ellipsis


@pytest.mark.parametrize(("before", "typed", "expected"), [
    ("He said ", '"', (1, "“")),
    ("He said “yes", '"', (1, "”")),
    ("", '"', (1, "“")),
    ("(", '"', (1, "“")),
    ("**", '"', (1, "“")),
    ("It", "'", (1, "’")),
    ("the ", "'", (1, "‘")),
    ("‘quoted", "'", (1, "’")),
    ("word -", "-", (2, "–")),
    ("word ", "-", None),
    ("-", "-", None),  # a line of dashes, not a dash
    ("word --", "-", None),
    ("<!-", "-", None),  # an HTML comment being typed
    ("word -", " ", (2, "– ")),
    ("-", " ", None),  # a list item being typed
    ("  -", " ", None),
    ("Wait..", ".", (3, "…")),
    ("Wait...", ".", None),
    ("Wait.", ".", None),
    ("a", "x", None),
])
def test_as_typed(before, typed, expected):
    assert as_typed(before, typed, HOUSE) == expected


def test_as_typed_follows_the_house_rules():
    assert as_typed("He said ", '"', Style(quotes="straight")) is None
    assert as_typed("He said ", '"', Style(quotes="any")) is None
    assert as_typed("word -", "-", Style(dashes="em")) == (2, "—")
    assert as_typed("word -", "-", Style(dashes="off")) is None
    assert as_typed("Wait..", ".", Style(ellipsis=False)) is None


@pytest.mark.parametrize(("text", "expected"), [
    ('He said "yes" -- twice...', "He said “yes” – twice…"),
    ("It's the '90s", "It’s the ’90s"),
    ("'single' and \"double\"", "‘single’ and “double”"),
    ("a - b and a--b", "a – b and a–b"),
    ("ranges 10-12 and 2026-12-03 stay", "ranges 10-12 and 2026-12-03 stay"),
    ("four.... dots", "four.... dots"),
])
def test_smarten_plain_text(text, expected):
    assert smarten(text, HOUSE) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ('Say "hi" and `print("hi")`.', "Say “hi” and `print(\"hi\")`."),
    ('See [the "report"](https://x.org/a--b "Title").',
     'See [the “report”](https://x.org/a--b "Title").'),
    ("Visit https://example.org/it's--here now.", "Visit https://example.org/it's--here now."),
    ('<span title="x">It\'s</span>', '<span title="x">It’s</span>'),
    ("- item one\n- item - two\n", "- item one\n- item – two\n"),
    ("Text\n\n---\n\nMore", "Text\n\n---\n\nMore"),
    ("| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b |\n|---|---|\n| 1 | 2 |\n"),
    ('```\nx = "--"\n```\n\nHe said "so".', '```\nx = "--"\n```\n\nHe said “so”.'),
    ('    code "kept"\n\nprose "changed"', '    code "kept"\n\nprose “changed”'),
    ('An escaped \\"quote\\" stays', 'An escaped \\"quote\\" stays'),
    ("<!-- a note -- kept -->\n\nText...", "<!-- a note -- kept -->\n\nText…"),
    ('*"Emphasised"* quote', "*“Emphasised”* quote"),
    ("[ref]: https://x.org 'Title'\n", "[ref]: https://x.org 'Title'\n"),
])
def test_smarten_a_markdown_body_leaves_markup_alone(body, expected):
    assert smarten(body, HOUSE, markdown=True) == expected


def test_a_straight_house_straightens_curly_quotes():
    assert smarten("“Yes,” it’s", Style(quotes="straight")) == "\"Yes,\" it's"
    assert smarten("“Yes,” it’s", Style(quotes="any")) == "“Yes,” it’s"


def test_straight_quotes_are_the_ones_it_would_change():
    body = 'He said "no" and `x="y"` at https://a.org/it\'s'
    assert straight_quotes(body, markdown=True) == [8, 11]


def test_story_changes_are_listed_by_field_and_line():
    story = Story(headline="Mayor: 'We rebuild'", deck="Plain deck", caption="",
                  body='First line.\n\nShe said "soon" -- maybe.')
    changes = story_changes(story, HOUSE)
    assert [(c.field, c.line, c.old, c.new) for c in changes] == [
        ("headline", 1, "'", "‘"), ("headline", 1, "'", "’"),
        ("body", 3, '"', "“"), ("body", 3, '"', "”"), ("body", 3, " -- ", " – "),
    ]


def test_the_quotes_check_flags_only_what_the_house_style_changes():
    from newsdesk.copydesk.checks import run_checks
    from newsdesk.copydesk.rules import Rules
    from newsdesk.copydesk.typography import apply_house_style

    story = Story(headline="Ferry", slug="ferry",
                  body='She said "soon". Run `x="y"`, see <https://a.org/it\'s>.')
    quotes = [f for f in run_checks(story, Rules()) if f.check == "quotes"]
    assert [f.start for f in quotes] == [9, 14]
    styled = apply_house_style(story, HOUSE)
    assert [f for f in run_checks(styled, Rules()) if f.check == "quotes"] == []


def test_house_style_clears_every_quote_note_of_the_sample_wire_story(sample_wire_path):
    from newsdesk.copydesk.checks import run_checks
    from newsdesk.copydesk.rules import Rules
    from newsdesk.copydesk.typography import apply_house_style
    from newsdesk.formats.wire import read_wire

    story = read_wire(sample_wire_path).story
    assert len([f for f in run_checks(story, Rules()) if f.check == "quotes"]) >= 5
    styled = apply_house_style(story, HOUSE)
    assert [f for f in run_checks(styled, Rules()) if f.check == "quotes"] == []
    assert styled.body.count("“") == styled.body.count("”")


@pytest.mark.parametrize(("text", "problem"), [
    ("typography:\n  dashes: long\n", "dashes"),
    ("typography:\n  ellipsis: maybe\n", "ellipsis"),
    ("typography:\n  smart: true\n", "unknown key"),
])
def test_a_bad_typography_rule_keeps_the_house_default(text, problem):
    from newsdesk.copydesk.rules import Rules, apply_rules_text

    rules, problems = apply_rules_text(Rules(), text, "test")
    assert (rules.dashes, rules.ellipsis) == ("en", True)
    assert problem in problems[0]


def test_the_house_style_comes_from_the_rules():
    from newsdesk.copydesk.rules import Rules, apply_rules_text
    from newsdesk.copydesk.typography import house_style

    rules, problems = apply_rules_text(
        Rules(), 'quotes: "straight"\ntypography:\n  dashes: em\n  ellipsis: false\n', "test")
    assert problems == []
    assert house_style(rules) == Style(quotes="straight", dashes="em", ellipsis=False)
