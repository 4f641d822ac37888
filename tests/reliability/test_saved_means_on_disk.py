"""Saved means on disk: whatever a Desk reports as done is visible to another connection.

Issue 15: after a list query with a search, the window's connection stayed inside an
implicit transaction (a write to the temporary search table opened it), every later save
became a savepoint of it, reported "Saved", and never reached the file. These tests check
from a second connection, as a user's other terminal would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.store import Store, StoreError


def _outside(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read the file through a connection of its own (another process would see this)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as desk:
        desk.create(headline="Harbour wall repaired", body="The harbour reopens.")
        desk.create(headline="Council budget", body="Spending rises.")
        yield desk


LIST_QUERIES = [
    {"query": "harbour"},
    {"query": "harbour", "sort": "headline"},
    {"query": "harbour", "status": "draft"},
    {"query": "budg", "sort": "slug", "descending": False},
    {"query": "\"unbalanced"},
    {"query": "nothing-matches-this"},
]


@pytest.mark.parametrize("filters", LIST_QUERIES, ids=lambda f: repr(f))
def test_a_save_after_a_search_reaches_the_file(desk, filters):
    desk.list_rows(**filters)
    desk.count(**{k: v for k, v in filters.items() if k not in ("sort", "descending")})
    desk.status_counts(query=filters["query"])
    story = desk.find("council-budget")
    desk.save(story.replace(body="Spending rises by a tenth."), story.revision)
    rows = _outside(desk.path, "SELECT body FROM stories WHERE slug = 'council-budget'")
    assert rows == [("Spending rises by a tenth.",)]


def test_every_store_method_leaves_no_transaction_open(desk):
    """The class of bug: after any public call the connection holds no transaction."""
    conn = desk.store.db.conn
    story = desk.find("harbour-wall-repaired")
    calls = [
        lambda: desk.list_rows(query="harbour", sort="headline"),
        lambda: desk.count(query="harbour", status="draft"),
        lambda: desk.status_counts(query="harb"),
        lambda: desk.search("harbour"),
        lambda: desk.store.tags("h"),
        lambda: desk.store.history(story.id),
        lambda: desk.store.revisions(story.id),
        lambda: desk.store.find("harbour-wall-repaired"),
    ]
    for call in calls:
        call()
        assert not conn.in_transaction


def test_a_transaction_left_open_by_mistake_is_refused_not_nested(tmp_path):
    """A write never silently becomes a savepoint of a transaction nobody will commit."""
    with Store.open(tmp_path / "desk.db") as store:
        store.db.conn.execute("BEGIN")
        with pytest.raises(StoreError, match="left open"), store.transaction():
            pass
        store.db.conn.execute("ROLLBACK")
        with store.transaction():
            pass
        assert not store.db.conn.in_transaction
