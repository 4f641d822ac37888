"""Queries behind the story list: a page of rows, every row as a stream, and counts,
with the filters and sorts of store/filters.py and the search of store/matching.py."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

from newsdesk.domain.model import DEFAULT_TYPE, STATUSES, parse_datetime
from newsdesk.store.errors import StoreError
from newsdesk.store.filters import (  # noqa: F401  WAITING_FOR and SORT_INDEXES: the list's API
    ROW_COLUMNS,
    SORT_INDEXES,
    SORTS,
    WAITING_FOR,
    Filters,
    order_by,
)
from newsdesk.store.matching import (  # noqa: F401  plain_expression: the wire queue's search
    MATCHING,
    load_matches,
    many_matches,
    plain_expression,
    resolve_match,
    search_sql,
    trash_size,
)
from newsdesk.store.records import StoryRow


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


# What `list --json` and `search --json` print of a story (cli/output.row_dict), in
# that order, with its defaults applied by SQLite: the JSON of every row of a big desk
# is written from these values without building a StoryRow each (issue 23).
PRINTED = ("id", "slug", "headline", "section", "status", "type", "editor", "created_at",
           "updated_at", "word_count")
PRINTED_COLUMNS = (
    "s.id, s.slug, s.headline, coalesce(s.section, ''), s.status, "
    f"coalesce(nullif(s.type, ''), '{DEFAULT_TYPE}'), coalesce(s.editor, ''), "
    "nullif(s.created_at, ''), s.updated_at, coalesce(s.word_count, 0)"
)


def stream_printed(
    db: Database, filters: Filters, sort: str, descending: bool, batch: int = 1000
) -> Iterator[tuple]:
    """The PRINTED values of every row stream_rows gives, in its order."""
    query = _page_query(db, filters, sort, descending, EVERY_ROW, 0, PRINTED_COLUMNS)
    if query is None:
        return
    cursor = db.execute(*query)
    while rows := cursor.fetchmany(batch):
        yield from rows


def _page_query(
    db: Database, filters: Filters, sort: str, descending: bool, limit: int, offset: int,
    columns: str = ROW_COLUMNS,
) -> tuple[str, dict] | None:
    """The SQL and parameters of a page of the list (`columns` of each story `s`); None
    when the query cannot match."""
    if sort not in SORTS:
        raise StoreError(f"cannot sort by {sort!r}; one of {', '.join(SORTS)}")
    # Sorted by status, the status index is the sort's own: let SQLite seek in it.
    filters.build(ordered=sort not in ("rank", "status"), sort=sort)
    params = {**filters.params, "limit": max(0, int(limit)), "offset": max(0, int(offset))}
    page = "LIMIT :limit OFFSET :offset"
    if not filters.searching:
        sql = f"SELECT {columns} FROM stories s WHERE {filters.where()} "
        return sql + f"ORDER BY {order_by(sort, descending)} {page}", params
    params["match"] = resolve_match(db, filters.query or "")
    if params["match"] is None:
        return None
    return search_sql(db, filters, sort, descending, params, columns), params


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
        where = f"{MATCHING} AND {where}"
        load_matches(db, params["match"])
        if not filters.deleted and many_matches(db):
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
