"""The queries behind the desk's figures (newsdesk/copydesk/stats.py computes them): live stories
counted per status, section and word count, history events per day, and the submissions
and approvals that time to approval pairs. A section filter takes in its sub-sections, as
the story list does; times are compared as stored (UTC RFC 3339 text)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from newsdesk.domain.model import format_datetime, parse_datetime
from newsdesk.store.rows import change_counter


def _where(section: str | None, editor: str | None, alias: str = "") -> tuple[str, dict[str, str]]:
    prefix = f"{alias}." if alias else ""
    clauses = [f"{prefix}deleted_at IS NULL"]
    params: dict[str, str] = {}
    if section:
        clauses.append(
            f"({prefix}section = :section OR "
            f"({prefix}section >= :sub_from AND {prefix}section < :sub_to))"
        )
        params.update(section=section, sub_from=section + " / ", sub_to=section + " /!")
    if editor:
        clauses.append(f"{prefix}editor = :editor")
        params["editor"] = editor
    return " AND ".join(clauses), params


def count_by(
    db: Database, column: str, section: str | None = None, editor: str | None = None
) -> list[tuple[str, int]]:
    """(value, n) of live stories per status or per section."""
    if column not in ("status", "section"):
        raise ValueError(f"cannot count stories by {column!r}")
    # One column per query: each is then answered from that column's index alone.
    where, params = _where(section, editor)
    sql = f"SELECT {column}, count(*) FROM stories WHERE {where} GROUP BY {column}"
    return [(value or "", n) for value, n in db.execute(sql, params).fetchall()]


def word_counts(db: Database, section: str | None = None, editor: str | None = None) -> list[int]:
    where, params = _where(section, editor)
    # Ordered by word count so that the word-count index answers it without the table.
    sql = f"SELECT coalesce(word_count, 0) FROM stories WHERE {where} ORDER BY word_count"
    return [n for (n,) in db.execute(sql, params).fetchall()]


def daily_counts(
    db: Database,
    since: datetime,
    until: datetime,
    offset: timedelta,
    section: str | None = None,
    editor: str | None = None,
) -> list[tuple[date, str, str, int]]:
    """(local day, action, to_status, n) of history events in [since, until) of live stories
    matching the filters; `offset` is the local time zone's offset from UTC."""
    minutes = int(offset.total_seconds() // 60)
    day = f"date(h.at, '{minutes:+d} minutes')"
    if section or editor:
        where, params = _where(section, editor, "s")
        source = f"history h JOIN stories s ON s.id = h.story_id WHERE {where} AND"
    else:
        params = {}
        source = (
            "history h WHERE h.story_id NOT IN "
            "(SELECT id FROM stories WHERE deleted_at IS NOT NULL) AND"
        )
    sql = (
        f"SELECT {day}, h.action, coalesce(h.to_status, ''), count(*) FROM {source} "
        f"h.at >= :since AND h.at < :until GROUP BY 1, 2, 3"
    )
    params.update(since=_utc_text(since), until=_utc_text(until))
    return [
        (date.fromisoformat(d), action, to_status, n)
        for d, action, to_status, n in db.execute(sql, params).fetchall()
    ]


def review_events(
    db: Database,
    since: datetime,
    until: datetime,
    section: str | None = None,
    editor: str | None = None,
) -> list[tuple[str, datetime, str, str]]:
    """(story id, time, action, to_status) of the submissions and approvals, from the
    beginning, of stories approved in [since, until): an approval in the period may
    answer a submission from before it."""
    where, params = _where(section, editor, "s")
    sql = (
        "SELECT h.story_id, h.at, h.action, h.to_status FROM history h "
        f"JOIN stories s ON s.id = h.story_id WHERE {where} AND h.at < :until "
        "AND h.to_status IN ('in_review', 'approved') AND h.story_id IN ("
        "SELECT story_id FROM history WHERE to_status = 'approved' "
        "AND at >= :since AND at < :until) ORDER BY h.seq"
    )
    params.update(since=_utc_text(since), until=_utc_text(until))
    return [
        (story_id, parse_datetime(at), action, to_status)
        for story_id, at, action, to_status in db.execute(sql, params).fetchall()
    ]


def _utc_text(value: datetime) -> str:
    # History times are stored as UTC RFC 3339 text, so text order is time order.
    return format_datetime(value.astimezone(UTC))


def data_version(db: Database) -> int:
    """A number that changes whenever a story changes (the store's change counter), so
    figures computed at one version can be reused until it moves."""
    return change_counter(db)


def editors(db: Database) -> list[str]:
    """Editors named on live stories, for the dashboard's filter."""
    # In index order (fast), then in the order people read names.
    sql = "SELECT DISTINCT editor FROM stories WHERE deleted_at IS NULL ORDER BY editor"
    names = [name for (name,) in db.execute(sql).fetchall() if name]
    return sorted(names, key=str.casefold)
