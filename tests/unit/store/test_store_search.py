"""Store lists and search: filters, sorts, paging, counts, and FTS that never raises."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import Story
from newsdesk.store import Store, StoreError

HOSTILE = [
    '"unbalanced',
    "AND OR",
    "NEAR(",
    "*",
    "",
    "   ",
    "🙂",
    '"',
    "(",
    ")",
    "^",
    "-",
    "headline:",
    "nosuchcolumn: harbour",
    "{",
    "a AND",
    "NOT",
    "'; DROP TABLE stories;--",
    "\x00",
    "OR OR OR",
    '""""',
    "NEAR(a b, -1)",
    "harbour*",
    "*harbour",
    "\\",
]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """One shared store for read-only tests (opening a store per test costs time)."""
    store = Store.open(tmp_path_factory.mktemp("search") / "desk.db")
    base = datetime(2024, 3, 1, tzinfo=UTC)
    stories = [
        Story(
            slug="harbour-reopens",
            headline="Harbour reopens after storm",
            deck="Ferries back on the river",
            body="The harbour opened at dawn. " * 3,
            section="News / Metro",
            editor="Xu Fang",
            status="in_review",
            tags=("Port", "Weather"),
            byline="Li Wei",
        ),
        Story(
            slug="election-night",
            headline="Election night in the districts",
            body="Voters queued for elections across the districts.",
            section="News / Nation",
            editor="Ann Lee",
            status="draft",
            tags=("Politics",),
        ),
        Story(
            slug="cafe-guide",
            headline="Café guide",
            body="Twelve cafés worth the queue.",
            section="Culture",
            editor="Xu Fang",
            status="approved",
            tags=("Food",),
        ),
        Story(
            slug="market-close",
            headline="Markets close higher",
            body="Shares rose.",
            section="Business",
            editor="Ann Lee",
            status="published",
            byline="Harbour Desk",
        ),
        Story(
            slug="storm-warning",
            headline="Storm warning for the coast",
            body="A storm is on its way; the harbour office warns boats.",
            section="News",
            editor="Bo Chen",
            status="draft",
            tags=("Weather",),
        ),
    ]
    for n, story in enumerate(stories):
        store.insert(story.replace(revision=1, updated_at=base + timedelta(hours=n)))
    yield store
    store.close()


def slugs(rows):
    return [row.slug for row in rows]


def test_default_list_is_newest_first(desk):
    assert slugs(desk.list_rows()) == [
        "storm-warning",
        "market-close",
        "cafe-guide",
        "election-night",
        "harbour-reopens",
    ]


@pytest.mark.parametrize(
    "sort",
    ["slug", "headline", "section", "status", "editor", "updated_at", "word_count", "created_at"],
)
def test_every_sort_both_ways(desk, sort):
    ascending = desk.list_rows(sort=sort, descending=False)
    descending = desk.list_rows(sort=sort, descending=True)
    assert ascending == list(reversed(descending))
    key = "word_count" if sort == "word_count" else sort
    if key in ("slug", "section", "status", "editor", "word_count"):
        values = [getattr(row, key) for row in ascending]
        assert values == sorted(values)
    if key == "headline":
        assert [r.headline.casefold() for r in ascending] == sorted(
            r.headline.casefold() for r in ascending
        )


def test_unknown_sort_status_or_role_is_a_clear_error(desk):
    with pytest.raises(StoreError, match="cannot sort"):
        desk.list_rows(sort="body; DROP TABLE stories")
    with pytest.raises(StoreError, match="unknown status"):
        desk.list_rows(status="lost")
    with pytest.raises(StoreError, match="unknown role"):
        desk.list_rows(waiting_for="intern")


def test_filters(desk):
    assert slugs(desk.list_rows(status="draft")) == ["storm-warning", "election-night"]
    assert set(slugs(desk.list_rows(status=["draft", "approved"]))) == {
        "storm-warning",
        "election-night",
        "cafe-guide",
    }
    # a section lists its sub-sections, and nothing that merely starts with its name
    assert set(slugs(desk.list_rows(section="News"))) == {
        "harbour-reopens",
        "election-night",
        "storm-warning",
    }
    assert slugs(desk.list_rows(section="News / Metro")) == ["harbour-reopens"]
    assert slugs(desk.list_rows(section="New")) == []
    assert slugs(desk.list_rows(editor="Xu Fang")) == ["cafe-guide", "harbour-reopens"]
    assert slugs(desk.list_rows(editor="Xu Fang", status="approved")) == ["cafe-guide"]
    assert slugs(desk.list_rows(waiting_for="desk_chief")) == ["harbour-reopens"]
    assert slugs(desk.list_rows(waiting_for="editor", editor="Bo Chen")) == ["storm-warning"]
    assert desk.list_rows(waiting_for="desk_chief", status="published") == []
    assert desk.count(waiting_for="desk_chief", status="published") == 0
    assert slugs(desk.list_rows(section="News/Metro")) == ["harbour-reopens"]
    assert len(desk.list_rows(editor="", section="")) == 5  # empty means no filter


def test_paging_walks_every_row_once(desk):
    pages = [
        desk.list_rows(sort="slug", descending=False, limit=2, offset=offset)
        for offset in (0, 2, 4, 6)
    ]
    assert [len(page) for page in pages] == [2, 2, 1, 0]
    walked = [row.slug for page in pages for row in page]
    assert walked == sorted(walked)
    assert len(set(walked)) == 5


def test_counts(desk):
    assert desk.count() == 5
    assert desk.count(editor="Ann Lee") == 2
    assert desk.count(query="harbour") == 3
    assert desk.status_counts() == {
        "draft": 2,
        "in_review": 1,
        "approved": 1,
        "published": 1,
        "spiked": 0,
        "killed": 0,
    }
    assert desk.status_counts(query="storm") == {
        "draft": 1,
        "in_review": 1,
        "approved": 0,
        "published": 0,
        "spiked": 0,
        "killed": 0,
    }
    assert desk.count(deleted=True) == 0


def test_search_ranks_headline_matches_first(desk):
    rows = desk.search("harbour")
    assert slugs(rows)[0] == "harbour-reopens"
    assert set(slugs(rows)) == {"harbour-reopens", "storm-warning", "market-close"}  # byline


def test_search_covers_deck_tags_byline_and_stems(desk):
    assert slugs(desk.search("ferries")) == ["harbour-reopens"]
    assert slugs(desk.search("politics")) == ["election-night"]
    assert slugs(desk.search("li wei")) == ["harbour-reopens"]
    assert slugs(desk.search("election ")) == ["election-night"]  # "elections" too
    assert slugs(desk.search("cafe")) == ["cafe-guide"]  # diacritics folded


def test_search_as_you_type_prefix(desk):
    assert slugs(desk.search("harb")) != []
    assert slugs(desk.search("elect")) == ["election-night"]
    assert desk.search("harb ") == []  # a finished word is not a prefix


def test_fts_syntax_is_used_when_valid(desk):
    assert set(slugs(desk.search("storm OR ferries"))) == {"harbour-reopens", "storm-warning"}
    assert slugs(desk.search('"harbour office"')) == ["storm-warning"]
    assert slugs(desk.search("deck: ferries")) == ["harbour-reopens"]
    assert desk.search("headline: ferries") == []


def test_invalid_fts_syntax_falls_back_to_words(desk):
    assert slugs(desk.search('"harbour office')) == ["storm-warning"]
    assert slugs(desk.search("storm-warning")) == ["storm-warning"]
    assert set(slugs(desk.search("storm ("))) == {"harbour-reopens", "storm-warning"}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(desk, query):
    assert isinstance(desk.search(query), list)
    assert isinstance(desk.list_rows(query=query, sort="headline"), list)
    assert isinstance(desk.count(query=query), int)
    assert isinstance(desk.status_counts(query=query), dict)
    assert desk.count() == 5


def test_list_with_query_combines_filters_and_sort(desk):
    rows = desk.list_rows(
        query="harbour", status=["draft", "in_review"], sort="slug", descending=False
    )
    assert slugs(rows) == ["harbour-reopens", "storm-warning"]
    assert slugs(desk.list_rows(query="   ")) == slugs(desk.list_rows())


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_text_is_a_safe_query(desk, query):
    assert isinstance(desk.search(query), list)
    assert desk.count(query=query) >= 0


def test_ranked_pages_past_the_rank_window_list_every_match_once(tmp_path, monkeypatch):
    """Paging through every match of a word found in more stories than the rank window
    (2,000, here 4): each page once ranked a window that grew with the page, so stories
    came twice and others never (`search --limit 0` at 20,000 stories listed 4,065 of
    19,964). The pages, and the one query of search_all, list each match once, in one
    order: the window's newest matches by score, then the older ones by score."""
    from newsdesk.store import matching

    monkeypatch.setattr(matching, "RANK_WINDOW", 4)
    with Store.open(tmp_path / "desk.db") as store:
        stories = [Story(slug=f"s{n}", headline="Harbour " * (n % 5 + 1),
                         body=f"Story {n} about the harbour and other things.")
                   for n in range(23)]
        store.bulk_insert(stories, actor="test")
        store.delete(store.find("s7").id, actor="test")
        live = {s.id for s in stories} - {store.find("s7", deleted=True).id}
        pages = [row.id for offset in range(0, 30, 3)
                 for row in store.search("harbour", limit=3, offset=offset)]
        assert len(pages) == len(set(pages)) == len(live) and set(pages) == live
        assert [row.id for row in store.search_all("harbour")] == pages
        assert [row.id for row in store.search("harbour", limit=100)] == pages
        # The first page is still the window's newest matches ranked by score.
        newest = {s.id for s in stories[-4:]}
        assert set(pages[:4]) == newest


def test_the_whole_list_from_one_query_is_the_pages_in_order(tmp_path):
    """`newsdesk list --limit 0` reads Store.list_all: the rows the pages of list_rows
    give, in their order, under the same filters, the trash left out."""
    with Store.open(tmp_path / "desk.db") as store:
        store.bulk_insert([Story(slug=f"s{n}", headline=f"Story {n}",
                                 section=("News", "News / Metro", "Sport")[n % 3],
                                 status=("draft", "in_review")[n % 2]) for n in range(31)],
                          actor="test")
        store.delete(store.find("s4").id, actor="test")
        for filters in ({}, {"section": "News"}, {"status": "draft"}, {"editor": "nobody"}):
            pages = [row.id for offset in range(0, 40, 4)
                     for row in store.list_rows(**filters, limit=4, offset=offset)]
            assert [row.id for row in store.list_all(**filters)] == pages
        assert len(list(store.list_all())) == 30


def test_every_match_is_read_from_the_index_of_listed_columns(tmp_path):
    """A search joined each match to its row in the table, whose `type` sits after the
    body, so every match walked its body's overflow pages (issue 23: `search --limit 0`
    of 20,000 matches spent most of its SQL time there). The plan reads the index of the
    listed columns instead, for the ranked pages and for every match."""
    from newsdesk.store import listing

    with Store.open(tmp_path / "desk.db") as store:
        store.bulk_insert([Story(slug=f"s{n}", headline="Harbour", body="harbour " * 900)
                           for n in range(30)], actor="test")
        for limit in (20, listing.EVERY_ROW):
            query = listing._page_query(store.db, listing.Filters(query="harbour"), "rank",
                                        True, limit, 0)
            plan = " | ".join(row[3] for row in store.db.execute(f"EXPLAIN QUERY PLAN {query[0]}",
                                                                  query[1]).fetchall())
            assert "COVERING INDEX stories_listed" in plan, plan
            assert len(store.db.execute(*query).fetchall()) == min(limit, 30)
