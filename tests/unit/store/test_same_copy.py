"""The same wire copy imported twice: found by store.copies.same_copy and refused by the desk."""

from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.model import Story
from newsdesk.store import Store

WIRE = """date 2025-02-03
News / Metro

Ferry timetable changes for the spring

The harbour ferry adds two early sailings from March, the operator said.

Commuters had asked for an earlier boat for years.

Source: Harbour Post   Editor: Ana Ruiz
"""


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "desk.db") as opened:
        yield opened


def test_same_copy_finds_only_a_live_story_with_the_same_headline_and_body(store):
    story = store.insert(Story(slug="ferry", headline="Ferry news", body="Two sailings."))
    assert store.copies.same_copy("Ferry news", "Two sailings.") == story.id
    assert store.copies.same_copy("FERRY NEWS", "Two sailings.") is None
    assert store.copies.same_copy("Ferry news", "Three sailings.") is None
    assert store.copies.same_copy("Other news", "Two sailings.") is None
    store.delete(story.id)
    assert store.copies.same_copy("Ferry news", "Two sailings.") is None


def test_importing_one_wire_file_twice_is_refused(tmp_path: Path):
    path = tmp_path / "ferry.txt"
    path.write_text(WIRE, encoding="utf-8")
    with Desk.open(tmp_path / "desk.db") as desk:
        [story] = desk.import_paths([path]).imported
        again = desk.import_paths([path])
        assert again.imported == []
        [(rejected, reason)] = again.rejected
        assert rejected == path
        assert f"already imported as '{story.slug}' ({story.id[:8]})" in reason
        assert desk.count() == 1
        # A second copy of the file in the same import is refused the same way.
        copy = tmp_path / "ferry-copy.txt"
        copy.write_text(WIRE, encoding="utf-8")
        desk.delete(story.id)
        report = desk.import_paths([path, copy])
        assert len(report.imported) == 1 and len(report.rejected) == 1
        assert desk.count() == 1


def test_same_copies_answers_for_a_whole_batch_with_the_oldest_live_story(store):
    older = store.insert(Story(slug="mill", headline="Mill closes", body="Flour."))
    store.insert(Story(slug="mill-2", headline="Mill closes", body="Flour."))
    bread = store.insert(Story(slug="mill-3", headline="Mill closes", body="Bread."))
    gone = store.insert(Story(slug="dam", headline="Dam opens", body="Water."))
    store.delete(gone.id)
    asked = [("Mill closes", "Flour."), ("Mill closes", "Bread."), ("Mill closes", "Cake."),
             ("MILL CLOSES", "Flour."), ("Dam opens", "Water."), ("Mill closes", "Flour.")]
    assert store.copies.same_copies(asked) == {
        ("Mill closes", "Flour."): older.id,
        ("Mill closes", "Bread."): bread.id,
    }
    assert store.copies.same_copies([]) == {}
