"""What a new story would duplicate, as a part of Store: same copy, taken slugs, known ids."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.store.store import Store


class DuplicatesMixin:
    """Look-ups an import makes before it writes, one query for a whole batch of files."""

    def same_copy(self: Store, headline: str, body: str) -> str | None:
        """The id of a live story with exactly this headline and body, if there is one."""
        return self.same_copies([(headline, body)]).get((headline, body))

    def same_copies(self: Store, copies: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """For each (headline, body) held by a live story, the id of the oldest such story.

        NOCASE in the query lets SQLite use the live-headline index; the exact comparison
        of headline and body is done here, on the few rows that index finds.
        """
        wanted = set(copies)
        if not wanted:
            return {}
        rows = self.db.execute(
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

    def taken_slugs(self: Store, bases: Iterable[str]) -> set[str]:
        """The slugs of live stories that are one of `bases` or start with one and a hyphen
        (`base-2`, `base-3`...), so that free slugs can be chosen for a batch at once."""
        wanted = sorted(set(bases))
        if not wanted:
            return set()
        # "-" sorts right before ".", so "base" and every "base-..." lie in the range
        # [base, base + "."); slugs of a valid shape find nothing else there.
        rows = self.db.execute(
            "SELECT s.slug FROM json_each(?) AS b JOIN stories AS s "
            "ON s.slug >= b.value AND s.slug < b.value || '.' WHERE s.deleted_at IS NULL",
            [json.dumps(wanted)],
        ).fetchall()
        return {slug for (slug,) in rows}

    def known_ids(self: Store, ids: Iterable[str]) -> dict[str, str]:
        """For each of `ids` already in the database (live or in the trash), its slug."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.db.execute(
            "SELECT id, slug FROM stories WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(wanted)],
        ).fetchall()
        return dict(rows)
