"""Settled groups of files: a pass looks only where something changed, and misses nothing.

Files written less than RACY_NS ago are never trusted by their stat, so in these tests
(which write and sync within milliseconds) the stat cache is told to trust every file;
each edit of a file in the folder changes its size, so no edit hides behind a stat.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from newsdesk.formats.markdown import loads
from newsdesk.store import Store
from newsdesk.store.sync_cache import group_of, group_range
from newsdesk.sync import cache, scan
from newsdesk.sync.engine import sync_folder
from newsdesk.sync.layout import story_relpath
from tests.unit.sync_helpers import BODY, edit, new_story, story_files, sync


@pytest.fixture(autouse=True)
def trust_new_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "RACY_NS", 0)


def settled_archive(store: Store, folder: Path, count: int = 6) -> list[str]:
    """Stories on several days, synced and settled (every group has its digest)."""
    ids = []
    for n in range(count):
        story = new_story(store, f"story-{n}")
        day = story.created_at.replace(day=1 + n % 3)
        ids.append(store.save(story.replace(created_at=day), story.revision).id)
    assert sync(store, folder).counts() == {"exported": count}
    sync(store, folder)  # reads the files once more: written by this laptop just now
    return ids


class Looks:
    """Counts the groups a pass looks into and the files it reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.groups: list[str] = []
        self.reads: list[str] = []
        files_in, read_state = scan.files_in, scan.read_state

        def counted_files_in(db, folder_id, group):
            self.groups.append(group)
            return files_in(db, folder_id, group)

        def counted_read_state(root, rel, stat, cached=None):
            self.reads.append(rel)
            return read_state(root, rel, stat, cached)

        monkeypatch.setattr(scan, "files_in", counted_files_in)
        monkeypatch.setattr(scan, "read_state", counted_read_state)


def test_a_pass_with_nothing_changed_looks_into_no_group(laptops, monkeypatch):
    a, _b, folder = laptops
    settled_archive(a, folder)
    looks = Looks(monkeypatch)
    assert sync(a, folder).counts() == {}
    assert looks.groups == [] and looks.reads == []


def test_an_edit_in_the_folder_opens_only_its_group(laptops, monkeypatch):
    a, b, folder = laptops
    ids = settled_archive(a, folder)
    sync(b, folder)
    sync(b, folder)
    path = next(p for p in story_files(folder) if loads(p.read_text()).id == ids[0])
    path.write_text(path.read_text().replace("Engineers", "Two engineers"))
    looks = Looks(monkeypatch)
    assert sync(a, folder).counts() == {"updated": 1}
    rel = path.relative_to(folder).as_posix()
    assert looks.groups == [group_of(rel)] and looks.reads == [rel]
    assert "Two engineers" in a.get(ids[0]).body


def test_a_change_in_the_database_is_written_over_a_settled_file(laptops):
    a, b, folder = laptops
    ids = settled_archive(a, folder)
    sync(b, folder)
    edit(a, ids[2], headline="A new headline")
    assert sync(a, folder).counts() == {"exported": 1}
    assert sync(b, folder).counts() == {"updated": 1}
    assert b.get(ids[2]).headline == "A new headline"
    assert sync(a, folder).counts() == {}


def test_a_file_gone_from_a_settled_group_is_missing_every_pass(laptops):
    a, _b, folder = laptops
    ids = settled_archive(a, folder)
    gone = story_files(folder)[0]
    gone.unlink()
    for _ in range(2):
        report = sync(a, folder)
        assert [e.kind for e in report.entries] == ["missing"]
    assert a.count() == len(ids)


def test_a_copy_into_another_group_is_reported_every_pass(laptops):
    a, _b, folder = laptops
    settled_archive(a, folder)
    original = story_files(folder)[0]
    copy = original.parent / ("2001-01-01-" + original.name)
    shutil.copyfile(original, copy)
    for _ in range(2):
        report = sync(a, folder)
        assert report.counts() == {"invalid": 1}
        assert report.entries[0].path == copy.relative_to(folder).as_posix()


def test_many_files_gone_from_settled_groups_stop_the_pass(laptops):
    a, _b, folder = laptops
    settled_archive(a, folder, count=8)
    for path in story_files(folder)[:6]:
        path.unlink()
    report = sync_folder(a, folder)
    assert report.stopped and "6 of 8" in report.stopped


def test_a_database_synced_before_groups_existed_still_finds_missing_files(laptops):
    a, _b, folder = laptops
    settled_archive(a, folder)
    a.db.execute("DELETE FROM sync_groups")
    a.db.conn.commit()
    story_files(folder)[-1].unlink()
    assert sync(a, folder).counts() == {"missing": 1}
    assert sync(a, folder).counts() == {"missing": 1}


def test_a_new_file_name_taken_in_a_settled_group_gets_a_longer_one(laptops):
    a, _b, folder = laptops
    words = "alpha-beta-gamma-delta-epsilon-zeta-eta-theta"
    first = new_story(a, f"{words}-one")
    sync(a, folder)
    sync(a, folder)
    # Same day, same name slug (cut at 40 characters), same eight first hex digits of
    # the id: only a longer id tells the file names apart.
    twin_id = first.id[:8] + str(uuid.uuid4())[8:]
    twin = new_story(a, f"{words}-two", id=twin_id, created_at=first.created_at)
    assert story_relpath(twin) == story_relpath(first)
    assert sync(a, folder).counts() == {"exported": 1}
    names = {p.relative_to(folder).as_posix() for p in story_files(folder)}
    assert len(names) == 2 and story_relpath(first) in names
    assert loads((folder / story_relpath(first)).read_text()).id == first.id


def test_group_range_takes_the_files_of_one_group_only():
    group = group_of("stories/2026/11/2026-11-25-bridge-1a2b3c4d.md")
    assert group == "stories/2026/11/2026-11-25-"
    where, params = group_range(group)
    assert params[0] == group and "instr" in where
    short = group_of("stories/2026/11/a.md")
    assert group_range(short) == ("path = ?", [short])
    with closing(sqlite3.connect(":memory:")) as db:
        db.execute("CREATE TABLE t(path TEXT)")
        paths = [
            "stories/2026/11/2026-11-25-a.md",
            "stories/2026/11/2026-11-25-b.md",
            "stories/2026/11/2026-11-26-c.md",
            "stories/2026/11/2026-11-25-x/inside.md",
            "stories/2026/11/a.md",
            "stories/2026/11/a.md.md",
        ]
        db.executemany("INSERT INTO t VALUES (?)", [(p,) for p in paths])

        def members(group: str) -> list[str]:
            where, params = group_range(group)
            rows = db.execute(f"SELECT path FROM t WHERE {where} ORDER BY path", params)
            return [row[0] for row in rows]

        assert members(group) == paths[:2]
        assert members(short) == ["stories/2026/11/a.md"]


def test_edits_merge_after_a_bulk_first_export(laptops):
    """A first export records no sync hash; the merge base works from the snapshot."""
    a, b, folder = laptops
    story = new_story(a)
    sync(a, folder)
    sync(b, folder)
    assert a.db.execute("SELECT hash FROM sync_base").fetchone()[0] == ""
    edit(a, story.id, body=BODY.replace("Monday", "Monday morning"))
    edit(b, story.id, body=BODY.replace("Tuesday", "Wednesday"))
    sync(a, folder)
    assert sync(b, folder).counts() == {"merged": 1, "exported": 1}
    assert sync(a, folder).counts() == {"updated": 1}
    assert a.get(story.id).body == b.get(story.id).body
