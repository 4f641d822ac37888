"""Fit to length: a story's body, headline and deck measured against their targets.

The body's target, in words, comes from the story's type: `lengths: types` in the house
rules if it names the type, else the type's own `target` (type_rules.py), else the house
target (`lengths: words`); the headline's and deck's, in characters, are the house
limits. Pure functions: the metadata panel and the story list draw what they say.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.copydesk.rules import Rules
from newsdesk.domain.model import Story

SHORT, FITS, OVER = "short", "fits", "over"
# Within this share of the body's target, a story fits (a sub trims or pads the rest).
TOLERANCE = 0.1


@dataclass(frozen=True)
class Gauge:
    """How long something is, against what it should be."""

    what: str
    count: int
    target: int
    unit: str  # "words" or "characters"
    limit: bool = False  # a ceiling (headline, deck), not an aim (the body)

    @property
    def state(self) -> str:
        return fit_state(self.count, self.target, ceiling=self.limit)

    @property
    def share(self) -> float:
        """How full the gauge is: 1.0 at the target."""
        return self.count / self.target if self.target else 0.0

    def text(self) -> str:
        return f"{self.count:,} / {self.target:,} {self.unit}"

    def explain(self) -> str:
        if self.state == OVER:
            return f"{self.count - self.target:,} {self.unit} over the {self.what}'s target"
        if self.state == SHORT:
            return f"{self.target - self.count:,} {self.unit} short of the {self.what}'s target"
        return f"The {self.what} fits its target of {self.target:,} {self.unit}"


def fit_state(count: int, target: int, *, ceiling: bool = False) -> str:
    """short, fits or over: a ceiling is only ever over; an aim fits within TOLERANCE."""
    if ceiling:
        return OVER if count > target else FITS
    if count > target * (1 + TOLERANCE):
        return OVER
    return FITS if count >= target * (1 - TOLERANCE) else SHORT


def story_type(story: Story) -> str:
    """The story's type (kept for callers from before the model had the field)."""
    return story.type


def target_words(rules: Rules, kind: str = "") -> int:
    """The body's target in words for a story of this type (the house target for none)."""
    explicit = dict(rules.type_words).get(kind)
    if explicit:
        return explicit
    rule = rules.type_rule(kind) if kind else None
    return rule.target if rule is not None and rule.target else rules.target_words


def body_gauge(words: int, rules: Rules, kind: str = "") -> Gauge:
    return Gauge("body", words, target_words(rules, kind), "words")


def gauges(story: Story, rules: Rules) -> dict[str, Gauge]:
    """The body (words), headline and deck (characters) of a story against their targets."""
    return {
        "body": body_gauge(story.word_count, rules, story.type),
        "headline": Gauge("headline", len(story.headline), rules.headline_limit, "characters",
                          limit=True),
        "deck": Gauge("deck", len(story.deck), rules.deck_limit, "characters", limit=True),
    }
