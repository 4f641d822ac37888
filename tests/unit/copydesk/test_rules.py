"""House rules: shipped defaults, the desk's override file, and clear messages for bad files."""

import os
from pathlib import Path

import pytest

from newsdesk.copydesk.rules import RulesError, add_word, config_dir, default_rules_text, load_rules


@pytest.fixture
def conf(tmp_path) -> Path:
    return tmp_path / "conf"


def write(conf: Path, text: str) -> None:
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "rules.yaml").write_text(text, encoding="utf-8")


def test_defaults_are_the_house_limits(conf):
    rules = load_rules(conf)
    assert (rules.headline_limit, rules.deck_limit, rules.slug_limit) == (64, 160, 24)
    assert "TK" in rules.placeholder_words and rules.quotes == "curly"
    assert rules.words_per_minute == 250 and rules.problems == ()
    assert "headline: 64" in default_rules_text()


def test_config_dir_follows_the_environment(conf, monkeypatch):
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(conf))
    assert config_dir() == conf
    write(conf, "limits:\n  headline: 70\n")
    assert load_rules().headline_limit == 70


def test_override_changes_only_the_keys_given(conf):
    write(conf, "limits:\n  deck: 200\nquotes: any\nwords: [Lindqvist]\n")
    rules = load_rules(conf)
    assert (rules.headline_limit, rules.deck_limit, rules.quotes) == (64, 200, "any")
    assert rules.knows("lindqvist") and rules.knows("Newsdesk")  # desk words add to ours
    assert str(conf / "rules.yaml") in rules.sources


def test_broken_yaml_keeps_defaults_and_says_where(conf):
    write(conf, "limits:\n  headline: [70\n")
    rules = load_rules(conf)
    assert rules.headline_limit == 64
    [problem] = rules.problems
    assert "rules.yaml" in problem and "line" in problem and "defaults" in problem


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("limits:\n  headline: -3\n", "above 0"),
        ("limits:\n  headline: 'long'\n", "whole number"),
        ("limits:\n  body: 10\n", "unknown limit"),
        ("quotes: fancy\n", "curly"),
        ("placeholders:\n  patterns: ['[unclosed']\n", "regular expression"),
        ("disabled: [no_such_check]\n", "no check named"),
        ("spelling: en-AU\n", "en-GB, en-US"),
        ("colour: red\n", "unknown rule"),
        ("- a list\n", "mapping"),
    ],
)
def test_bad_values_keep_defaults_with_a_message(conf, text, words):
    write(conf, text)
    rules = load_rules(conf)
    assert rules.headline_limit == 64 and rules.quotes == "curly"
    assert len(rules.problems) == 1 and words in rules.problems[0]


def test_house_spelling_is_british_unless_the_desk_says_otherwise(conf):
    assert load_rules(conf).spelling == "en-GB"
    assert 'spelling: "en-GB"' in default_rules_text()
    write(conf, "spelling: en-US\n")
    rules = load_rules(conf)
    assert rules.spelling == "en-US" and rules.problems == ()


def test_good_keys_apply_even_when_another_is_bad(conf):
    write(conf, "limits:\n  slug: 30\nquotes: fancy\n")
    rules = load_rules(conf)
    assert rules.slug_limit == 30 and rules.quotes == "curly" and len(rules.problems) == 1


def test_unreadable_file_is_reported(conf):
    conf.mkdir()
    (conf / "rules.yaml").write_bytes(b"\xff\xfe\x00bad")
    rules = load_rules(conf)
    assert rules.problems and "cannot be read" in rules.problems[0]


def test_disabled_and_placeholders_from_file(conf):
    write(conf, "disabled: [quotes]\nplaceholders:\n  words: [FIXME]\n")
    rules = load_rules(conf)
    assert rules.disabled == {"quotes"} and rules.placeholder_words == ("FIXME",)


def test_add_word_persists_once(conf):
    path = add_word("Lindqvist", conf)
    add_word("lindqvist", conf)
    assert path.read_text(encoding="utf-8") == "Lindqvist\n"
    assert load_rules(conf).knows("LINDQVIST")


@pytest.mark.parametrize("word", ["", "two words", "x" * 65])
def test_add_word_refuses_non_words(conf, word):
    with pytest.raises(RulesError):
        add_word(word, conf)
    assert not (conf / "words.txt").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_add_word_to_unwritable_folder_is_a_clear_error(conf):
    conf.mkdir()
    conf.chmod(0o500)
    try:
        with pytest.raises(RulesError, match="cannot add"):
            add_word("Okafor", conf)
    finally:
        conf.chmod(0o700)
