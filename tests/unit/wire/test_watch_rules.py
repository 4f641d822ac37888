"""The watched folder's file rules (wire/watch.py): complete files, free names, moves."""

from __future__ import annotations

import pytest

from newsdesk.wire.watch import candidate, free_name, look, move, stable


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("story.xml", True),
        ("story.XML.tmp", False),  # being written: renamed when complete
        ("story.json.part", False),
        (".story.json", False),  # hidden: an editor's or a copier's temporary file
        (".done", False),
        ("notes.txt", True),
    ],
)
def test_which_names_are_taken(name, taken):
    assert candidate(name) is taken


def test_only_files_unchanged_between_two_looks_are_stable():
    before = {"a.xml": (10, 1), "b.xml": (10, 1), "c.xml": (5, 1)}
    now = {"a.xml": (10, 1), "b.xml": (12, 2), "d.xml": (1, 1)}
    assert stable(before, now) == ["a.xml"]


@pytest.mark.parametrize(
    ("name", "there", "expected"),
    [
        ("a.xml", set(), "a.xml"),
        ("a.xml", {"a.xml"}, "a-2.xml"),
        ("a.xml", {"a.xml", "a-2.xml"}, "a-3.xml"),
        ("a.b.json", {"a.b.json"}, "a-2.b.json"),
        ("plain", {"plain"}, "plain-2"),
    ],
)
def test_free_name(name, there, expected):
    assert free_name(name, there.__contains__) == expected


def test_look_and_move(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "b.json.tmp").write_text("{}")
    (tmp_path / "sub").mkdir()
    assert set(look(tmp_path)) == {"a.json"}
    moved = move(tmp_path, "a.json", "rejected", "a.json: not a wire item")
    assert moved == tmp_path / ".rejected" / "a.json"
    assert (tmp_path / ".rejected" / "a.json.reason").read_text() == "a.json: not a wire item\n"
    (tmp_path / "a.json").write_text("{}")
    assert move(tmp_path, "a.json", "rejected", "again").name == "a-2.json"
    (tmp_path / "c.json").write_text("{}")
    assert move(tmp_path, "c.json", "done") == tmp_path / ".done" / "c.json"
    assert not (tmp_path / ".done" / "c.json.reason").exists()


def test_a_reason_left_by_a_crash_before_the_move_is_written_over(tmp_path):
    (tmp_path / ".rejected").mkdir()
    (tmp_path / ".rejected" / "a.json.reason").write_text("half")
    (tmp_path / "a.json").write_text("{}")
    move(tmp_path, "a.json", "rejected", "the reason")
    assert sorted(p.name for p in (tmp_path / ".rejected").iterdir()) == [
        "a.json", "a.json.reason"]
    assert (tmp_path / ".rejected" / "a.json.reason").read_text() == "the reason\n"
