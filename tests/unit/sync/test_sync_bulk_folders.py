"""Files named in an open folder (disk/folder.py OpenFolder, flush_open), as the bulk first export
writes them: the same files and guarantees through a folder descriptor or by path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.disk.atomic import TEMP_PREFIX, FileChangedError
from newsdesk.disk.folder import OpenFolder, flush_open
from newsdesk.store import Store
from newsdesk.sync import bulk
from tests.unit.sync_helpers import new_story, sync


@pytest.fixture(params=[True, False], ids=["by-fd", "by-path"])
def folder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenFolder]:
    opened = OpenFolder(str(tmp_path / "stories" / "2026" / "11"), by_fd=request.param)
    yield opened
    opened.close()


def names(folder: OpenFolder) -> list[str]:
    return sorted(os.listdir(folder.path))


def test_a_temporary_file_is_written_beside_its_file_in_a_folder_made_for_it(folder):
    tmp = folder.write_temp("a.md", b"text of a\n", owner="abc")
    assert tmp.startswith(f"{TEMP_PREFIX}abc-") and tmp.endswith("-a.md")
    assert names(folder) == [tmp]
    assert Path(folder.path, tmp).read_bytes() == b"text of a\n"


def test_a_short_write_is_continued_until_every_byte_is_written(folder, monkeypatch):
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:3])))
    tmp = folder.write_temp("a.md", b"seventeen bytes!\n")
    monkeypatch.undo()
    assert Path(folder.path, tmp).read_bytes() == b"seventeen bytes!\n"


def test_a_write_that_fails_leaves_no_temporary_file(folder, monkeypatch):
    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(OSError, match="No space"):
        folder.write_temp("a.md", b"text\n")
    monkeypatch.undo()
    assert names(folder) == []


def test_a_temporary_file_is_renamed_into_place(folder):
    tmp = folder.write_temp("a.md", b"text of a\n")
    folder.place_new(tmp, "a.md")
    assert names(folder) == ["a.md"]
    assert Path(folder.path, "a.md").read_bytes() == b"text of a\n"


def test_a_file_that_appeared_meanwhile_is_never_clobbered(folder):
    tmp = folder.write_temp("a.md", b"ours\n")
    Path(folder.path, "a.md").write_bytes(b"written by a person\n")
    with pytest.raises(FileChangedError, match=r"a\.md changed on disk"):
        folder.place_new(tmp, "a.md")
    assert names(folder) == ["a.md"]  # and our temporary file is gone
    assert Path(folder.path, "a.md").read_bytes() == b"written by a person\n"


def test_discard_removes_a_file_and_lets_a_missing_one_pass(folder):
    tmp = folder.write_temp("a.md", b"text\n")
    folder.discard(tmp)
    folder.discard(tmp)
    assert names(folder) == []


def test_a_few_files_are_flushed_one_by_one_many_with_one_sync(folder, monkeypatch):
    synced: list[int] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append(1))
    few = [(folder, folder.write_temp(f"{n}.md", b"text\n")) for n in range(3)]
    flush_open(few, {folder})
    assert synced == []
    many = [(folder, folder.write_temp(f"{n}.md", b"text\n")) for n in range(20)]
    flush_open(many, {folder})
    assert synced == [1]


def test_a_flush_of_a_file_that_is_gone_fails(folder):
    with pytest.raises(FileNotFoundError):
        flush_open([(folder, "not-there.md")], set())


def test_close_twice_is_harmless(tmp_path):
    opened = OpenFolder(str(tmp_path / "f"))
    opened.close()
    opened.close()
    assert opened.fd is None


def test_the_first_export_writes_the_same_files_by_path_as_through_open_folders(
    tmp_path, monkeypatch
):
    store = Store.open(tmp_path / "a.db")
    monkeypatch.setattr(bulk, "CHUNK", 2)
    try:
        for n, month in enumerate(["2025-01", "2025-02", "2025-03", "2025-03", "2025-04"]):
            story = new_story(store, f"story-{n}")
            with store.transaction() as db:
                db.execute(
                    "UPDATE stories SET created_at = ? WHERE id = ?",
                    [f"{month}-0{n + 1}T09:00:00+00:00", story.id],
                )
        assert sync(store, tmp_path / "fd").counts() == {"exported": 5}
        monkeypatch.setattr(bulk, "OPEN_FOLDERS", 1)  # one folder open, three by path
        assert sync(store, tmp_path / "path").counts() == {"exported": 5}
    finally:
        store.close()

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in (root / "stories").rglob("*")
            if p.is_file()
        }

    by_fd, by_path = tree(tmp_path / "fd"), tree(tmp_path / "path")
    assert by_fd == by_path
    assert {name.rsplit("/", 1)[0] for name in by_fd if name.endswith(".md")} == {
        "stories/2025/01",
        "stories/2025/02",
        "stories/2025/03",
        "stories/2025/04",
    }
