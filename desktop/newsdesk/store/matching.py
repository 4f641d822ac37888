"""Full-text search behind the story list: safe MATCH expressions and the SQL of a
page of search results.

Search text goes to FTS5 as typed when it looks like query syntax (quotes, `*`, `NEAR`,
`AND`/`OR`/`NOT`, column filters); if SQLite rejects it, or it is plain words, each word
becomes a quoted token and the last one a prefix, so typing "elect" finds "election".
No input ever reaches the user as an SQLite error.
"""

from __future__ import annotations

import re
import sqlite3

from sqlite_utils import Database

from newsdesk.store.filters import ROW_COLUMNS, SORT_INDEXES, Filters, order_by
from newsdesk.store.rows import change_counter

DENSE_MATCHES = 2000
RANK_WINDOW = 2000
# Rows matching the search are probed in a temporary table of this connection that holds
# the rowids of the last search (see load_matches): `IN (SELECT ... MATCH)` built that
# set again for every page, sort and count, which for a word found in most stories took
# longer than walking an index to fill the page.
MATCHING = "s.rid IN temp.search_hits"

# A match's list row read from the index of the listed columns (schema._listed_columns),
# not from the table, where reading `type` walks the body's overflow pages.
LISTED = "stories s INDEXED BY stories_listed"

# Weights for bm25 in FTS column order: headline, deck, body, tags, byline.
RANK = "bm25(stories_fts, 10.0, 4.0, 1.0, 5.0, 2.0)"

_SYNTAX_RE = re.compile(r'["*():^+{}-]|\b(?:AND|OR|NOT|NEAR)\b')
_WORD_RE = re.compile(r"\w+")


def match_expressions(query: str) -> list[str]:
    """FTS5 MATCH strings to try in order; empty when the text has nothing to search."""
    plain = plain_expression(query)
    candidates = [query.strip()] if _SYNTAX_RE.search(query) else []
    if plain:
        candidates.append(plain)
    return candidates


def plain_expression(query: str) -> str:
    words = _WORD_RE.findall(query)
    if not words:
        return ""
    tokens = [f'"{word}"' for word in words]
    if not query[-1:].isspace():
        tokens[-1] += "*"
    return " ".join(tokens)


def resolve_match(db: Database, query: str) -> str | None:
    """The first MATCH expression SQLite accepts for `query`; None when nothing in the
    text can be searched. (FTS5 reports bad syntax when the query starts, so one row
    is enough to know; the answer depends on the text alone, so it is remembered: a
    prefix search of a common word takes FTS5 tens of milliseconds even for one row.)"""
    if query not in _RESOLVED:
        if len(_RESOLVED) >= 256:
            _RESOLVED.clear()
        _RESOLVED[query] = _resolve_match(db, query)
    return _RESOLVED[query]


_RESOLVED: dict[str, str | None] = {}


def _resolve_match(db: Database, query: str) -> str | None:
    for expression in match_expressions(query):
        try:
            db.execute(
                "SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? LIMIT 1", [expression]
            ).fetchall()
        except sqlite3.OperationalError:
            continue
        return expression
    return None


def load_matches(db: Database, expression: str) -> None:
    """Fill temp.search_hits with the rowids matching `expression`, unless it holds them
    already: same expression, and no story written since (change_seq counts this
    connection's writes, data_version those of other connections)."""
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (rid INTEGER PRIMARY KEY)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits_key (key TEXT)")
    version = conn.execute("PRAGMA data_version").fetchone()[0]
    key = f"{version} {change_counter(db)} {expression}"
    held = conn.execute("SELECT key FROM temp.search_hits_key").fetchone()
    if held is not None and held[0] == key:
        return
    conn.execute("DELETE FROM temp.search_hits")
    conn.execute(
        "INSERT INTO temp.search_hits SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?",
        [expression],
    )
    conn.execute("DELETE FROM temp.search_hits_key")
    conn.execute("INSERT INTO temp.search_hits_key VALUES (?)", [key])


def many_matches(db: Database) -> bool:
    """More than DENSE_MATCHES rows in temp.search_hits (see load_matches)."""
    return (
        db.execute("SELECT 1 FROM temp.search_hits LIMIT 1 OFFSET ?", [DENSE_MATCHES]).fetchone()
        is not None
    )


def search_sql(
    db: Database, filters: Filters, sort: str, descending: bool, params: dict,
    columns: str = ROW_COLUMNS,
) -> str:
    """The query of a page of search results (`params` gains what it binds), selecting
    `columns` of the stories `s`."""
    page = "LIMIT :limit OFFSET :offset"
    if sort == "rank" and not filters.narrowed and not filters.deleted:
        # Rank inside FTS alone, then fetch just the page; `take` leaves room for matches
        # that sit in the trash and are dropped by the join. Scoring every match of a word
        # found in most stories is slow, so only the RANK_WINDOW newest matches (rowids
        # grow as stories are added) are ranked. They are taken in one pass of the index
        # newest first: a prefix or phrase costs FTS5 a full read of its doclist per
        # query, so asking first for the window's floor doubled that cost.
        params["take"] = params["limit"] + params["offset"] + trash_size(db)
        params["window"] = RANK_WINDOW
        if params["take"] > RANK_WINDOW:
            return _beyond_window_sql(filters, columns)
        return (
            f"WITH newest AS (SELECT rowid, {RANK} AS score FROM stories_fts "
            "WHERE stories_fts MATCH :match ORDER BY rowid DESC LIMIT :window), "
            "hits AS (SELECT rowid, score FROM newest ORDER BY score LIMIT :take) "
            f"SELECT {columns} FROM hits JOIN {LISTED} ON s.rid = hits.rowid "
            f"WHERE {filters.where()} ORDER BY hits.score, s.updated_at DESC, s.rid DESC {page}"
        )
    if sort == "rank":
        return (
            f"SELECT {columns} FROM stories_fts JOIN stories s ON s.rid = stories_fts.rowid "
            f"WHERE stories_fts MATCH :match AND {filters.where()} "
            f"ORDER BY {RANK}, s.updated_at DESC {page}"
        )
    # With many matches, walking the sort's index and keeping the rows that match
    # fills a page at once; SQLite cannot know that and would sort every match. A
    # status or section still leaves a large share of the rows; an editor does not.
    load_matches(db, params["match"])
    dense = not filters.editor and not filters.deleted and many_matches(db)
    hint = f" INDEXED BY {SORT_INDEXES[sort]}" if dense and sort in SORT_INDEXES else ""
    return (
        f"SELECT {columns} FROM stories s{hint} WHERE {MATCHING} AND {filters.where()} "
        f"ORDER BY {order_by(sort, descending)} {page}"
    )


def _beyond_window_sql(filters: Filters, columns: str) -> str:
    """A ranked page that reaches past the RANK_WINDOW newest matches: the same order as
    the pages before it (the window's matches by score), then the older matches by
    score. The window grew with the page once, so each page past it ranked a different
    set: paging through every match listed some stories twice and others never."""
    return (
        # bm25 cannot stand beside a window function: score first, then number.
        f"WITH matched AS MATERIALIZED (SELECT rowid, {RANK} AS score FROM stories_fts "
        "WHERE stories_fts MATCH :match), "
        "scored AS (SELECT rowid, score, "
        "row_number() OVER (ORDER BY rowid DESC) > :window AS older FROM matched), "
        "hits AS (SELECT rowid, score, older FROM scored ORDER BY older, score LIMIT :take) "
        f"SELECT {columns} FROM hits JOIN {LISTED} ON s.rid = hits.rowid "
        f"WHERE {filters.where()} "
        "ORDER BY hits.older, hits.score, s.updated_at DESC, s.rid DESC "
        "LIMIT :limit OFFSET :offset"
    )


def trash_size(db: Database) -> int:
    return db.execute("SELECT count(*) FROM stories WHERE deleted_at IS NOT NULL").fetchone()[0]
