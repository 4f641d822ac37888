"""Store.bulk_insert, the dense-match query plans, change counter, and a busy database."""

import sqlite3
import threading

import pytest

from newsdesk.domain.model import Story
from newsdesk.store import SlugTaken, Store, StoreError, listing, matching


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "desk.db") as opened:
        yield opened


def batch(n, **extra):
    return [
        Story(
            slug=f"story-{i}",
            headline=f"Harbour story {i}",
            body="The ferry left the harbour. " * (i % 5 + 1),
            section=("News / Metro", "Business", "Science / Space")[i % 3],
            editor=("Ann", "Bo")[i % 2],
            status=("draft", "in_review", "published")[i % 3],
            tags=("Port", f"t{i % 4}"),
            **extra,
        )
        for i in range(n)
    ]


def test_bulk_insert_keeps_every_invariant_of_insert(store):
    assert store.bulk_insert(batch(503), actor="seed") == 503
    assert store.count() == 503
    first = store.find("story-0")
    assert (first.revision, first.modified_by) == (1, "seed")
    assert [e.action for e in store.history(first.id)] == ["created"]
    assert store.revision(first.id, 1).body == first.body
    assert "Science / Space" in store.sections()
    assert dict(store.tags())["Port"] == 503
    assert store.count(query="ferry") == 503
    imported = Story(slug="imported", headline="Imported", revision=4, modified_by="far")
    store.bulk_insert([imported])
    assert store.get(imported.id).revision == 4


def test_bulk_insert_refuses_clashes_and_writes_nothing(store):
    store.insert(Story(slug="story-7", headline="Already here"))
    with pytest.raises(SlugTaken):
        store.bulk_insert(batch(10))
    assert store.count() == 1
    twins = batch(2)
    twins[1].slug = twins[0].slug
    with pytest.raises(SlugTaken):
        store.bulk_insert(twins)
    with pytest.raises(StoreError, match="already exists"):
        store.bulk_insert([store.find("story-7").replace(slug="fresh", revision=0)])
    assert store.count() == 1


@pytest.mark.parametrize("sort", sorted(listing.SORT_INDEXES))
def test_dense_match_plan_gives_the_same_answers(store, monkeypatch, sort):
    store.bulk_insert(batch(60))
    store.delete(store.find("story-3").id)

    def answers():
        return (
            [r.id for r in store.list_rows(query="harbour", sort=sort, limit=25, offset=10)],
            [r.id for r in store.list_rows(query="harbour", sort=sort, descending=False)],
            store.count(query="harbour"),
            store.status_counts(query="harbour"),
            [r.id for r in store.search("harbour", limit=7, offset=3)],
        )

    sparse = answers()
    monkeypatch.setattr(matching, "DENSE_MATCHES", 0)
    assert answers() == sparse
    assert sparse[2] == 59


def test_counts_with_query_leave_out_the_trash(store):
    store.bulk_insert(batch(9))
    for slug in ("story-1", "story-2"):
        store.delete(store.find(slug).id)
    assert store.count(query="harbour") == 7
    assert sum(store.status_counts(query="harbour").values()) == 7
    assert store.count(query="harbour", deleted=True) == 2
    assert len(store.search("harbour")) == 7


def test_tag_counts_follow_edits_trash_and_purge(store):
    stories = [store.insert(s) for s in batch(4)]
    assert dict(store.tags())["Port"] == 4
    store.delete(stories[0].id)
    assert dict(store.tags())["Port"] == 3
    store.undelete(stories[0].id)
    assert dict(store.tags())["Port"] == 4
    store.delete(stories[1].id)
    store.purge(stories[1].id)
    store.save(stories[2].replace(tags=("Harbour",)), stories[2].revision)
    tags = dict(store.tags())
    assert tags["Port"] == 2
    assert tags["Harbour"] == 1
    assert "t1" not in tags  # no story carries it any more


def test_change_counter_moves_on_every_change(store):
    def seq(story_id):
        return store.db.execute(
            "SELECT change_seq FROM stories WHERE id = ?", [story_id]
        ).fetchone()[0]

    story = store.insert(batch(1)[0])
    seen = [seq(story.id)]
    story = store.save(story.replace(body="New."), story.revision)
    seen.append(seq(story.id))
    store.set_status(
        story.id, "in_review", expected_revision=story.revision, actor="a", action="submit"
    )
    seen.append(seq(story.id))
    store.delete(story.id)
    seen.append(seq(story.id))
    assert seen == sorted(set(seen))


def test_a_writer_waits_for_another_instead_of_failing(tmp_path):
    path = tmp_path / "busy.db"
    with Store.open(path) as setup:
        story = setup.insert(Story(slug="contended", headline="Contended"))
    holding, release, results = threading.Event(), threading.Event(), []

    def hold_the_lock():
        with Store.open(path) as first, first.transaction():
            holding.set()
            release.wait(10)

    def save_meanwhile():
        with Store.open(path) as second:
            holding.wait(10)
            threading.Timer(0.2, release.set).start()
            results.append(second.save(story.replace(body="Waited."), 1, actor="b").revision)

    threads = [threading.Thread(target=hold_the_lock), threading.Thread(target=save_meanwhile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [2]


def test_ranking_of_a_very_common_word_covers_the_newest_matches(store, monkeypatch):
    stories = batch(40)
    store.bulk_insert(stories)
    monkeypatch.setattr(matching, "RANK_WINDOW", 10)
    newest = {s.id for s in stories[-10:]}
    found = store.search("harbour", limit=5)
    assert len(found) == 5
    assert {row.id for row in found} <= newest
    assert len(store.search("harbour", limit=25)) == 25  # a longer page widens the window
    assert store.count(query="harbour") == 40  # counts stay exact


def test_insert_many_returns_the_stories_as_stored(store):
    stories = store.insert_many(batch(7), actor="desk")
    assert [s.revision for s in stories] == [1] * 7
    for story in stories:
        assert story == store.get(story.id)
        assert story.modified_by == "desk"


def test_insert_many_splits_rows_to_the_variable_limit(store):
    # A build of SQLite with a low limit on bound values still gets every row and record.
    store.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 60)
    stories = store.insert_many(batch(11))
    assert store.count() == 11
    assert store.count(query="ferry") == 11
    assert dict(store.tags())["Port"] == 11
    for story in stories:
        assert store.get(story.id) == story
        assert store.revision(story.id, 1).body == story.body
        assert [e.action for e in store.history(story.id)] == ["created"]


def test_taken_slugs_and_known_ids_for_a_batch(store):
    for slug in ("harbour", "harbour-2", "harbour-news", "harbourside", "harbou", "port"):
        store.insert(Story(slug=slug, headline=slug))
    trashed = store.insert(Story(slug="harbour-3", headline="Gone"))
    store.delete(trashed.id)
    assert store.copies.taken_slugs(["harbour", "dock"]) == {"harbour", "harbour-2", "harbour-news"}
    assert store.copies.taken_slugs([]) == set()
    port = store.find("port")
    assert store.copies.known_ids([port.id, trashed.id, "0" * 8]) == {
        port.id: "port", trashed.id: "harbour-3"}


def test_a_section_sorted_by_section_is_read_in_the_index_order(tmp_path):
    """A section and its sub-sections sorted by section: with the OR of the two alone,
    SQLite scanned the section index from its first entry (every Business, Culture and
    Health story before News: 77 ms for a page at a million stories; issue 23). One
    range of the section index around the OR starts at the section, in the sort's order;
    the rows are those of the filter alone (a section that sorts between "News" and
    "News / ..." stays out)."""
    from newsdesk.store import listing

    with Store.open(tmp_path / "desk.db") as store:
        for section in ("News !", "Newsroom"):
            store.add_section(section)
        sections = ["News", "News / Metro", "News !", "Newsroom", "News / World", "Sport"]
        store.bulk_insert(Story(slug=f"s{n}", headline=f"S {n}", section=sections[n % 6])
                          for n in range(60))
        for descending in (False, True):
            query = listing._page_query(store.db, listing.Filters(section="News"), "section",
                                        descending, 20, 0)
            plan = " | ".join(r[3] for r in store.db.execute(f"EXPLAIN QUERY PLAN {query[0]}",
                                                             query[1]).fetchall())
            assert "SEARCH s USING INDEX stories_live_section" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
            rows = store.list_rows(section="News", sort="section", descending=descending,
                                   limit=100)
            assert len(rows) == 30
            assert {r.section for r in rows} == {"News", "News / Metro", "News / World"}
            keys = [(r.section, r.updated_at) for r in rows]
            assert keys == sorted(keys, reverse=descending)
