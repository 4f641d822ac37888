"""Spell checking: what is flagged, what is left alone, and the newsroom word list."""

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.model import Dateline, Story
from newsdesk.rules import Rules, load_rules
from newsdesk.spelling import add_word, is_known, misspelled, story_words, suggestions

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


def test_suggestions_keep_capitalization():
    assert suggestions("recieve")[0] == "receive"
    assert suggestions("Teh")[0] == "The"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=120))
def test_every_miss_points_at_its_word(text):
    for start, length, word in misspelled(text, rules=RULES):
        assert text[start : start + length] == word
