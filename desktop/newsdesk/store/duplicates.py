"""What a new story would duplicate: the same copy, taken slugs, known ids. Look-ups an
import makes before it writes, one query for a whole batch of files."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlite_utils import Database


def same_copies(db: Database, copies: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """For each (headline, body) held by a live story, the id of the oldest such story.

    NOCASE in the query lets SQLite use the live-headline index; the exact comparison
    of headline and body is done here, on the few rows that index finds.
    """
    wanted = set(copies)
    if not wanted:
        return {}
    rows = db.execute(
        "SELECT id, headline, body FROM stories "
        "WHERE headline COLLATE NOCASE IN (SELECT value FROM json_each(?)) "
        "AND deleted_at IS NULL ORDER BY rid",
        [json.dumps(sorted({headline for headline, _ in wanted}))],
    ).fetchall()
    found: dict[tuple[str, str], str] = {}
    for id, headline, body in rows:
        copy = (headline, body or "")
        if copy in wanted:
            found.setdefault(copy, id)
    return found

def taken_slugs(db: Database, bases: Iterable[str]) -> set[str]:
    """The slugs of live stories that are one of `bases` or start with one and a hyphen
    (`base-2`, `base-3`...), so that free slugs can be chosen for a batch at once."""
    wanted = sorted(set(bases))
    if not wanted:
        return set()
    # "-" sorts right before ".", so "base" and every "base-..." lie in the range
    # [base, base + "."); slugs of a valid shape find nothing else there.
    rows = db.execute(
        "SELECT s.slug FROM json_each(?) AS b JOIN stories AS s "
        "ON s.slug >= b.value AND s.slug < b.value || '.' WHERE s.deleted_at IS NULL",
        [json.dumps(wanted)],
    ).fetchall()
    return {slug for (slug,) in rows}

def known_ids(db: Database, ids: Iterable[str]) -> dict[str, str]:
    """For each of `ids` already in the database (live or in the trash), its slug."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.execute(
        "SELECT id, slug FROM stories WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(wanted)],
    ).fetchall()
    return dict(rows)
