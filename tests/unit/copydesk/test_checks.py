"""Copy-desk checks: each check finds what it should, where it should, and nothing else."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.copydesk.checks import (
    CHECK_NAMES,
    CHECKS,
    Finding,
    has_errors,
    mask_markup,
    run_checks,
)
from newsdesk.copydesk.name_variants import edit_distance
from newsdesk.copydesk.rules import Rules
from newsdesk.domain.model import Dateline, Story
from newsdesk.formats.wire import read_wire

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
RULES = Rules()


def clean_story(**changes) -> Story:
    """A story every check passes."""
    fields = dict(
        slug="harbour-ferry",
        headline="Harbour ferry returns after winter refit",
        deck="The old ferry is back on the river with new engines and a wider deck.",
        byline="Mira Okafor",
        dateline=Dateline("Riverton", date(2026, 11, 24)),
        section="News / Metro",
        editor="Tom Reyes",
        body=(
            "The Riverton ferry sailed again on Monday after four months in dry dock.\n\n"
            "Captain Ada Lindqvist said the new engines were “quieter than a bicycle”.\n\n"
            "Mira Okafor rode the first crossing (a ten-minute trip) with Ada Lindqvist."
        ),
    )
    fields.update(changes)
    return Story(**fields)


def found(story: Story, check: str, rules: Rules = RULES) -> list[Finding]:
    return [f for f in run_checks(story, rules, NOW) if f.check == check]


def selected(story: Story, finding: Finding) -> str:
    text = getattr(story, finding.field)
    return text[finding.start : finding.start + finding.length]


def test_clean_story_has_no_findings():
    assert run_checks(clean_story(), RULES, NOW) == []


def test_every_check_is_registered():
    assert set(CHECK_NAMES) == {
        "repeated_paragraph", "headline", "length", "missing", "placeholder", "double_space",
        "quotes", "unbalanced", "name_variants", "embargo", "type", "pictures",
    }
    # What a rules file may disable (rules.CHECK_NAMES) is exactly what runs, in order.
    assert tuple(CHECKS) == CHECK_NAMES


# --- repeated paragraphs ---

def test_paragraph_repeated_in_body_is_found_at_the_second_copy():
    para = "Crews worked through the night to finish the hull."
    story = clean_story(body=f"{para}\n\nA different paragraph sits here now.\n\n{para}\n")
    [finding] = found(story, "repeated_paragraph")
    assert finding.field == "body"
    assert finding.start == story.body.rindex(para)
    assert selected(story, finding) == para
    assert "line 1" in finding.message


def test_paragraph_repeating_the_deck_is_found():
    story = clean_story(body=clean_story().deck + "\n\nThe rest of the story follows here.")
    [finding] = found(story, "repeated_paragraph")
    assert finding.start == 0 and "deck" in finding.message


def test_repeat_ignores_spacing_and_case_but_not_different_words():
    story = clean_story(body="One two three four five.\n\none  two THREE four five.")
    assert len(found(story, "repeated_paragraph")) == 1
    story = clean_story(body="One two three four five.\n\nOne two three four six.")
    assert found(story, "repeated_paragraph") == []


def test_short_repeats_like_scene_breaks_are_not_flagged():
    story = clean_story(body="Part one here.\n\n* * *\n\nMore text here.\n\n* * *\n\nEnd.")
    assert found(story, "repeated_paragraph") == []


# --- headline, lengths, missing fields ---

def test_missing_headline_is_an_error():
    [finding] = found(clean_story(headline="  "), "headline")
    assert finding.severity == "error" and finding.field == "headline"


def test_long_headline_selects_the_overflow():
    headline = "A" * 60 + " and more words"
    story = clean_story(headline=headline)
    [finding] = found(story, "headline")
    assert finding.severity == "warning"
    assert selected(story, finding) == headline[64:]
    assert found(clean_story(headline="B" * 64), "headline") == []


def test_long_deck_and_slug_follow_the_rules():
    story = clean_story(deck="d" * 161, slug="s" * 25)
    assert {f.field for f in found(story, "length")} == {"deck", "slug"}
    assert found(story, "length", Rules(deck_limit=200, slug_limit=30)) == []


def test_missing_dateline_section_and_byline():
    story = clean_story(dateline=Dateline(), section="", byline="")
    findings = found(story, "missing")
    assert sorted(f.field for f in findings) == ["byline", "dateline", "dateline", "section"]
    assert found(clean_story(), "missing") == []


# --- placeholders ---

@pytest.mark.parametrize(
    ("text", "marker"),
    [("The mayor said TK.", "TK"), ("Cost: XX dollars", "XX"), ("See [[check name]] here.",
     "[[check name]]"), ("The <TK> figure", "TK")],
)
def test_placeholder_is_an_error_and_selected(text, marker):
    story = clean_story(body=text)
    [finding] = found(story, "placeholder")
    assert finding.severity == "error" and selected(story, finding) == marker
    assert has_errors(run_checks(story, RULES, NOW))


@pytest.mark.parametrize("text", ["TKO in round two.", "The Tk library", "XXL shirts", "Xx"])
def test_placeholder_words_are_whole_and_case_sensitive(text):
    assert found(clean_story(body=text), "placeholder") == []


def test_placeholder_in_headline_and_custom_patterns():
    story = clean_story(headline="Ferry returns TK", body="Fare is ?? pence.")
    rules = Rules(placeholder_patterns=(r"\?\?",))
    assert {f.field for f in found(story, "placeholder", rules)} == {"headline", "body"}


def test_placeholder_inside_code_is_ignored():
    assert found(clean_story(body="Type `TK` to mark a gap."), "placeholder") == []


# --- double spaces ---

def test_double_space_between_words_is_found():
    story = clean_story(deck="Two  spaces here.")
    [finding] = found(story, "double_space")
    assert finding.field == "deck" and selected(story, finding) == "  "


def test_markdown_indent_and_hard_break_are_not_double_spaces():
    story = clean_story(body="- item\n    - nested item\n\nline one  \nline two")
    assert found(story, "double_space") == []


def test_link_targets_and_code_are_not_double_spaces():
    story = clean_story(body="See the [port website](https://port.example/b). Or `a  b`.\n\n"
                             "1.  First point\n\nA real  one.")
    [finding] = found(story, "double_space")
    assert selected(story, finding) == "  " and finding.start == story.body.index("real") + 4


# --- quotes ---

def test_straight_quotes_are_found_when_the_house_uses_curly():
    story = clean_story(body='He said "yes" and it\'s done.')
    findings = found(story, "quotes")
    assert [selected(story, f) for f in findings] == ['"', '"', "'"]


def test_curly_quotes_pass_and_straight_house_flips_it():
    story = clean_story(body="He said “yes” and it’s done.")
    assert found(story, "quotes") == []
    assert len(found(story, "quotes", Rules(quotes="straight"))) == 3
    assert found(clean_story(body='"x"'), "quotes", Rules(quotes="any")) == []


def test_quotes_in_code_and_link_titles_are_ignored():
    story = clean_story(body='Run `say "hi"` or [see](http://example.org "Title").')
    assert found(story, "quotes") == []


# --- unbalanced ---

@pytest.mark.parametrize(
    ("text", "char"),
    [("Open (never closed.", "("), ("Closed) without opening.", ")"),
     ("She said “yes.", "“"), ('He said "no.', '"'), ("A [bracket ( mix].", "(")],
)
def test_unbalanced_brackets_and_quotes(text, char):
    story = clean_story(body=text)
    [finding] = found(story, "unbalanced")
    assert selected(story, finding) == char


def test_balanced_text_lists_and_links_pass():
    body = "1) First (with aside).\n2) Second [note].\n\nA [link](http://x.org/a_(b)) here."
    assert found(clean_story(body=body), "unbalanced") == []


def test_quotation_running_over_paragraphs_is_not_unbalanced():
    body = "“The first paragraph of the quote.\n\n“The second one ends it,” she said."
    assert found(clean_story(body=body), "unbalanced") == []


# --- names spelled two ways ---

def test_name_spelled_two_ways_flags_the_rarer_spelling():
    body = (
        "Mayor Gong Zheng opened the bridge.\n\nGong Zheng said it was overdue.\n\n"
        "Residents thanked Gong Zhen for the work."
    )
    story = clean_story(body=body)
    [finding] = found(story, "name_variants")
    assert selected(story, finding) == "Gong Zhen"
    assert "Gong Zheng" in finding.message


def test_name_in_metadata_against_body():
    story = clean_story(editor="Xu Fang", body="Reporting by Xu Fan and Mira Okafor.")
    findings = found(story, "name_variants")
    assert [(f.field, selected(story, f)) for f in findings] == [("body", "Xu Fan")]


@pytest.mark.parametrize(
    "body",
    [
        "North Korea and South Korea met.",  # two ordinary words
        "Hong Kong and the Hong Kongs of tomorrow.",  # a plural
        "Chen Jining met Lee Ka Chiu.",  # different names
        "Ada Lindqvist met Ada Lindqvist's sister.",  # a possessive
        "Mr Lee met Mr Li.",  # short names need an exact difference of one letter
    ],
)
def test_name_variants_avoid_false_positives(body):
    assert found(clean_story(body=body), "name_variants") == []


def test_edit_distance():
    assert edit_distance("zheng", "zhen") == 1
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("", "abc") == 3


# --- embargo ---

def test_embargo_in_the_past_is_found_and_future_is_not():
    [finding] = found(clean_story(embargo=NOW - timedelta(minutes=1)), "embargo")
    assert finding.field == "embargo"
    assert found(clean_story(embargo=NOW + timedelta(hours=1)), "embargo") == []


# --- rules and the sample wire story ---

def test_disabled_checks_do_not_run():
    story = clean_story(headline="")
    assert found(story, "headline", Rules(disabled=frozenset({"headline"}))) == []


def test_rules_problems_are_reported_as_findings():
    findings = run_checks(clean_story(), Rules(problems=("rules.yaml line 2: bad",)), NOW)
    assert [(f.check, f.message) for f in findings] == [("rules", "rules.yaml line 2: bad")]


def test_mask_markup_keeps_offsets():
    body = "Text `code` and [a](http://x.y) and\n```\nfence TK\n```\nend"
    masked = mask_markup(body)
    assert len(masked) == len(body) and "TK" not in masked and masked.endswith("end")


def test_sample_wire_story_shows_its_repeated_standfirst(sample_wire_path):
    story = read_wire(sample_wire_path).story
    findings = run_checks(story, RULES, NOW)
    [repeat] = [f for f in findings if f.check == "repeated_paragraph"]
    assert "deck" in repeat.message and repeat.field == "body"
    assert selected(story, repeat).split() == story.deck.split()
    # Its names are spelled one way throughout, and nothing in it is an error.
    assert not [f for f in findings if f.check == "name_variants"]
    assert not has_errors(findings)


def test_sample_wire_story_imported_into_the_desk_shows_the_finding(sample_wire_path, tmp_path):
    from newsdesk.desk import Desk

    with Desk.open(tmp_path / "desk.db") as desk:
        [story] = desk.import_paths([sample_wire_path]).imported
        findings = desk.check(story.slug)
    assert any(f.check == "repeated_paragraph" and "deck" in f.message for f in findings)


COPY_CHARACTERS = st.sampled_from(list("ab TK[]()“”\"'`*_-\n #>1.XxZhengGo"))


@settings(max_examples=150, deadline=None)
@given(body=st.text(alphabet=COPY_CHARACTERS, max_size=200), deck=st.text(max_size=40))
def test_findings_always_address_text_inside_their_field(body, deck):
    story = clean_story(body=body, deck=deck)
    for finding in run_checks(story, RULES, NOW):
        assert finding.severity in ("error", "warning", "note")
        value = getattr(story, finding.field) if finding.field else ""
        if isinstance(value, str):
            assert finding.start >= 0 and finding.start + finding.length <= len(value)
