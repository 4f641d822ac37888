"""Finding stories by what a person types: an id, an id prefix or a slug; who owns a
slug; the tags in use (for completion)."""

from __future__ import annotations

import re

from sqlite_utils import Database

from newsdesk.domain.model import ID_RE, Story
from newsdesk.store.codec import row_to_story
from newsdesk.store.errors import NotFound, StoreError
from newsdesk.store.rows import select

_PREFIX_RE = re.compile(r"^[0-9a-f-]{6,36}$")


def find(db: Database, ref: str, *, deleted: bool = False) -> Story:
    """A live story (or, with deleted=True, a trashed one) by id, id prefix or slug."""
    ref = ref.strip()
    trash = "IS NOT NULL" if deleted else "IS NULL"
    if ID_RE.match(ref.lower()):
        found = select(db, f"SELECT * FROM stories WHERE id = ? AND deleted_at {trash}",
                       [ref.lower()])
        if found:
            return row_to_story(found[0])
    found = select(
        db,
        f"SELECT * FROM stories WHERE slug = ? AND deleted_at {trash} "
        "ORDER BY deleted_at DESC LIMIT 1",
        [ref],
    )
    if found:
        return row_to_story(found[0])
    prefix = ref.lower()
    if _PREFIX_RE.match(prefix):
        found = select(
            db,
            f"SELECT * FROM stories WHERE id >= ? AND id < ? AND deleted_at {trash} LIMIT 2",
            [prefix, prefix + "~"],
        )
        if len(found) > 1:
            raise StoreError(f"{ref!r} matches more than one story; give more of the id")
        if found:
            return row_to_story(found[0])
    where = "in the trash" if deleted else "among live stories"
    raise NotFound(f"no story {ref!r} {where} (give an id, an id prefix or a slug)")


def slug_owner(db: Database, slug: str) -> str | None:
    """The id of the live story that uses `slug`, if any."""
    row = db.execute(
        "SELECT id FROM stories WHERE slug = ? AND deleted_at IS NULL", [slug]
    ).fetchone()
    return row[0] if row else None


def tags(db: Database, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
    """Tags of live stories with how many use each, most used first; `prefix`
    (case-insensitive) narrows it for completion."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    found = db.execute(
        "SELECT tag, n FROM tag_counts WHERE tag LIKE ? ESCAPE '\\' "
        "ORDER BY n DESC, tag LIMIT ?",
        [escaped + "%", -1 if limit is None else limit],
    ).fetchall()
    return [(tag, n) for tag, n in found]
