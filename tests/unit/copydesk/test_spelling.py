"""Spell checking: what is flagged, what is left alone, and the newsroom word list."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.copydesk.british import american_forms
from newsdesk.copydesk.rules import Rules, load_rules
from newsdesk.copydesk.spelling import add_word, is_known, misspelled, story_words, suggestions
from newsdesk.domain.model import Dateline, Story

RULES = Rules()


def words(text: str, **kwargs) -> list[str]:
    return [word for _, _, word in misspelled(text, rules=kwargs.pop("rules", RULES), **kwargs)]


def test_typos_are_found_with_their_place():
    text = "The river ferry will recieve new engnes."
    misses = misspelled(text, rules=RULES)
    assert [w for _, _, w in misses] == ["recieve", "engnes"]
    for start, length, word in misses:
        assert text[start : start + length] == word


def test_correct_english_passes():
    assert words("The council's plan doesn't cover the well-known river crossings.") == []


def test_digits_caps_urls_and_code_are_ignored():
    text = "The 20th COP28 at NATOX: see https://exampel.org/pagez or mail editr@exampel.org " \
           "or [here](http://wrongg.example) and `codde`."
    assert words(text) == []


def test_hyphenated_parts_are_checked_one_by_one():
    assert words("A well-knwon face") == ["knwon"]


def test_word_list_and_story_metadata_names_are_accepted():
    assert words("Lindqvist spoke.") == ["Lindqvist"]
    assert words("Lindqvist spoke.", rules=Rules(words=frozenset({"lindqvist"}))) == []
    story = Story(byline="Mira Okafor", dateline=Dateline("Qingpu"), tags=("Zhujiajiao",))
    assert {"okafor", "qingpu", "zhujiajiao"} <= story_words(story)
    assert words("Okafor reports from Qingpu and Zhujiajiao; Lindqvist too.", story=story) == [
        "Lindqvist"
    ]


def test_possessive_of_a_known_name():
    story = Story(byline="Mira Okafor")
    assert words("Okafor's notebook and Okafor’s pen.", story=story) == []


def test_other_scripts_are_not_judged():
    assert words("上海 Zürich naïve") == []


def test_add_word_reaches_the_checker(tmp_path):
    conf = tmp_path / "conf"
    add_word("Lindqvist", conf)
    assert is_known("Lindqvist", load_rules(conf))
    assert words("Lindqvist spoke.", rules=load_rules(conf)) == []


def test_add_word_default_goes_to_the_config_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(tmp_path / "c"))
    add_word("Okafor")
    assert (tmp_path / "c" / "words.txt").read_text() == "Okafor\n"
    assert words("Okafor", rules=load_rules()) == []


BRITISH = (
    "The harbour footbridge spans 180 metres, and the organisation that travelled two "
    "kilometres to see it recognised its colour. The theatre's programme was cancelled; "
    "the council will analyse the defence of the kerb, the tyres and the catalogue."
)


def test_british_spellings_pass_in_the_house_spelling():
    assert Rules().spelling == "en-GB"
    assert words(BRITISH) == []
    assert words("Harbour's neighbourhood and Harbourmaster's favourite enrolment.") == []


def test_american_house_spelling_flags_british_forms():
    flagged = words(BRITISH, rules=Rules(spelling="en-US"))
    assert {"harbour", "metres", "organisation", "kilometres", "colour", "kerb", "tyres"} <= {
        w.lower() for w in flagged
    }
    assert words("The harbor is 180 meters wide.", rules=Rules(spelling="en-US")) == []


def test_british_rules_do_not_wave_typos_through():
    assert words("The harbur crew will recieve a colur chart and a fourm.") == [
        "harbur", "recieve", "colur", "fourm",
    ]


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("colour", "color"), ("neighbourhood", "neighborhood"), ("metres", "meters"),
        ("centred", "centered"), ("organisation", "organization"), ("analysed", "analyzed"),
        ("catalogue", "catalog"), ("offences", "offenses"), ("travelled", "traveled"),
        ("counsellor", "counselor"), ("fulfil", "fulfill"), ("enrolment", "enrollment"),
        ("recognisable", "recognizable"),
    ],
)
def test_american_forms_of_british_words(british, american):
    assert american in american_forms(british)


def test_short_words_have_no_american_forms():
    assert american_forms("tel") == american_forms("our") == american_forms("acre") == set()


def test_suggestions_keep_capitalization():
    assert suggestions("recieve")[0] == "receive"
    assert suggestions("Teh")[0] == "The"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_every_miss_points_at_its_word(text):
    for start, length, word in misspelled(text, rules=RULES):
        assert text[start : start + length] == word
