"""Desk figures from the database: stories per status and section, throughput, approval, words.

Pure functions turn rows into figures; `compute()` runs the few small queries that feed
them (store/stats_queries.py). Conventions:
- Only live stories count (the trash is left out); a section filter takes in its
  sub-sections ("News" counts "News / Metro"), as the story list does.
- Throughput counts history events by the status they led to, so that the figures do
  not depend on how an action is named: created = the 'created' event; submitted =
  a move to in_review; approved = a move to approved (a re-approval after an edit counts
  again); published = a move to published. Days are calendar days in the desk's local
  time zone (pass `tz` to choose another).
- Time to approval pairs each approval with the latest submission of that story not yet
  paired; an approval without one (a re-approval after an edit) is left out. Hours.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from newsdesk.domain.model import STATUSES
from newsdesk.store.stats_queries import (
    count_by,
    daily_counts,
    data_version,
    editors,
    review_events,
    word_counts,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

# data_version and editors are the Desk's too (the dashboard's cache key and its filter).
__all__ = ["Stats", "compute", "data_version", "editors", "format_text"]

THROUGHPUT_KINDS: tuple[str, ...] = ("created", "submitted", "approved", "published")
_KIND_BY_STATUS = {"in_review": "submitted", "approved": "approved", "published": "published"}
# Lower edges of the word-count buckets; the last bucket is open ("2000+").
WORD_BUCKETS: tuple[int, ...] = (0, 200, 400, 600, 800, 1000, 1500, 2000)
DEFAULT_DAYS = 30
MAX_DAYS = 3660


@dataclass(frozen=True)
class Spread:
    """A distribution in a few numbers (hours for time to approval)."""

    count: int
    median: float
    p25: float
    p75: float
    min: float
    max: float


@dataclass(frozen=True)
class WordStats:
    count: int
    mean: float
    median: float
    buckets: tuple[tuple[str, int], ...]  # ("0–199", 12), ... ("2000+", 3)


@dataclass(frozen=True)
class Event:
    story_id: str
    at: datetime
    action: str
    to_status: str


@dataclass(frozen=True)
class Stats:
    start: date
    end: date
    section: str | None = None
    editor: str | None = None
    by_status: dict[str, int] = field(default_factory=dict)
    by_section: dict[str, int] = field(default_factory=dict)
    days: list[date] = field(default_factory=list)
    throughput: dict[str, list[int]] = field(default_factory=dict)
    approval_hours: Spread | None = None
    words: WordStats | None = None

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data["days"] = [day.isoformat() for day in self.days]
        data["total"] = self.total
        if self.words is not None:
            data["words"]["buckets"] = [
                {"range": label, "count": n} for label, n in self.words.buckets
            ]
        return data


# --- pure figures ---------------------------------------------------------------------------


def status_counts(rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Stories per status from (status, n) rows: every status present, in workflow order."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, n in rows:
        counts[status] = counts.get(status, 0) + n
    return counts


def section_counts(rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Stories per section from (section, n) rows, largest first; no section is "(none)"."""
    counts: Counter[str] = Counter()
    for section, n in rows:
        counts[section or "(none)"] += n
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def day_range(end: date, days: int) -> list[date]:
    return [end - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def event_kind(action: str, to_status: str) -> str | None:
    if action == "created":
        return "created"
    return _KIND_BY_STATUS.get(to_status)


def throughput(
    day_counts: Iterable[tuple[date, str, str, int]], days: Sequence[date]
) -> dict[str, list[int]]:
    """Per kind, events on each of `days`, from (local day, action, to_status, n) rows."""
    index = {day: i for i, day in enumerate(days)}
    series = {kind: [0] * len(days) for kind in THROUGHPUT_KINDS}
    for day, action, to_status, n in day_counts:
        kind = event_kind(action, to_status)
        i = index.get(day)
        if kind is not None and i is not None:
            series[kind][i] += n
    return series


def approval_hours(events: Iterable[Event], since: datetime | None = None) -> list[float]:
    """Hours from submission to approval, one value per paired approval at or after `since`."""
    waiting: dict[str, list[datetime]] = {}
    hours: list[float] = []
    for event in sorted(events, key=lambda e: e.at):
        kind = event_kind(event.action, event.to_status)
        if kind == "submitted":
            waiting.setdefault(event.story_id, []).append(event.at)
        elif kind == "approved" and waiting.get(event.story_id):
            submitted = waiting[event.story_id].pop()
            waiting[event.story_id].clear()  # earlier submissions were superseded
            if since is None or event.at >= since:
                hours.append((event.at - submitted).total_seconds() / 3600)
    return hours


def spread(values: Sequence[float]) -> Spread | None:
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = median = q3 = ordered[0]
    else:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(len(ordered), median, q1, q3, ordered[0], ordered[-1])


def word_stats(counts: Sequence[int]) -> WordStats:
    buckets = []
    for i, low in enumerate(WORD_BUCKETS):
        high = WORD_BUCKETS[i + 1] if i + 1 < len(WORD_BUCKETS) else None
        label = f"{low}–{high - 1}" if high is not None else f"{low}+"
        n = sum(1 for c in counts if c >= low and (high is None or c < high))
        buckets.append((label, n))
    if not counts:
        return WordStats(0, 0.0, 0.0, tuple(buckets))
    return WordStats(
        len(counts), statistics.fmean(counts), float(statistics.median(counts)), tuple(buckets)
    )


def compute(
    db: Database,
    *,
    section: str | None = None,
    editor: str | None = None,
    days: int = DEFAULT_DAYS,
    today: date | None = None,
    tz: tzinfo | None = None,
) -> Stats:
    """The desk's figures for the `days` days ending `today` (local), filtered."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}, not {days}")
    tz = tz or datetime.now().astimezone().tzinfo or UTC
    today = today or datetime.now(tz).date()
    period = day_range(today, days)
    since = datetime.combine(period[0], datetime.min.time(), tz)
    until = datetime.combine(today + timedelta(days=1), datetime.min.time(), tz)
    offset = until.utcoffset() or timedelta(0)
    return Stats(
        start=period[0],
        end=today,
        section=section or None,
        editor=editor or None,
        by_status=status_counts(count_by(db, "status", section, editor)),
        by_section=section_counts(count_by(db, "section", section, editor)),
        days=period,
        throughput=throughput(daily_counts(db, since, until, offset, section, editor), period),
        approval_hours=spread(approval_hours(
            [Event(*row) for row in review_events(db, since, until, section, editor)], since
        )),
        words=word_stats(word_counts(db, section, editor)),
    )


def format_text(stats: Stats) -> str:
    """The figures as plain text, for `newsdesk stats`."""
    scope = ", ".join(
        f"{name}: {value}" for name, value in (("section", stats.section), ("editor", stats.editor))
        if value
    )
    lines = [
        f"{stats.total} {'story' if stats.total == 1 else 'stories'}"
        f"{f' ({scope})' if scope else ''}; "
        f"period {stats.start.isoformat()} to {stats.end.isoformat()} "
        f"({_count(len(stats.days), 'day')})",
        "",
        "By status:  " + "  ".join(f"{k} {v}" for k, v in stats.by_status.items()),
        "By section:",
        *(f"  {name:<28} {n:>6}" for name, n in stats.by_section.items()),
        "",
        "Throughput in the period:  "
        + "  ".join(f"{kind} {sum(series)}" for kind, series in stats.throughput.items()),
    ]
    hours = stats.approval_hours
    if hours is None:
        lines.append("Time to approval: no approvals in the period")
    else:
        lines.append(
            f"Time to approval (hours, {_count(hours.count, 'approval')}): "
            f"median {hours.median:.1f}, p25 {hours.p25:.1f}, p75 {hours.p75:.1f}, "
            f"min {hours.min:.1f}, max {hours.max:.1f}"
        )
    if stats.words is not None:
        words = stats.words
        lines.append(f"Words: mean {words.mean:.0f}, median {words.median:.0f}")
        lines.extend(f"  {label:<10} {n:>6}" for label, n in words.buckets)
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
