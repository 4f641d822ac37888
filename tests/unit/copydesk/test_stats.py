"""Desk figures: the pure functions over rows, and compute() over a real store."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsdesk.copydesk.stats import (
    Event,
    approval_hours,
    compute,
    day_range,
    editors,
    format_text,
    section_counts,
    spread,
    status_counts,
    throughput,
    word_stats,
)
from newsdesk.domain.model import Story
from newsdesk.store import Store

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def ev(story: str, hours: float, action: str, to_status: str = "") -> Event:
    return Event(story, T0 + timedelta(hours=hours), action, to_status)


def test_status_counts_list_every_status_in_order():
    counts = status_counts([("draft", 3), ("approved", 4)])
    assert counts == {"draft": 3, "in_review": 0, "approved": 4, "published": 0, "spiked": 0,
                      "killed": 0}


def test_section_counts_largest_first_and_none_named():
    counts = section_counts([("News", 2), ("Sport", 3), ("", 1)])
    assert list(counts.items()) == [("Sport", 3), ("News", 2), ("(none)", 1)]


def test_throughput_counts_by_status_reached():
    days = day_range(date(2026, 11, 21), 3)
    assert days == [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21)]
    rows = [
        (date(2026, 11, 20), "created", "draft", 2),
        (date(2026, 11, 20), "submit", "in_review", 1),
        (date(2026, 11, 20), "approve", "approved", 1),
        (date(2026, 11, 21), "publish", "published", 1),
        (date(2026, 11, 21), "edited", "", 5),  # edits are not throughput
        (date(2026, 11, 1), "created", "draft", 7),  # before the period
    ]
    assert throughput(rows, days) == {
        "created": [0, 2, 0],
        "submitted": [0, 1, 0],
        "approved": [0, 1, 0],
        "published": [0, 0, 1],
    }


def test_approval_hours_pair_with_the_latest_submission():
    events = [
        ev("a", 0, "submit", "in_review"),
        ev("a", 1, "request_changes", "draft"),
        ev("a", 5, "submit", "in_review"),
        ev("a", 7, "approve", "approved"),
        ev("a", 9, "approve", "approved"),  # re-approval after an edit: no submission
        ev("b", 0, "submit", "in_review"),
        ev("b", 24, "approve", "approved"),
    ]
    assert sorted(approval_hours(events)) == [2.0, 24.0]
    assert approval_hours(events, since=T0 + timedelta(hours=8)) == [24.0]


def test_spread():
    assert spread([]) is None
    one = spread([3.0])
    assert (one.median, one.p25, one.p75, one.min, one.max) == (3.0, 3.0, 3.0, 3.0, 3.0)
    s = spread([1, 2, 3, 4, 5])
    assert (s.count, s.median, s.p25, s.p75, s.min, s.max) == (5, 3, 2, 4, 1, 5)


def test_word_stats_buckets():
    stats = word_stats([50, 250, 260, 999, 1000, 5000])
    buckets = dict(stats.buckets)
    assert buckets["0–199"] == 1 and buckets["200–399"] == 2 and buckets["800–999"] == 1
    assert buckets["1000–1499"] == 1 and buckets["2000+"] == 1
    assert sum(buckets.values()) == 6 and stats.median == 629.5
    assert word_stats([]).count == 0


# --- compute() over a real store ---

@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "stats.db")
    yield store
    store.close()


def add(store: Store, slug: str, section: str, editor: str, words: int) -> Story:
    body = " ".join(["word"] * words)
    return store.insert(
        Story(slug=slug, headline=slug.title(), section=section, editor=editor, body=body),
        actor=editor,
    )


def move(store: Store, story: Story, status: str, action: str) -> Story:
    return store.set_status(
        story.id, status, expected_revision=story.revision, actor="chief", action=action
    )


def set_times(store: Store, story: Story, *hours: float) -> None:
    """Put the story's history events at T0 + hours, in order."""
    seqs = [r[0] for r in store.db.execute(
        "SELECT seq FROM history WHERE story_id = ? ORDER BY seq", [story.id]
    ).fetchall()]
    assert len(seqs) == len(hours)
    for seq, h in zip(seqs, hours, strict=True):
        at = (T0 + timedelta(hours=h)).isoformat()
        store.db.execute("UPDATE history SET at = ? WHERE seq = ?", [at, seq])
    store.db.conn.commit()


def test_compute_over_the_store(store):
    a = add(store, "ferry", "News / Metro", "Tom Reyes", 300)
    b = add(store, "budget", "Business", "Ada Lind", 900)
    c = add(store, "derby", "Sport", "Tom Reyes", 100)
    a = move(store, move(store, a, "in_review", "submit"), "approved", "approve")
    b = move(store, b, "in_review", "submit")
    set_times(store, a, 0, 2, 8)  # created, submitted, approved 6 hours later
    set_times(store, b, 24, 25)
    set_times(store, c, 26)
    stats = compute(store.db, days=3, today=date(2026, 11, 22), tz=UTC)
    assert stats.total == 3
    assert stats.by_status["approved"] == 1 and stats.by_status["in_review"] == 1
    assert stats.by_section == {"Business": 1, "News / Metro": 1, "Sport": 1}
    assert stats.throughput["created"] == [1, 2, 0]
    assert stats.throughput["submitted"] == [1, 1, 0]
    assert stats.approval_hours.median == 6.0 and stats.approval_hours.count == 1
    assert stats.words.count == 3 and stats.words.mean == pytest.approx(433.33, 0.01)
    data = stats.to_dict()
    assert data["days"][0] == "2026-11-20" and data["total"] == 3
    assert data["words"]["buckets"][0] == {"range": "0–199", "count": 1}


def test_compute_filters_by_section_and_editor(store):
    add(store, "ferry", "News / Metro", "Tom Reyes", 300)
    add(store, "budget", "News", "Ada Lind", 900)
    add(store, "derby", "Sport", "Tom Reyes", 100)
    assert compute(store.db, section="News", tz=UTC).total == 2  # sub-sections included
    assert compute(store.db, editor="Tom Reyes", tz=UTC).by_section == {
        "News / Metro": 1, "Sport": 1,
    }
    assert compute(store.db, section="News", editor="Tom Reyes", tz=UTC).total == 1
    assert editors(store.db) == ["Ada Lind", "Tom Reyes"]


def test_days_are_local_days(store):
    a = add(store, "ferry", "News", "Tom Reyes", 300)
    set_times(store, a, 0)  # 09:00 UTC on the 20th
    behind = timezone(timedelta(hours=-10))  # 23:00 on the 19th
    stats = compute(store.db, days=2, today=date(2026, 11, 20), tz=behind)
    assert stats.throughput["created"] == [1, 0]
    ahead = timezone(timedelta(hours=+16))  # 01:00 on the 21st
    stats = compute(store.db, days=2, today=date(2026, 11, 21), tz=ahead)
    assert stats.throughput["created"] == [0, 1]
    stats = compute(store.db, days=2, today=date(2026, 11, 21), tz=ahead, section="News")
    assert stats.throughput["created"] == [0, 1]  # the filtered query agrees


def test_compute_leaves_out_the_trash_and_rejects_bad_periods(store):
    story = add(store, "ferry", "News", "Tom Reyes", 300)
    store.delete(story.id, "Tom Reyes")
    stats = compute(store.db, tz=UTC)
    assert stats.total == 0 and sum(stats.throughput["created"]) == 0
    with pytest.raises(ValueError, match="days"):
        compute(store.db, days=0)


def test_approval_in_period_answers_submission_before_it(store):
    a = add(store, "ferry", "News", "Tom Reyes", 300)
    a = move(store, move(store, a, "in_review", "submit"), "approved", "approve")
    set_times(store, a, 0, 1, 49)
    stats = compute(store.db, days=1, today=date(2026, 11, 22), tz=UTC)
    assert stats.approval_hours.median == 48.0


def test_desk_reuses_figures_until_a_story_changes(tmp_path):
    from newsdesk.desk import Desk

    with Desk.open(tmp_path / "desk.db") as desk:
        first = desk.stats()
        assert desk.stats() is first
        story = desk.create(headline="Ferry returns", section="News")
        second = desk.stats()
        assert second is not first and second.total == first.total + 1
        desk.save(story.replace(body="Now with a body."), story.revision)
        assert desk.stats() is not second
        assert desk.stats(days=7) is not desk.stats(days=30)


def test_text_figures_count_one_approval_and_one_day_in_the_singular(store):
    a = add(store, "ferry", "News", "Tom Reyes", 300)
    a = move(store, move(store, a, "in_review", "submit"), "approved", "approve")
    set_times(store, a, 0, 1, 3)
    text = format_text(compute(store.db, days=1, today=date(2026, 11, 20), tz=UTC))
    assert "(hours, 1 approval)" in text and "(1 day)" in text
    assert "1 approvals" not in text and "1 days" not in text
