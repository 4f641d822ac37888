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


def test_every_row_as_json_is_byte_for_byte_the_paged_json(newsdesk):
    """`list --limit 0 --json` and `search --limit 0 --json` write their rows from the
    printed columns alone, not from a StoryRow each (issue 23): the bytes must be those
    of the paged path, for stored values the store does not write itself too (a time with
    Z, with zero microseconds, without an offset; no section, editor, type or word
    count; text that JSON escapes)."""
    import sqlite3

    from newsdesk.store import Store

    with Store.open(newsdesk.db) as store:
        store.insert_many(Story(slug=f"harbour-{n}", headline=f'Harbour "{n}" \\ ☃ %s\x7f',
                                body="At the harbour.\t\x01", section="News / Metro")
                          for n in range(1300))
    with sqlite3.connect(newsdesk.db) as db:
        odd = ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000000+00:00",
               "2026-01-02T03:04:05", "2026-01-02T04:04:05+01:00"]
        for rid, updated in enumerate(odd, start=1):
            db.execute("UPDATE stories SET updated_at = ?, created_at = ?, section = NULL, "
                       "editor = NULL, word_count = NULL, type = '' WHERE rid = ?",
                       [updated, updated if rid % 2 else "", rid])
    for command in (["list"], ["search", "harbour"]):
        every = newsdesk(*command, "--limit", "0", "--json").stdout
        paged = newsdesk(*command, "--limit", "5000", "--json").stdout
        assert every == paged
        rows = json.loads(every)
        assert len(rows) == 1300 and {r["updated_at"] for r in rows} >= {
            "2026-01-02T03:04:05+00:00", "2026-01-02T04:04:05+01:00"}
        assert rows[-1 if command == ["list"] else 0]["type"] == "news"
