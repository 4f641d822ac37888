"""The copy-desk check of a story's pictures: a table of pictures and what is reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.copydesk.checks import has_errors, run_checks
from newsdesk.copydesk.picture_checks import unmentioned_names
from newsdesk.copydesk.rules import Rules, apply_rules_text
from newsdesk.domain.model import Story

NOW = datetime(2026, 12, 5, tzinfo=UTC)
GOOD = {
    "id": "sha256:" + "a" * 64, "file_name": "fire.jpg", "type": "image/jpeg",
    "width": 2400, "height": 1600, "caption": "Firefighters at the warehouse, by Li Wei.",
    "alt": "Three firefighters", "credit": "SHINE / Li Wei", "creator": "Li Wei",
    "copyright": "", "date_taken": "", "role": "lead",
}


def findings(**changes):
    story = Story(headline="Warehouse fire", body="Li Wei took the photo.",
                  extra={"pictures": [{**GOOD, **changes}]})
    return [(f.severity, f.message) for f in run_checks(story, Rules(), NOW)
            if f.check == "pictures"]


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"alt": " "}, [("error", "Picture fire.jpg has no alt text.")]),
    ({"credit": ""}, [("error", "Picture fire.jpg has no credit.")]),
    ({"caption": ""}, [("warning", "Picture fire.jpg has no caption.")]),
    ({"caption": "Mary Jones at the scene."},
     [("warning", "The caption of fire.jpg names Mary Jones; the story never does.")]),
    ({"width": 800},
     [("warning", "Picture fire.jpg is 800 px wide; the house minimum is 1024 px.")]),
])
def test_picture_findings_table(changes, expected):
    assert findings(**changes) == expected


def test_no_alt_text_is_an_error_that_blocks():
    story = Story(headline="x", extra={"pictures": [{**GOOD, "alt": ""}]})
    assert has_errors(run_checks(story, Rules(), NOW))


def test_an_unreadable_list_is_an_error():
    story = Story(headline="x", extra={"pictures": "not a list"})
    assert [f.severity for f in run_checks(story, Rules(), NOW) if f.check == "pictures"] == [
        "error"]


def test_the_house_minimum_width_comes_from_the_rules_file():
    rules, problems = apply_rules_text(Rules(), "limits:\n  picture_width: 3000\n", "desk")
    assert problems == [] and rules.picture_width_limit == 3000
    story = Story(headline="Warehouse fire", body="Li Wei.", extra={"pictures": [GOOD]})
    assert any("house minimum is 3000" in f.message for f in run_checks(story, rules, NOW))


@pytest.mark.parametrize("caption, story, names", [
    ("Li Wei at work.", "Li Wei wrote it.", []),
    ("Li Wei at work.", "Wei wrote it.", []),
    ("Mary-Jane O'Neil at the Pudong fire.", "The fire.", ["Mary-Jane O'Neil"]),
    ("firefighters at dusk", "", []),
])
def test_unmentioned_names(caption, story, names):
    assert unmentioned_names(caption, story) == names
