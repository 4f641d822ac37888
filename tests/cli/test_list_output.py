"""What `newsdesk list` and `newsdesk search` print: every story or a word about the rest,
created_at in JSON, a word when nothing matches, and samples whose dates agree (issue 19)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from newsdesk.domain.model import Story


@pytest.fixture
def many(newsdesk):
    """A desk of 1,203 stories, written straight through the store (fast)."""
    from newsdesk.store import Store

    with Store.open(newsdesk.db) as store:
        store.insert_many(Story(slug=f"story-{n}", headline=f"Story {n}") for n in range(1203))
    return newsdesk


def test_list_json_carries_created_at(newsdesk):
    newsdesk("import", "--help")  # the database exists from here on
    from newsdesk.store import Store

    created = datetime(2026, 3, 1, 9, 30, tzinfo=datetime.now().astimezone().tzinfo)
    with Store.open(newsdesk.db) as store:
        store.insert(Story(slug="old-one", headline="Old one", created_at=created, revision=1))
    [row] = newsdesk.json("list", "--json")
    assert datetime.fromisoformat(row["created_at"]) == created


def test_a_list_cut_by_its_limit_says_so_on_stderr(many):
    done = many("list", "--json")
    assert len(json.loads(done.stdout)) == 1000
    assert "1,000 of 1,203 stories" in done.stderr and "--limit 0" in done.stderr
    done = many("list", "--limit", "5")
    assert len(done.stdout.splitlines()) == 5
    assert "5 of 1,203" in done.stderr


def test_limit_zero_lists_every_story(many):
    done = many("list", "--json", "--limit", "0")
    rows = json.loads(done.stdout)
    assert len(rows) == 1203 and len({row["id"] for row in rows}) == 1203
    assert done.stderr == ""
    assert len(many("list", "--limit", "0").stdout.splitlines()) == 1203


def test_a_list_that_fits_says_nothing_more(many):
    done = many("list", "--limit", "2000")
    assert len(done.stdout.splitlines()) == 1203 and done.stderr == ""


def test_a_negative_limit_is_refused(newsdesk):
    done = newsdesk("list", "--limit", "-3", check=2)
    assert "--limit" in done.stderr and done.stdout == ""


def test_search_without_hits_says_no_stories_match(newsdesk):
    done = newsdesk("search", "zzzz")
    assert done.stdout == "" and "no stories match 'zzzz'" in done.stderr
    assert newsdesk.json("search", "zzzz", "--json") == []


def test_sample_stories_history_agrees_with_their_dates(newsdesk):
    """The first-run samples: each one's 'created' event is at its created_at, and those
    dates lie in the recent past, so the dashboard shows them over the last days."""
    seed = ("import sys; from newsdesk.desk import Desk; "
            "Desk.open(sys.argv[1], seed=True).close()")
    subprocess.run([sys.executable, "-c", seed, str(newsdesk.db)], check=True,
                   env=newsdesk.env, timeout=60)
    rows = newsdesk.json("list", "--json")
    assert len(rows) == 6
    now = datetime.now().astimezone()
    for row in rows:
        created = datetime.fromisoformat(row["created_at"])
        assert now - timedelta(days=8) < created < now, row
        history = newsdesk.json("history", row["id"], "--json")["events"]
        assert datetime.fromisoformat(history[0]["at"]) == created, row["slug"]
    stats = newsdesk.json("stats", "--json", "--days", "7")
    created_per_day = stats["throughput"]["created"]
    assert sum(created_per_day) == 6 and created_per_day[-1] < 6  # not all "today"


def test_search_for_every_match_lists_each_story_once(newsdesk):
    """More matches than search ranks at once (2,000): `search --limit 0` listed some
    stories twice and others never (4,065 of 19,964 at 20,000 stories), and so did a
    --limit past 2,000. Every match now comes once, in the order of the first page."""
    from newsdesk.store import Store

    with Store.open(newsdesk.db) as store:
        store.bulk_insert([Story(slug=f"s{n}", headline="Harbour " * (n % 7 + 1),
                                 body=f"Story {n} at the harbour.") for n in range(2300)])
    every = newsdesk.json("search", "harbour", "--limit", "0", "--json")
    ids = [row["id"] for row in every]
    assert len(ids) == len(set(ids)) == 2300
    paged = newsdesk.json("search", "harbour", "--limit", "2300", "--json")
    assert [row["id"] for row in paged] == ids
    first = newsdesk.json("search", "harbour", "--json")
    assert [row["id"] for row in first] == ids[:50]
