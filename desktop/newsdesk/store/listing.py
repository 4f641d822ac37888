"""Queries behind the story list: filters, sorts that use the indexes, and safe search.

Search text goes to FTS5 as typed when it looks like query syntax (quotes, `*`, `NEAR`,
`AND`/`OR`/`NOT`, column filters); if SQLite rejects it, or it is plain words, each word
becomes a quoted token and the last one a prefix, so typing "elect" finds "election".
No input ever reaches the user as an SQLite error.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from newsdesk.domain.model import DEFAULT_TYPE, STATUSES, normalize_section, parse_datetime
from newsdesk.store.errors import StoreError
from newsdesk.store.records import StoryRow

# What each role has to act on ("waiting for me"): a desk chief reviews what was
# submitted; an editor works on drafts, including those sent back with changes requested.
WAITING_FOR: dict[str, tuple[str, ...]] = {
    "desk_chief": ("in_review",),
    "editor": ("draft",),
}

# Sort key -> SQL expression; each has a partial index ending in updated_at (and rowid),
# so a sort plus its tie-breakers is read straight from an index.
SORTS: dict[str, str] = {
    "slug": "s.slug",
    "headline": "s.headline COLLATE NOCASE",
    "section": "s.section",
    "status": "s.status",
    "editor": "s.editor",
    "updated_at": "s.updated_at",
    "word_count": "s.word_count",
    "created_at": "s.created_at",
    "type": "s.type",
    "deleted_at": "s.deleted_at",  # for the trash
    "rank": "",
}

ROW_COLUMNS = (
    "s.id, s.slug, s.headline, s.section, s.status, s.editor, s.byline, s.updated_at, "
    "s.word_count, s.revision, s.deleted_at, s.created_at, s.type"
)
SORT_INDEXES: dict[str, str] = {
    "slug": "stories_live_slug",
    "headline": "stories_live_headline",
    "section": "stories_live_section",
    "status": "stories_live_status",
    "editor": "stories_live_editor",
    "updated_at": "stories_live_updated",
    "word_count": "stories_live_words",
    "created_at": "stories_live_created",
    "type": "stories_live_type",
}
DENSE_MATCHES = 2000
RANK_WINDOW = 2000
# Rows matching the search are probed in a temporary table of this connection that holds
# the rowids of the last search (see load_matches): `IN (SELECT ... MATCH)` built that
# set again for every page, sort and count, which for a word found in most stories took
# longer than walking an index to fill the page.
_MATCHING = "s.rid IN temp.search_hits"

# Weights for bm25 in FTS column order: headline, deck, body, tags, byline.
RANK = "bm25(stories_fts, 10.0, 4.0, 1.0, 5.0, 2.0)"

_SYNTAX_RE = re.compile(r'["*():^+{}-]|\b(?:AND|OR|NOT|NEAR)\b')
_WORD_RE = re.compile(r"\w+")


@dataclass
class Filters:
    status: str | Sequence[str] | None = None
    section: str | None = None
    editor: str | None = None
    query: str | None = None
    waiting_for: str | None = None
    deleted: bool = False
    story_type: str | None = None
    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def build(self, *, ordered: bool = False) -> Filters:
        """The WHERE clauses and parameters; `ordered` for a sorted page of rows."""
        self.clauses = ["s.deleted_at IS NOT NULL" if self.deleted else "s.deleted_at IS NULL"]
        statuses = _statuses(self.status, self.waiting_for)
        if statuses == []:
            self.clauses.append("0")  # a status and a role that have nothing in common
        elif statuses is not None:
            names = [f":status{i}" for i in range(len(statuses))]
            # A status holds a large share of the desk: for a sorted page, walking the
            # sort's index and skipping other statuses beats sorting every row of that
            # status, but SQLite prefers the status index unless `+` hides it.
            column = "+s.status" if ordered else "s.status"
            self.clauses.append(f"{column} IN ({', '.join(names)})")
            self.params.update(zip((n[1:] for n in names), statuses, strict=True))
        section = normalize_section(self.section or "")
        if section:
            # A section shows its sub-sections too: "News" lists "News / Metro".
            # Ranges, not LIKE, so that the section index serves both halves.
            self.clauses.append(
                "(s.section = :section OR (s.section >= :sub_from AND s.section < :sub_to))"
            )
            self.params.update(section=section, sub_from=section + " / ", sub_to=section + " /!")
        if self.editor:
            self.clauses.append("s.editor = :editor")
            self.params["editor"] = self.editor
        if self.story_type:
            self.clauses.append("s.type = :story_type")
            self.params["story_type"] = self.story_type.strip().lower()
        return self

    @property
    def narrowed(self) -> bool:
        """Filters other than the trash switch and the query."""
        return bool(
            self.status or self.waiting_for or self.section or self.editor or self.story_type
        )

    @property
    def searching(self) -> bool:
        return bool(self.query and self.query.strip())

    def where(self) -> str:
        return " AND ".join(self.clauses)


def _statuses(status: str | Sequence[str] | None, waiting_for: str | None) -> list[str] | None:
    wanted: set[str] | None = None
    if status:
        wanted = {status} if isinstance(status, str) else set(status)
        unknown = wanted - set(STATUSES)
        if unknown:
            raise StoreError(f"unknown status {sorted(unknown)[0]!r}; one of {', '.join(STATUSES)}")
    if waiting_for is not None:
        if waiting_for not in WAITING_FOR:
            raise StoreError(f"unknown role {waiting_for!r}; one of {', '.join(WAITING_FOR)}")
        roles = set(WAITING_FOR[waiting_for])
        wanted = roles if wanted is None else wanted & roles
    return None if wanted is None else sorted(wanted)


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
    seq = conn.execute("SELECT value FROM meta WHERE key = 'change_seq'").fetchone()
    key = f"{version} {seq[0] if seq else 0} {expression}"
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


def _many_matches(db: Database) -> bool:
    """More than DENSE_MATCHES rows in temp.search_hits (see load_matches)."""
    return (
        db.execute("SELECT 1 FROM temp.search_hits LIMIT 1 OFFSET ?", [DENSE_MATCHES]).fetchone()
        is not None
    )


def select_rows(
    db: Database, filters: Filters, sort: str, descending: bool, limit: int, offset: int
) -> list[StoryRow]:
    query = _page_query(db, filters, sort, descending, limit, offset)
    if query is None:
        return []
    return [_story_row(row) for row in db.execute(*query).fetchall()]


# More rows than any desk holds: "every row" for the LIMIT of one query.
EVERY_ROW = 2**62


def stream_rows(
    db: Database, filters: Filters, sort: str, descending: bool, batch: int = 1000
) -> Iterator[StoryRow]:
    """Every row select_rows pages through, in its order, from one query read `batch`
    rows at a time. Paging a search with OFFSET ranks the matches again for each page:
    all 20,000 matches of a word a thousand at a time ranked 210,000 (issue 23)."""
    query = _page_query(db, filters, sort, descending, EVERY_ROW, 0)
    if query is None:
        return
    cursor = db.execute(*query)
    while rows := cursor.fetchmany(batch):
        yield from (_story_row(row) for row in rows)


def _page_query(
    db: Database, filters: Filters, sort: str, descending: bool, limit: int, offset: int
) -> tuple[str, dict] | None:
    """The SQL and parameters of a page of the list; None when the query cannot match."""
    if sort not in SORTS:
        raise StoreError(f"cannot sort by {sort!r}; one of {', '.join(SORTS)}")
    # Sorted by status, the status index is the sort's own: let SQLite seek in it.
    filters.build(ordered=sort not in ("rank", "status"))
    params = {**filters.params, "limit": max(0, int(limit)), "offset": max(0, int(offset))}
    page = "LIMIT :limit OFFSET :offset"
    if not filters.searching:
        sql = f"SELECT {ROW_COLUMNS} FROM stories s WHERE {filters.where()} "
        return sql + f"ORDER BY {_order(sort, descending)} {page}", params
    params["match"] = resolve_match(db, filters.query or "")
    if params["match"] is None:
        return None
    return _search_sql(db, filters, sort, descending, params), params


def _search_sql(
    db: Database, filters: Filters, sort: str, descending: bool, params: dict
) -> str:
    """The query of a page of search results (`params` gains what it binds)."""
    page = "LIMIT :limit OFFSET :offset"
    if sort == "rank" and not filters.narrowed and not filters.deleted:
        # Rank inside FTS alone, then fetch just the page; `take` leaves room for matches
        # that sit in the trash and are dropped by the join. Scoring every match of a word
        # found in most stories is slow, so only the RANK_WINDOW newest matches (rowids
        # grow as stories are added) are ranked. They are taken in one pass of the index
        # newest first: a prefix or phrase costs FTS5 a full read of its doclist per
        # query, so asking first for the window's floor doubled that cost.
        params["take"] = params["limit"] + params["offset"] + _trash_size(db)
        params["window"] = RANK_WINDOW
        if params["take"] > RANK_WINDOW:
            return _beyond_window_sql(filters)
        return (
            f"WITH newest AS (SELECT rowid, {RANK} AS score FROM stories_fts "
            "WHERE stories_fts MATCH :match ORDER BY rowid DESC LIMIT :window), "
            "hits AS (SELECT rowid, score FROM newest ORDER BY score LIMIT :take) "
            f"SELECT {ROW_COLUMNS} FROM hits JOIN stories s ON s.rid = hits.rowid "
            f"WHERE {filters.where()} ORDER BY hits.score, s.updated_at DESC, s.rid DESC {page}"
        )
    if sort == "rank":
        return (
            f"SELECT {ROW_COLUMNS} FROM stories_fts JOIN stories s ON s.rid = stories_fts.rowid "
            f"WHERE stories_fts MATCH :match AND {filters.where()} "
            f"ORDER BY {RANK}, s.updated_at DESC {page}"
        )
    # With many matches, walking the sort's index and keeping the rows that match
    # fills a page at once; SQLite cannot know that and would sort every match. A
    # status or section still leaves a large share of the rows; an editor does not.
    load_matches(db, params["match"])
    dense = not filters.editor and not filters.deleted and _many_matches(db)
    hint = f" INDEXED BY {SORT_INDEXES[sort]}" if dense and sort in SORT_INDEXES else ""
    return (
        f"SELECT {ROW_COLUMNS} FROM stories s{hint} WHERE {_MATCHING} AND {filters.where()} "
        f"ORDER BY {_order(sort, descending)} {page}"
    )


def _beyond_window_sql(filters: Filters) -> str:
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
        f"SELECT {ROW_COLUMNS} FROM hits JOIN stories s ON s.rid = hits.rowid "
        f"WHERE {filters.where()} "
        "ORDER BY hits.older, hits.score, s.updated_at DESC, s.rid DESC "
        "LIMIT :limit OFFSET :offset"
    )


def _order(sort: str, descending: bool) -> str:
    sort = "updated_at" if sort == "rank" else sort
    keys = [SORTS[sort]]
    if sort not in ("slug", "updated_at", "created_at", "deleted_at"):
        keys.append("s.updated_at")
    keys.append("s.rid")
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{key} {direction}" for key in keys)


def _trash_size(db: Database) -> int:
    return db.execute("SELECT count(*) FROM stories WHERE deleted_at IS NOT NULL").fetchone()[0]


def count_rows(db: Database, filters: Filters) -> int:
    filters.build()
    if filters.searching and not filters.narrowed and not filters.deleted:
        # FTS counts its matches without reading them; take away those in the trash.
        expression = resolve_match(db, filters.query or "")
        if expression is None:
            return 0
        hits = db.execute(
            "SELECT count(*) FROM stories_fts WHERE stories_fts MATCH ?", [expression]
        ).fetchone()[0]
        trashed = db.execute(
            "SELECT count(*) FROM stories s WHERE s.deleted_at IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM stories_fts WHERE stories_fts MATCH ? AND stories_fts.rowid = s.rid)",
            [expression],
        ).fetchone()[0]
        return hits - trashed
    rows = _grouped(db, filters, "count(*)", "", "stories_live_updated")
    return rows[0][0] if rows else 0


def count_by_status(db: Database, filters: Filters) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    grouped = _grouped(
        db, filters, "s.status, count(*)", " GROUP BY s.status", "stories_live_status"
    )
    for status, n in grouped:
        counts[status] = n
    return counts


def _grouped(db: Database, filters: Filters, columns: str, group: str, index: str) -> list[tuple]:
    """Aggregate over the filtered stories; with many matches, walk `index` and probe
    the matches rather than look up every matching row."""
    filters.build()
    where = filters.where()
    params = dict(filters.params)
    hint = ""
    if filters.searching:
        params["match"] = resolve_match(db, filters.query or "")
        if params["match"] is None:
            return []
        where = f"{_MATCHING} AND {where}"
        load_matches(db, params["match"])
        if not filters.deleted and _many_matches(db):
            hint = f" INDEXED BY {index}"
    sql = f"SELECT {columns} FROM stories s{hint} WHERE {where}{group}"
    return db.execute(sql, params).fetchall()


def _story_row(row: tuple) -> StoryRow:
    (id_, slug, headline, section, status, editor, byline, updated, words, rev, deleted,
     created, kind) = row
    return StoryRow(
        id=id_,
        slug=slug,
        headline=headline,
        section=section or "",
        status=status,
        editor=editor or "",
        byline=byline or "",
        updated_at=parse_datetime(updated),
        word_count=words or 0,
        revision=rev,
        deleted_at=parse_datetime(deleted) if deleted else None,
        created_at=parse_datetime(created) if created else None,
        type=kind or DEFAULT_TYPE,
    )
