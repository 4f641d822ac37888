"""The stories table row by row: reading a row, writing rows by plain SQL, the change
counter, and the rules every write checks (a slug taken, an id known, a section listed).

Plain functions over the database, for the store's other modules; the writes run inside
the caller's transaction (Store.transaction) and never begin or commit one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from newsdesk.domain.model import STATUSES, Story, ValidationError
from newsdesk.store.codec import row_to_story
from newsdesk.store.errors import NotFound, SlugTaken, StoreError

# Rows written per statement at most (see insert_rows).
BATCH = 500


def check_status(status: str) -> None:
    """ValidationError unless `status` is one of STATUSES."""
    if status not in STATUSES:
        raise ValidationError({"status": f"{status!r} is not one of {', '.join(STATUSES)}"})


def select(db: Database, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    """The rows of a query as dicts by column name."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def story_row(db: Database, id: str) -> dict[str, Any]:
    """The stories row with this id, live or in the trash; NotFound if there is none."""
    rows = select(db, "SELECT * FROM stories WHERE id = ?", [id])
    if not rows:
        raise NotFound(f"no story with id {id!r}")
    return rows[0]


def story(db: Database, id: str) -> Story:
    """The story with this id, live or in the trash; NotFound if there is none."""
    return row_to_story(story_row(db, id))


def live_story(db: Database, id: str) -> Story:
    """The live story with this id; StoreError if it is in the trash."""
    row = story_row(db, id)
    if row["deleted_at"] is not None:
        raise StoreError(f"story {row['slug']!r} is in the trash; restore it first")
    return row_to_story(row)


def next_seq(db: Database, count: int = 1) -> int:
    """A counter bumped by every change, so a sync can ask for what changed since;
    `count` numbers are taken at once, and the last is returned."""
    return db.execute(
        "UPDATE meta SET value = value + ? WHERE key = 'change_seq' RETURNING value", [count]
    ).fetchone()[0]


def change_counter(db: Database) -> int:
    """The counter next_seq moves: it changes whenever a story is written."""
    row = db.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()
    return int(row[0]) if row else 0


def update_story(db: Database, id: str, **columns: Any) -> None:
    """Set columns of a story's row, with the next value of the change counter."""
    columns["change_seq"] = next_seq(db)
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    db.execute(f"UPDATE stories SET {assignments} WHERE id = :id", {**columns, "id": id})


def insert_row(db: Database, table: str, row: dict[str, Any], conflict: str = "") -> None:
    """One row by plain SQL: sqlite-utils' insert reads the schema on every call, which
    cost more than the write itself on the save and import paths. `conflict` is an
    ON CONFLICT clause."""
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join(f":{name}" for name in row)
    db.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) {conflict}', row)


def insert_rows(db: Database, table: str, rows: list[dict[str, Any]]) -> None:
    """Rows that share the keys of the first, many to a statement (plain SQL, as in
    insert_row). Full-text search writes out what it holds pending at the start of
    every statement: one statement per row (executemany too) made inserting stories
    take 2.5 times as long, measured at 100,000 stories."""
    if not rows:
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    one = "(" + ", ".join("?" * len(names)) + ")"
    limit = db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(1, min(BATCH, limit // len(names)))
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        db.execute(
            f'INSERT INTO "{table}" ({columns}) VALUES {", ".join([one] * len(part))}',
            [row[name] for row in part for name in names],
        )


def check_slug(db: Database, slug: str, id: str) -> None:
    """SlugTaken if a live story other than `id` uses `slug`."""
    rows = select(
        db,
        "SELECT id, headline FROM stories WHERE slug = ? AND deleted_at IS NULL AND id != ?",
        [slug, id],
    )
    if rows:
        raise SlugTaken(slug, rows[0]["id"], rows[0]["headline"])


def check_new(db: Database, batch: Sequence[Story]) -> None:
    """SlugTaken if a live story uses a slug of the batch; StoreError if an id of the
    batch is in the database already."""
    marks = ", ".join("?" * len(batch))
    taken = select(
        db,
        f"SELECT id, slug, headline FROM stories WHERE slug IN ({marks}) AND deleted_at IS NULL",
        [s.slug for s in batch],
    )
    if taken:
        raise SlugTaken(taken[0]["slug"], taken[0]["id"], taken[0]["headline"])
    clash = select(db, f"SELECT id FROM stories WHERE id IN ({marks})", [s.id for s in batch])
    if clash:
        raise StoreError(f"a story with id {clash[0]['id']} already exists")


def ensure_section(db: Database, section: str) -> None:
    """List `section` among the desk's sections if it is not yet (a story filed in it)."""
    if section:
        db.execute("INSERT OR IGNORE INTO sections (path) VALUES (?)", [section])
