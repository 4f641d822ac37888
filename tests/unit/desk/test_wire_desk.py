"""The desk's wire queue (desk/wire.py): receive, take, agency updates, duplicates, search."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdesk.desk import Changes, Desk
from newsdesk.desk.wire import WireDesk, WireError
from newsdesk.store import NotFound, Store
from tests.unit.wire_helpers import BODY, item

UPDATED = BODY.replace("Fares stay the same.", "Fares stay the same.\n\nA night ferry is added.")


@pytest.fixture
def desk(tmp_path):
    path = tmp_path / "desk.db"
    with Desk(Store.open(path), path, "Ana Ruiz") as opened:
        yield opened


@pytest.fixture
def wire(desk) -> WireDesk:
    return desk.wire


def test_items_wait_in_the_queue_not_among_the_drafts(desk, wire):
    counts = wire.receive([item("urn:a"), item("urn:b", headline="Other", body="Other text.")])
    assert (counts.new, counts.update, counts.duplicate) == (2, 0, 0)
    assert desk.store.count() == 0
    rows = wire.rows()
    assert [(r.guid, r.state, r.provider, r.urgency) for r in rows] == [
        ("urn:b", "new", "Feed A", None), ("urn:a", "new", "Feed A", None)]


def test_a_take_makes_a_draft_linked_both_ways_with_the_taker_as_editor(desk, wire):
    wire.receive([item("urn:a")])
    story = wire.take("urn:a")
    assert (story.status, story.editor, story.headline, story.body) == (
        "draft", "Ana Ruiz", "Ferry back on Monday", BODY)
    assert story.extra["wire"]["guid"] == "urn:a"
    row = wire.row(story.slug)  # the story finds its item
    assert (row.story_id, row.state, row.taken_by, row.taken_version) == (
        story.id, "taken", "Ana Ruiz", 1)
    with pytest.raises(WireError, match="already taken by Ana Ruiz"):
        wire.take(str(row.rid))
    assert desk.store.count() == 1


def test_a_second_take_of_the_same_headline_gets_a_free_slug(wire):
    wire.receive([item("urn:a"), item("urn:b", body="Different words here.")])
    assert (wire.take("urn:a").slug, wire.take("urn:b").slug) == (
        "ferry-back-on-monday", "ferry-back-on-monday-2")


def test_versions_update_the_entry_and_old_ones_change_nothing(wire):
    wire.receive([item("urn:a", 2)])
    counts = wire.receive([item("urn:a", 1), item("urn:a", 2), item("urn:a", 3, body=UPDATED)])
    assert (counts.update, counts.older_or_same) == (1, 2)
    (row,) = wire.rows()
    assert (row.version, row.state) == (3, "new")
    assert wire.item(row).body == UPDATED


def test_the_same_text_from_two_feeds_is_shown_once(wire):
    wire.receive([item("urn:a", provider="Feed A")])
    wire.receive([item("urn:z", provider="Feed B")])
    assert [r.guid for r in wire.rows()] == ["urn:a"]
    assert [(r.guid, r.state, r.duplicate_of) for r in wire.rows(duplicates=True)] == [
        ("urn:z", "duplicate", "urn:a"), ("urn:a", "new", "")]
    assert wire.copies(wire.row("urn:a")) == [("urn:z", "Feed B")]


def test_the_queue_is_searchable_at_once(wire):
    wire.receive([item("urn:a"), item("urn:b", headline="Bridge shut", body="Cracks found.")])
    assert [r.guid for r in wire.rows(query="cracks")] == ["urn:b"]
    assert [r.guid for r in wire.rows(query="ferries")] == ["urn:a"]  # stemmed
    assert wire.rows(query='"unbalanced (quote OR') == []  # any text is safe
    assert wire.count(query="ferry") == 1


def test_an_update_of_a_taken_story_shows_the_diff_and_merges_with_the_desk_edits(desk, wire):
    wire.receive([item("urn:a")])
    story = wire.take("urn:a")
    edited = desk.save(story.replace(body=story.body.replace("Monday", "Monday morning")),
                       story.revision)
    with pytest.raises(WireError, match="up to date"):
        wire.agency_update(story.slug)
    wire.receive([item("urn:a", 2, body=UPDATED)])
    assert wire.row(story.slug).state == "updated"
    update = wire.agency_update(story.slug)
    assert [(p.op, p.new) for p in update.agency_changes.body if p.op != "equal"] == [
        ("insert", ("A night ferry is added.",))]
    assert update.conflicts == []
    saved, _ = wire.merge_update(story.slug)
    assert saved.body == ("The ferry resumes on Monday morning.\n\nTimetables are on the "
                          "quay.\n\nFares stay the same.\n\nA night ferry is added.")
    assert saved.revision == edited.revision + 1
    assert saved.extra["wire"]["version"] == 2
    assert wire.row(story.slug).state == "taken"
    assert desk.store.history(story.id)[-1].action == "wire_update_merged"


def test_a_clash_is_shown_and_never_overwritten_unless_a_side_is_chosen(desk, wire):
    wire.receive([item("urn:a")])
    story = wire.take("urn:a")
    mine = story.body.replace("on the quay", "at the ticket office")
    desk.save(story.replace(body=mine), story.revision)
    theirs = BODY.replace("on the quay", "online")
    wire.receive([item("urn:a", 2, body=theirs)])
    update = wire.agency_update(story.slug)
    assert [(c.label, c.local, c.remote) for c in update.conflicts] == [
        ("body (paragraph 2)", "Timetables are at the ticket office.", "Timetables are online.")]
    with pytest.raises(WireError, match="both changed body"):
        wire.merge_update(story.slug)
    assert desk.store.get(story.id).body == mine  # nothing changed
    saved, _ = wire.merge_update(story.slug, "agency")
    assert saved.body == theirs
    assert wire.row(story.slug).state == "taken"


def test_a_taken_story_purged_later_is_said_plainly(desk, wire):
    wire.receive([item("urn:a")])
    story = wire.take("urn:a")
    desk.store.delete(story.id)
    desk.store.purge(story.id)
    wire.receive([item("urn:a", 2, body=UPDATED)])
    with pytest.raises(NotFound):
        wire.agency_update("urn:a")
    with pytest.raises(WireError, match="no longer in the database"):
        wire.take("urn:a")


def test_a_guid_of_digits_is_found_before_an_entry_of_that_number(wire):
    wire.receive([item("urn:a"), item("1", body="An agency numbering its items.")])
    assert wire.row("1").guid == "1"
    assert wire.row("2").guid == "1"  # its number
    assert wire.row("urn:a").rid == 1


def test_every_change_to_the_queue_is_told_to_the_desk_subscribers(desk, wire):
    heard: list[Changes] = []
    desk.subscribe(heard.append)
    wire.receive([replace(item("urn:a"), section="Transport")])
    assert heard == [Changes(wire=True)]  # the queue changed, no story did
    story = wire.take("urn:a")
    assert heard[-1] == Changes.of(created=[story.id], sections=True, wire=True)
    assert wire.pending_update(story.id) is None
    wire.receive([item("urn:a", 2, body=UPDATED)])
    assert heard[-1] == Changes(wire=True)
    assert wire.pending_update(story.id).version == 2
    saved, _ = desk.wire.merge_update(story.id)
    assert heard[-1] == Changes.of(changed=[saved.id], wire=True)
    assert wire.pending_update(story.id) is None
    assert len(heard) == 4


def test_every_write_of_the_queue_moves_its_mark_even_within_one_second(desk, wire):
    """The mark the window's watch reads (store/feed.py wire_mark) moves with each kind of
    queue write: an arrival, a newer version, a take, a merge, a duplicate, even when
    they all come in the same second (a mark of the newest arrival time did not move for
    an update received within the second of the first version: the banner missed it)."""
    from datetime import UTC, datetime

    from newsdesk.store import feed

    at = datetime(2026, 3, 9, 11, 20, tzinfo=UTC)
    marks = [feed.wire_mark(desk.store.db)]

    def moved() -> bool:
        marks.append(feed.wire_mark(desk.store.db))
        return marks[-1] != marks[-2]

    wire.receive([item("urn:a")], received_at=at)
    assert moved()
    story = wire.take("urn:a")
    assert moved()
    wire.receive([item("urn:a", 2, body=UPDATED)], received_at=at)
    assert moved()
    wire.merge_update(story.id)
    assert moved()
    wire.receive([item("urn:z", provider="Feed B", body=UPDATED)], received_at=at)
    assert moved()
    wire.receive([item("urn:a", 2, body=UPDATED)], received_at=at)  # the same again
    assert not moved()
