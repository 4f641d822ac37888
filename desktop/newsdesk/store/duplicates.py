"""Finding a live story that already holds the same copy, as a part of Store."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.store.store import Store


class DuplicatesMixin:
    """Same-copy lookup, so that importing one file twice does not make a second story."""

    def same_copy(self: Store, headline: str, body: str) -> str | None:
        """The id of a live story with exactly this headline and body, if there is one.

        NOCASE in the query lets SQLite use the live-headline index; the exact comparison
        of headline and body is done here, on the few rows that index finds.
        """
        rows = self.db.execute(
            "SELECT id, headline, body FROM stories "
            "WHERE headline = ? COLLATE NOCASE AND deleted_at IS NULL ORDER BY rid",
            [headline],
        ).fetchall()
        for id, found_headline, found_body in rows:
            if found_headline == headline and (found_body or "") == body:
                return id
        return None
