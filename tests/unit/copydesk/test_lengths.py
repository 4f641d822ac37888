"""Fit to length: targets from the house rules, and whether a story fits (issue 19)."""

from __future__ import annotations

import pytest

from newsdesk.copydesk.lengths import FITS, OVER, SHORT, Gauge, fit_state, gauges, target_words
from newsdesk.copydesk.rules import Rules, apply_rules_text
from newsdesk.domain.model import Story


@pytest.mark.parametrize(("count", "target", "ceiling", "state"), [
    (0, 600, False, SHORT),
    (539, 600, False, SHORT),
    (540, 600, False, FITS),
    (600, 600, False, FITS),
    (660, 600, False, FITS),
    (661, 600, False, OVER),
    (10, 64, True, FITS),
    (64, 64, True, FITS),
    (65, 64, True, OVER),
])
def test_fit_state(count, target, ceiling, state):
    assert fit_state(count, target, ceiling=ceiling) == state


def test_targets_come_from_the_rules_and_the_type():
    rules, problems = apply_rules_text(Rules(), "lengths:\n  words: 450\n  types:\n"
                                       "    brief: 150\n", "test")
    assert problems == []
    assert target_words(rules) == 450
    assert target_words(rules, "brief") == 150
    # A type with no target of its own (news) takes the house target; one with its own
    # (obituary, from the built-in types) keeps it unless `lengths: types` names it.
    assert target_words(rules, "news") == 450
    assert target_words(rules, "obituary") == 800


def test_bad_lengths_keep_the_defaults():
    rules, problems = apply_rules_text(Rules(), "lengths:\n  words: -3\n", "test")
    assert rules.target_words == 600 and "lengths" in problems[0]


def test_gauges_of_a_story():
    story = Story(headline="A" * 70, deck="Short deck", body="word " * 150, type="brief")
    rules = Rules(type_words=(("brief", 150),))
    found = gauges(story, rules)
    assert found["body"] == Gauge("body", 150, 150, "words")
    assert found["body"].state == FITS and found["body"].text() == "150 / 150 words"
    assert found["headline"].state == OVER
    assert "6 characters over" in found["headline"].explain()
    assert found["deck"].state == FITS
