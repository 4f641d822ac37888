"""Story types: the gate (type_failures, by a table), the rules of each type (`types:` in
a rules file), the field's validation, and the content hash of a story of the default
type, which must be the one it had before types existed."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.copydesk.checks import has_errors, run_checks
from newsdesk.copydesk.rules import Rules, apply_rules_text, load_rules
from newsdesk.copydesk.story_types import TypeGateError, check_gate, type_failures
from newsdesk.copydesk.type_rules import BUILTIN_TYPES
from newsdesk.domain.model import Dateline, Story, as_dict, validate

RULES = Rules()
ID = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"


def words(n: int) -> str:
    return " ".join(["word"] * n)


def story(**changes: object) -> Story:
    base = Story(
        id=ID, slug="harbour-ferry", headline="Ferry returns", deck="d", byline="By A",
        dateline=Dateline("Hull", date(2026, 12, 1)), section="News", tags=("ferries",),
        body=words(200),
    )
    return base.replace(**changes)


def test_the_seven_types_are_built_in():
    assert [rule.name for rule in BUILTIN_TYPES] == [
        "news", "brief", "analysis", "opinion", "obituary", "live", "correction",
    ]
    assert RULES.type_names() == tuple(rule.name for rule in BUILTIN_TYPES)


@pytest.mark.parametrize(("changes", "failures"), [
    ({}, []),
    ({"body": ""}, ["News needs a body"]),
    ({"body": words(3001)}, ["News is 3,001 words (at most 3,000, 1 over)"]),
    ({"type": "brief", "body": words(120)}, []),
    ({"type": "brief", "body": words(300)}, ["Brief is 300 words (at most 250, 50 over)"]),
    ({"type": "brief", "body": words(5)}, ["Brief is 5 words (at least 20)"]),
    ({"type": "brief", "headline": "", "body": ""},
     ["Brief needs a headline", "Brief needs a body", "Brief is 0 words (at least 20)"]),
    ({"type": "analysis", "deck": "", "byline": "", "body": words(500)},
     ["Analysis needs a deck", "Analysis needs a byline"]),
    ({"type": "opinion", "body": words(400)},
     ["Opinion is filed in 'News' (it goes in Opinion)"]),
    ({"type": "opinion", "body": words(400), "section": "Opinion / Letters"}, []),
    ({"type": "opinion", "body": words(400), "section": ""},
     ["Opinion is not filed in a section (it goes in Opinion)"]),
    ({"type": "obituary", "dateline": Dateline("Hull", None)},
     ["Obituary needs a dateline (place and date)"]),
    ({"type": "live", "deck": " "}, ["Live needs a deck"]),
    ({"type": "correction", "body": words(12)}, []),
    ({"type": "feature"}, ["'feature' is not a story type here (news, brief, analysis, "
                           "opinion, obituary, live, correction)"]),
])
def test_type_failures(changes, failures):
    assert type_failures(story(**changes), RULES) == failures


def test_the_gate_names_every_failure_in_one_message_for_submit_and_approve():
    broken = story(type="analysis", deck="", byline="", body=words(10))
    for action in ("submit", "approve"):
        with pytest.raises(TypeGateError) as refused:
            check_gate(broken, action, RULES)
        message = str(refused.value)
        assert message.startswith(f"cannot {action}: the story breaks the rules of its type")
        assert "Analysis needs a deck; Analysis needs a byline; Analysis is 10 words" in message
        assert "\n" not in message
    for action in ("publish", "spike", "request_changes", "restore"):
        check_gate(broken, action, RULES)  # only what sends a story on is gated


def test_a_rules_file_changes_a_type_key_by_key_and_adds_types():
    rules, problems = apply_rules_text(RULES, """
types:
  brief: {max_words: 300}
  feature:
    label: "Feature"
    required: [headline, deck, byline, body]
    min_words: 800
    sections: ["Culture"]
""", "desk rules")
    assert problems == []
    brief = rules.type_rule("brief")
    assert brief is not None and (brief.max_words, brief.min_words, brief.target) == (300, 20, 150)
    feature = rules.type_rule("feature")
    assert feature is not None and feature.sections == ("Culture",)
    assert "feature" in rules.type_names() and "news" in rules.type_names()
    assert type_failures(story(type="feature", body=words(900)), rules) == [
        "Feature is filed in 'News' (it goes in Culture)"
    ]


@pytest.mark.parametrize(("text", "named"), [
    ("types:\n  brief: {max_words: -1}\n", "types: brief: max_words"),
    ("types:\n  brief: {required: [headline, photo]}\n",
     "types: brief: required: no field 'photo'"),
    ("types:\n  brief: {colour: red}\n", "types: brief: colour: unknown key"),
    ("types:\n  Big Story: {}\n", "types: 'Big Story' is not a type name"),
    ("types:\n  brief: {min_words: 400, max_words: 300}\n", "types: brief: min_words 400"),
    ("types: [brief]\n", "types: expected a mapping"),
])
def test_a_bad_types_key_is_one_line_naming_it_and_keeps_the_defaults(text, named):
    rules, problems = apply_rules_text(RULES, text, "desk rules")
    assert rules.types == RULES.types
    assert len(problems) == 1 and "\n" not in problems[0]
    assert problems[0].startswith(f"desk rules: {named}"), problems[0]


def test_the_type_field_is_validated():
    assert "type" in validate(story(type="Big Story"))
    assert "type" not in validate(story(type=" Opinion "))
    assert story(type=" Opinion ").type == "opinion"
    assert story(type="").type == "news"
    assert as_dict(story(type="brief"))["type"] == "brief"


# The content hash of this story, computed by the release before story types (and its
# hand-added `type` key, an extra key then, never counted).
HASH_BEFORE_TYPES = "sha256:c55975835eefc86991b4d48cc308fbb54619742080037642398d2b490ac7ed75"


def test_a_story_of_the_default_type_hashes_as_before_types_existed():
    before = story(body="The ferry is back.\n", tags=("ferries", "harbour"))
    assert before.content_hash == HASH_BEFORE_TYPES
    assert before.replace(type="news").content_hash == HASH_BEFORE_TYPES
    # Any other type is content: a chief approves it, a change of it voids the approval.
    assert before.replace(type="opinion").content_hash != HASH_BEFORE_TYPES


def test_the_copy_checks_show_the_type_failures_as_errors_on_their_fields():
    found = [f for f in run_checks(story(type="analysis", byline="", body=words(50)), RULES)
             if f.check == "type"]
    assert [(f.severity, f.field, f.message) for f in found] == [
        ("error", "byline", "Analysis needs a byline."),
        ("error", "body", "Analysis is 50 words (at least 400)."),
    ]
    assert has_errors(found)
    assert not [f for f in run_checks(story(), RULES) if f.check == "type"]


def test_the_shipped_rules_file_states_the_built_in_types(tmp_path):
    # resources/rules.yaml shows a desk every type's rules; they must be the built-in ones.
    rules = load_rules(tmp_path)
    assert rules.problems == () and rules.types == BUILTIN_TYPES
