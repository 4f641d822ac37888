"""The bulk first export (sync/bulk.py): durable before recorded, never clobbering, and a
pass that dies at any step leaves what the next pass completes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk.disk.atomic import TEMP_PREFIX
from newsdesk.store import Store
from newsdesk.sync import bulk, has_conflict
from newsdesk.sync.engine import sync_folder
from tests.unit.sync_helpers import BODY, edit, new_story, story_files, sync

COUNT = 5


class _Killed(BaseException):
    """Stands for SIGKILL at one exact point of a pass."""


@pytest.fixture
def laptops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bulk, "CHUNK", 2)  # several chunks, so steps interleave
    a = Store.open(tmp_path / "a.db")
    b = Store.open(tmp_path / "b.db")
    for n in range(COUNT):
        new_story(a, f"story-{n}")
    yield a, b, tmp_path / "shared"
    a.close()
    b.close()


def rows(store: Store, table: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def placed(folder: Path) -> list[Path]:
    """Story files in place (not the temporary files of a write under way)."""
    return [p for p in story_files(folder) if not p.name.startswith(".")]


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def test_first_export_records_a_base_per_file_and_nothing_pending(laptops):
    a, _b, folder = laptops
    assert sync(a, folder).counts() == {"exported": COUNT}
    assert len(placed(folder)) == COUNT
    assert rows(a, "sync_base") == rows(a, "sync_snapshots") == COUNT
    assert rows(a, "sync_pending") == 0
    assert temp_files(folder) == []
    assert sync(a, folder).counts() == {}


def test_a_file_that_appears_before_the_rename_is_not_clobbered(laptops, monkeypatch):
    a, _b, folder = laptops
    original = bulk.rename_into_place
    taken: list[Path] = []

    def someone_writes_first(items):
        if not taken:
            taken.append(Path(items[0].folder.path, items[0].name))
            taken[0].write_text("written by a person meanwhile\n", encoding="utf-8")
        return original(items)

    monkeypatch.setattr(bulk, "rename_into_place", someone_writes_first)
    report = sync(a, folder)
    assert report.counts() == {"exported": COUNT - 1, "skipped": 1}
    assert taken[0].read_text(encoding="utf-8") == "written by a person meanwhile\n"
    assert rows(a, "sync_base") == rows(a, "sync_snapshots") == COUNT - 1
    monkeypatch.undo()
    # Next time the story gets a file of its own; the person's file is left untouched.
    assert sync(a, folder).counts() == {"invalid": 1, "exported": 1}
    assert taken[0].read_text(encoding="utf-8") == "written by a person meanwhile\n"


def test_killed_before_the_renames_the_next_pass_exports_again(laptops, monkeypatch):
    a, _b, folder = laptops

    def die(items):
        raise _Killed

    monkeypatch.setattr(bulk, "rename_into_place", die)
    with pytest.raises(_Killed):
        sync_folder(a, folder)
    monkeypatch.undo()
    assert rows(a, "sync_base") == 0 and rows(a, "sync_pending") > 0
    assert placed(folder) == []
    assert sync(a, folder).counts() == {"exported": COUNT}
    assert rows(a, "sync_base") == rows(a, "sync_snapshots") == COUNT
    assert rows(a, "sync_pending") == 0
    assert temp_files(folder) == []


def test_killed_between_renames_and_bases_the_next_pass_keeps_the_files(laptops, monkeypatch):
    a, b, folder = laptops
    original = bulk.FreshExport._settle_fresh

    def die_once(self, done, failed):
        monkeypatch.setattr(bulk.FreshExport, "_settle_fresh", original)
        raise _Killed

    monkeypatch.setattr(bulk.FreshExport, "_settle_fresh", die_once)
    with pytest.raises(_Killed):
        sync_folder(a, folder)
    on_disk = len(placed(folder))
    assert 0 < on_disk < COUNT and rows(a, "sync_pending") > 0
    # The pending bases whose files are in place become bases; the rest is exported.
    assert sync(a, folder).counts() == {"exported": COUNT - on_disk}
    assert rows(a, "sync_base") == rows(a, "sync_snapshots") == COUNT
    assert rows(a, "sync_pending") == 0 and temp_files(folder) == []
    # And they are real bases: edits on both laptops merge against them.
    story_id = a.list_rows(limit=1)[0].id
    sync(b, folder)
    edit(a, story_id, body=BODY.replace("Monday", "Monday morning"))
    edit(b, story_id, body=BODY.replace("Tuesday", "Wednesday"))
    sync(a, folder)
    assert sync(b, folder).counts() == {"merged": 1, "exported": 1}
    assert not has_conflict(b.db, story_id)


def test_a_cancelled_first_export_finishes_next_time(laptops):
    a, _b, folder = laptops

    def cancel(done: int, total: int, story_id: str) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_folder(a, folder, progress=cancel)
    before = len(placed(folder))
    assert before < COUNT
    assert sync(a, folder).counts() == {"exported": COUNT - before}
    assert len(placed(folder)) == COUNT
    assert rows(a, "sync_base") == COUNT and rows(a, "sync_pending") == 0
    assert temp_files(folder) == [] and sync(a, folder).counts() == {}


def test_a_flush_that_fails_leaves_nothing_claimed_and_the_next_pass_completes(
    laptops, monkeypatch
):
    a, _b, folder = laptops
    original = bulk.flush_open
    calls: list[int] = []

    def fails_second_time(staged, folders):
        calls.append(len(staged))
        if len(calls) == 2:  # the second chunk's files, and the first chunk's renames
            raise OSError(5, "Input/output error")
        return original(staged, folders)

    monkeypatch.setattr(bulk, "flush_open", fails_second_time)
    report = sync(a, folder)
    # Chunk one was renamed but its renames are not known durable; chunk two was written
    # but not known durable, so never renamed: four stories skipped, none claimed.
    assert report.counts() == {"exported": COUNT - 4, "skipped": 4}
    assert rows(a, "sync_base") == COUNT - 4 and rows(a, "sync_pending") == 0
    assert temp_files(folder) == [] and len(placed(folder)) == 3
    monkeypatch.undo()
    # The files of chunk one are in place with what was written: taken as written.
    assert sync(a, folder).counts() == {"exported": 2}
    assert rows(a, "sync_base") == rows(a, "sync_snapshots") == COUNT
    assert rows(a, "sync_pending") == 0 and len(placed(folder)) == COUNT
    assert sync(a, folder).counts() == {}


def test_a_small_first_export_flushes_file_by_file(laptops, monkeypatch):
    a, _b, folder = laptops
    synced: list[int] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append(1))
    assert sync(a, folder).counts() == {"exported": COUNT}
    assert synced == []  # a few files: their own fsyncs, not a flush of the whole system
