"""End to end: `newsdesk check` and `newsdesk stats` on a temporary database."""

from datetime import date

import pytest

from newsdesk.domain.model import Dateline, Story
from newsdesk.formats.markdown import dumps

# A wire story whose first paragraph repeats its standfirst, with a placeholder left in.
WIRE = """ date 2026-03-14\x20
News\u00a0/\u00a0Metro

Night buses return to the harbour line

Night buses will run again on the harbour line from next month, the city said.
A night bus waits at the depot.

Night buses will run again on the harbour line from next month, the city said.

The service will cost TK a year, the transport office said.



Source: Metro Wire   Editor: Ana Costa
"""


@pytest.fixture
def wire_file(tmp_path):
    path = tmp_path / "wire-buses.txt"
    path.write_text(WIRE, encoding="utf-8")
    return path


@pytest.fixture
def clean_file(tmp_path):
    story = Story(
        slug="river-ferry",
        headline="River ferry back after refit",
        deck="The ferry runs again with new engines.",
        byline="Mira Okafor",
        dateline=Dateline("Riverton", date(2026, 3, 14)),
        section="News / Metro",
        editor="Ana Costa",
        body="The ferry sailed on Monday.\n\nIt carried forty people on its first trip.",
    )
    path = tmp_path / "river-ferry.md"
    path.write_text(dumps(story), encoding="utf-8")
    return path


def imported_slug(newsdesk, path) -> str:
    return newsdesk("import", str(path)).stdout.split()[1]


def test_check_reports_repeat_and_placeholder_and_exits_1(newsdesk, wire_file):
    slug = imported_slug(newsdesk, wire_file)
    result = newsdesk("check", slug, check=1)
    assert "placeholder" not in result.stderr
    assert "Unresolved placeholder “TK”" in result.stdout
    assert "repeats the deck" in result.stdout
    assert "body:" in result.stdout  # says where


def test_check_json_says_where(newsdesk, wire_file):
    slug = imported_slug(newsdesk, wire_file)
    data = newsdesk.json("check", slug, "--json", check=1)
    assert data["slug"] == slug and data["errors"] >= 1
    tk = next(f for f in data["findings"] if f["check"] == "placeholder")
    assert tk["field"] == "body" and tk["text"] == "TK" and tk["length"] == 2
    assert tk["line"] >= 1 and tk["column"] > 1
    assert any(f["check"] == "repeated_paragraph" for f in data["findings"])


def test_check_clean_story_exits_0(newsdesk, clean_file):
    slug = imported_slug(newsdesk, clean_file)
    data = newsdesk.json("check", slug, "--json")
    assert data["errors"] == 0 and data["words"] == 13 and data["reading_minutes"] == 1
    assert newsdesk("check", slug).stdout.strip().endswith("0 findings, 0 errors")


def test_check_unknown_story_is_a_clear_error(newsdesk):
    result = newsdesk("check", "no-such-story", check=2)
    assert "no-such-story" in result.stderr


def test_check_follows_the_desk_rules_file(newsdesk, wire_file, tmp_path):
    slug = imported_slug(newsdesk, wire_file)
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "rules.yaml").write_text("disabled: [placeholder]\n", encoding="utf-8")
    data = newsdesk.json("check", slug, "--json", env={"NEWSDESK_CONFIG_DIR": str(conf)})
    assert data["errors"] == 0
    (conf / "rules.yaml").write_text("limits: [broken\n", encoding="utf-8")
    data = newsdesk.json("check", slug, "--json", check=1, env={"NEWSDESK_CONFIG_DIR": str(conf)})
    assert any(f["check"] == "rules" and "YAML" in f["message"] for f in data["findings"])


def test_stats_json_and_text(newsdesk, wire_file, clean_file):
    imported_slug(newsdesk, wire_file)
    imported_slug(newsdesk, clean_file)
    data = newsdesk.json("stats", "--json", "--days", "7")
    assert data["total"] == 2 and len(data["days"]) == 7
    assert data["by_section"] == {"News / Metro": 2}
    assert sum(data["throughput"]["created"]) == 2
    assert data["words"]["count"] == 2
    text = newsdesk("stats").stdout
    assert "2 stories" in text and "News / Metro" in text


def test_stats_filters(newsdesk, wire_file, clean_file):
    imported_slug(newsdesk, wire_file)
    imported_slug(newsdesk, clean_file)
    assert newsdesk.json("stats", "--json", "--section", "News")["total"] == 2
    assert newsdesk.json("stats", "--json", "--section", "Sport")["total"] == 0
    assert newsdesk.json("stats", "--json", "--editor", "Nobody")["total"] == 0


def test_stats_bad_period_is_a_clear_error(newsdesk):
    result = newsdesk("stats", "--days", "0", check=2)
    assert "days" in result.stderr
