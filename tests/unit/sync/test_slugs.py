"""Slugs: one numbering rule for stories made in the window and stories imported."""

from __future__ import annotations

from newsdesk.domain.model import SLUG_MAX, free_slug, slug_base, slugify


def test_a_free_slug_is_kept_and_a_taken_one_is_numbered():
    assert free_slug("harbour-plan", set().__contains__) == "harbour-plan"
    taken = {"harbour-plan", "harbour-plan-2"}
    assert free_slug("harbour-plan", taken.__contains__) == "harbour-plan-3"


def test_the_number_fits_within_the_longest_slug():
    long = slugify("word " * 40, limit=SLUG_MAX)
    base = slug_base(long)
    numbered = free_slug(long, {base}.__contains__)
    assert numbered == f"{base}-2" and len(numbered) <= SLUG_MAX


def test_a_slug_of_only_hyphens_becomes_story():
    assert slug_base("---") == "story"


def test_the_window_and_the_import_number_alike(tmp_path):
    from newsdesk.desk import Desk

    with Desk.open(tmp_path / "desk.db") as desk:
        first = desk.create(headline="Ferry timetable changes", body="One.")
        second = desk.create(headline="Ferry timetable changes", body="Two.")
        taken = desk.store.copies.taken_slugs([slug_base(first.slug)])
        assert second.slug == f"{first.slug}-2"
        assert free_slug(first.slug, taken.__contains__) == desk.unique_slug(first.slug)


# Slug clashes met by a sync (newsdesk.sync.slugs): identity is the id, a slug never
# blocks a story, and every laptop settles a clash the same way whatever order it met the
# stories in.

import itertools  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from newsdesk.domain.model import Story  # noqa: E402
from newsdesk.formats.markdown import dumps, loads  # noqa: E402
from newsdesk.store import Store  # noqa: E402
from newsdesk.sync.engine import sync_folder  # noqa: E402
from newsdesk.sync.report import SyncReport  # noqa: E402
from newsdesk.sync.slugs import keeps_slug, next_slug  # noqa: E402
from tests.unit.sync_helpers import edit, new_story  # noqa: E402

ID_A = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"
ID_B = "f0e1d2c3-b4a5-4968-8776-655443322110"
ID_C = "5c5c5c5c-0000-4000-8000-000000000000"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("slug", "story_id", "expected"),
    [
        ("storm", ID_A, "storm-0a1b"),
        ("storm-0a1b", ID_A, "storm-0a1b2c3d"),
        ("storm-0a1b2c3d", ID_A, "storm-0a1b2c3d4e5f"),
        ("storm-0a1b2c3d4e5f", ID_A, "storm-0a1b2c3d4e5f4a6b8c7d8e9fa0b1c2d3"),
        ("storm-0a1b2c3d4e5f4a6b8c7d8e9fa0b1c2d3", ID_A,
         "storm-0a1b2c3d4e5f4a6b8c7d8e9fa0b1c2d3-2"),
        ("storm-0a1b2c3d4e5f4a6b8c7d8e9fa0b1c2d3-2", ID_A,
         "storm-0a1b2c3d4e5f4a6b8c7d8e9fa0b1c2d3-3"),
        # Another story's suffix is part of this story's base.
        ("storm-0a1b", ID_B, "storm-0a1b-f0e1"),
        ("storm-2", ID_B, "storm-2-f0e1"),
        # The whole stays within SLUG_MAX, cut at the base.
        ("x" * 64, ID_A, "x" * 59 + "-0a1b"),
        ("x" * 58 + "-yyyyy", ID_A, "x" * 58 + "-0a1b"),  # no hyphen left at the cut
    ],
)
def test_the_next_slug_of_a_story_depends_only_on_its_slug_and_id(slug, story_id, expected):
    result = next_slug(slug, story_id)
    assert result == expected
    assert len(result) <= SLUG_MAX


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((T0, ID_B), (T0 + timedelta(seconds=1), ID_A), True),  # created first keeps it
        ((T0 + timedelta(seconds=1), ID_A), (T0, ID_B), False),
        ((T0, ID_A), (T0, ID_B), True),  # the same second: the smaller id keeps it
        ((T0, ID_B), (T0, ID_A), False),
    ],
)
def test_the_story_created_first_keeps_the_slug(first, second, expected):
    one = Story(id=first[1], created_at=first[0])
    other = Story(id=second[1], created_at=second[0])
    assert keeps_slug(one, other) is expected


def run(store: Store, folder: Path) -> SyncReport:
    report = sync_folder(store, folder, actor="tester")
    assert report.ok, [(e.kind, e.message) for e in report.entries]
    return report


def storm(store: Store, story_id: str, minutes: int, slug: str = "storm-closes-schools") -> Story:
    return new_story(
        store, slug, id=story_id, headline="Storm closes schools",
        created_at=T0 + timedelta(minutes=minutes),
    )


def slugs(store: Store) -> dict[str, str]:
    rows = store.db.execute("SELECT id, slug FROM stories WHERE deleted_at IS NULL").fetchall()
    return dict(rows)


@pytest.fixture
def three(tmp_path: Path):
    stores = {name: Store.open(tmp_path / f"{name}.db") for name in "ABC"}
    yield stores, tmp_path / "shared"
    for store in stores.values():
        store.close()


@pytest.mark.parametrize("older", ["A", "B"])
def test_a_slug_clash_settles_alike_on_three_laptops_in_the_order_of_the_issue(three, older):
    """Issue 17: A and B each have a story "Storm closes schools"; syncs A, B, C, A, B.
    Before: every sync exited 1 with `skipped ... already used by`, B never got A's
    story. Now every sync is clean and all three laptops hold both stories, the older one
    under the slug and the younger one under its own suffix."""
    stores, folder = three
    first, second = (ID_A, ID_B) if older == "A" else (ID_B, ID_A)
    storm(stores["A"], ID_A, 0 if older == "A" else 5)
    storm(stores["B"], ID_B, 0 if older == "B" else 5)
    for name in "ABCAB":
        run(stores[name], folder)
    expected = {first: "storm-closes-schools", second: next_slug("storm-closes-schools", second)}
    for store in stores.values():
        assert slugs(store) == expected
    # B met the clash (A's file was there first) and renamed the younger story, its own
    # or the arriving one: a revision with its reason in the history.
    notes = [e.note for e in stores["B"].history(second) if e.action == "slug_changed"]
    assert notes == [
        f"slug changed from storm-closes-schools to {expected[second]}: clash with {first}"
    ]
    for path in (folder / "stories").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        story_id = ID_A if f"id: \"{ID_A}\"" in text else ID_B
        assert f'slug: "{expected[story_id]}"' in text


def expected_three() -> dict[str, str]:
    # C's story is the oldest and keeps the slug; A's is next, B's the youngest.
    return {
        ID_C: "storm-closes-schools",
        ID_A: next_slug("storm-closes-schools", ID_A),
        ID_B: next_slug("storm-closes-schools", ID_B),
    }


@pytest.mark.parametrize("order", list(itertools.permutations("ABC")))
def test_three_laptops_settle_a_three_way_clash_alike_in_any_order(three, order):
    stores, folder = three
    storm(stores["A"], ID_A, 5)
    storm(stores["B"], ID_B, 9)
    storm(stores["C"], ID_C, 1)
    for name in (*order, *order, *order):
        run(stores[name], folder)
    for store in stores.values():
        assert slugs(store) == expected_three()


@pytest.mark.parametrize("order", ["AB", "BA"])
@pytest.mark.parametrize("w_minutes", [0, 10])
def test_a_suffixed_slug_that_clashes_again_settles_alike(three, order, w_minutes):
    """B's story W carries by hand the slug A's story would move to; whether W is older
    or younger than A's story, and whichever laptop syncs first, all end alike."""
    stores, folder = three
    taken = next_slug("storm-closes-schools", ID_A)  # storm-closes-schools-0a1b
    storm(stores["C"], ID_C, 1)
    storm(stores["A"], ID_A, 5)
    new_story(stores["B"], taken, id=ID_B, created_at=T0 + timedelta(minutes=w_minutes))
    run(stores["C"], folder)
    for name in (*order, "C", *order, "C"):
        run(stores[name], folder)
    if w_minutes < 5:  # W is older: A's story moves on to its next suffix
        expected = {ID_C: "storm-closes-schools", ID_B: taken, ID_A: next_slug(taken, ID_A)}
    else:  # A's story is older: W moves off the suffix to its own
        expected = {ID_C: "storm-closes-schools", ID_A: taken, ID_B: next_slug(taken, ID_B)}
    for store in stores.values():
        assert slugs(store) == expected


def test_a_story_renamed_after_its_turn_has_its_file_written_in_the_same_sync(three):
    """B's story is in the folder under the slug; someone drops the file of A's older
    story with the same slug into the folder by hand. C, syncing, renames B's story (its
    own file untouched, so not otherwise part of the pass): its file takes the new slug
    in that same sync, not at the next one."""
    stores, folder = three
    b, c = stores["B"], stores["C"]
    older = storm(stores["A"], ID_A, 0)
    storm(b, ID_B, 5)
    run(b, folder)
    run(c, folder)
    dropped = folder / "stories" / "from-a-mail.md"
    dropped.write_text(dumps(older), encoding="utf-8")
    run(c, folder)
    renamed = next_slug("storm-closes-schools", ID_B)
    assert slugs(c) == {ID_A: "storm-closes-schools", ID_B: renamed}
    (b_file,) = [p for p in (folder / "stories").rglob("*.md") if ID_B[:8] in p.name]
    assert loads(b_file.read_text(encoding="utf-8")).slug == renamed
    run(b, folder)  # B meets the clash itself: the same rename, which merges cleanly
    assert slugs(b) == slugs(c)
    assert run(c, folder).counts() == {}


def test_a_story_back_from_the_trash_makes_room_by_the_same_rule(three):
    """A deletes its story and then writes a new one under the same slug; B meanwhile
    edited the deleted one (an edit beats a delete): it comes back, and the younger of the
    two moves to its suffix on both laptops."""
    stores, folder = three
    a, b = stores["A"], stores["B"]
    old = storm(a, ID_A, 0)
    run(a, folder)
    run(b, folder)
    a.delete(old.id, actor="A")
    run(a, folder)  # the tombstone goes out
    edit(b, old.id, body="Edited on B while A deleted it.\n")  # B has not seen it yet
    newer = storm(a, ID_B, 30)  # the slug is free again on A
    run(a, folder)
    run(b, folder)  # B: its edit beats the delete; B also gets A's new story
    run(a, folder)
    run(b, folder)
    expected = {old.id: "storm-closes-schools", newer.id: next_slug("storm-closes-schools", ID_B)}
    assert slugs(a) == slugs(b) == expected
    assert a.get(old.id).body == "Edited on B while A deleted it.\n"


def test_a_story_coming_back_from_the_trash_under_a_new_slug_gets_past_its_old_one(three):
    """T went to A's trash; an older story L from C then took T's slug on A. B, which
    edited T meanwhile (the edit beats the delete), also got L and so moved T to its
    suffix. When T comes back to A, its old slug is L's: it comes back under the new one
    (before: the undelete was refused, and T was skipped at every sync)."""
    stores, folder = three
    a, b, c = stores["A"], stores["B"], stores["C"]
    t = storm(a, ID_B, 30)
    run(a, folder)
    run(b, folder)
    a.delete(t.id, actor="A")
    run(a, folder)  # the tombstone goes out
    edit(b, t.id, body="Edited on B while A deleted it.\n")
    older = storm(c, ID_A, 0)
    run(c, folder)  # C takes the tombstone and writes L
    run(a, folder)  # A takes L under the slug: T is in A's trash
    run(b, folder)  # B keeps T (edit beats delete) and moves it off L's slug
    run(a, folder)  # T comes back to A
    run(c, folder)
    expected = {older.id: "storm-closes-schools", t.id: next_slug("storm-closes-schools", t.id)}
    for store in (a, b, c):
        assert slugs(store) == expected
    assert a.get(t.id).body == "Edited on B while A deleted it.\n"
