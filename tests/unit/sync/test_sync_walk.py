"""The tree walk and the temporary-file writer under the sync: same answers by every route."""

from __future__ import annotations

import gc
import hashlib
import os
import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.disk.atomic import TEMP_PREFIX
from newsdesk.domain.model import Story
from newsdesk.sync import layout
from newsdesk.sync.layout import listing_digest, story_relpath, walk_tree


def make_tree(root: Path) -> None:
    for folder, names in {
        "stories/2024/03": ["2024-03-05-a-11111111.md", "2024-03-05-b-22222222.md"],
        "stories/2024/04": ["2024-04-01-c-33333333.md", "notes.txt", ".hidden.md"],
    }.items():
        (root / folder).mkdir(parents=True)
        for name in names:
            (root / folder / name).write_text(f"{name}\n", encoding="utf-8")
    (root / "stories/2024/04/folder.md").mkdir()  # a folder named like a story file
    (root / "stories/2024/04" / f"{TEMP_PREFIX}x-1-c.md").write_text("half")


def summary(walk: layout.Walk) -> tuple[object, ...]:
    opened = {
        group: ([name for name, _st in listing.files], listing.digest)
        for group, listing in walk.opened.items()
    }
    return opened, walk.folders, walk.settled, walk.settled_folders


def test_listing_digest_keeps_its_recorded_form(tmp_path):
    # Digests recorded by earlier versions must still match: names, then packed stats.
    for name in ("one.md", "two.md"):
        (tmp_path / name).write_text(name)
    files = [(name, os.stat(tmp_path / name)) for name in ("one.md", "two.md")]
    expected = hashlib.sha256(b"one.md\0two.md")
    for _name, st in files:
        expected.update(struct.pack("<qqQ", st.st_size, st.st_mtime_ns, st.st_ino))
    assert listing_digest(files) == expected.hexdigest()


def test_walk_through_open_folders_and_by_path_agree(tmp_path, monkeypatch):
    make_tree(tmp_path)
    temps: list[Path] = []
    by_fd = walk_tree(tmp_path, {}, temps)
    monkeypatch.setattr(layout, "_BY_FD", False)
    temps_by_path: list[Path] = []
    by_path = walk_tree(tmp_path, {}, temps_by_path)
    assert summary(by_fd) == summary(by_path)
    assert temps == temps_by_path == [
        tmp_path / "stories/2024/04" / f"{TEMP_PREFIX}x-1-c.md"
    ]
    names = sorted(name for listing in by_fd.opened.values() for name, _st in listing.files)
    assert names == [
        "2024-03-05-a-11111111.md", "2024-03-05-b-22222222.md", "2024-04-01-c-33333333.md"
    ]
    # Recorded digests: nothing opened; a file edited in place opens its group again.
    recorded: dict[str, str | None] = dict(by_fd.folders)
    assert summary(walk_tree(tmp_path, recorded))[0] == {}
    path = tmp_path / "stories/2024/03/2024-03-05-b-22222222.md"
    path.write_text("changed, same folder listing\n", encoding="utf-8")
    assert list(walk_tree(tmp_path, recorded).opened) == ["stories/2024/03/2024-03-05-"]


def test_a_file_gone_between_listing_and_stat_is_left_out(tmp_path):
    class Entry:
        def __init__(self, name: str, gone: bool = False) -> None:
            self.name, self.gone = name, gone

        def stat(self, follow_symlinks: bool = True) -> os.stat_result:
            if self.gone:
                raise FileNotFoundError(2, "No such file", self.name)
            return os.stat(tmp_path)

    entries = [Entry("a.md"), Entry("b.md", gone=True), Entry("c.txt"), Entry(".d.md")]
    found = layout._candidates(entries)  # type: ignore[arg-type]
    assert [name for name, _st in found] == ["a.md"]
    others = layout._other_entries(entries, len(found))  # type: ignore[arg-type]
    assert others == entries[2:]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_walk_leaves_garbage_collection_as_it_found_it(tmp_path, enabled):
    make_tree(tmp_path)
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        walk_tree(tmp_path, {})
        assert gc.isenabled() is enabled
        (tmp_path / "stories/2024/03").chmod(0)
        if os.access(tmp_path / "stories/2024/03", os.R_OK):
            return  # running as root: the folder stays readable
        with pytest.raises(layout.WorkspaceError):
            walk_tree(tmp_path, {})
        assert gc.isenabled() is enabled
    finally:
        (tmp_path / "stories/2024/03").chmod(0o755)
        if was:
            gc.enable()


@pytest.mark.parametrize(
    ("created", "folder"),
    [(datetime(2024, 3, 5, 7, 45, tzinfo=UTC), "2024/03"),
     (datetime(999, 12, 31, tzinfo=UTC), f"{datetime(999, 12, 31):%Y}/12")],
)
def test_story_file_names_keep_their_form(created, folder):
    story_id = "3f2b8c1e-9d4a-4c55-8e0f-2a6b7c8d9e10"
    story = Story(id=story_id, slug="ferry-strike", created_at=created)
    day = created.date().isoformat()
    assert story_relpath(story) == f"stories/{folder}/{day}-ferry-strike-3f2b8c1e.md"
    taken = {story_relpath(story)}
    assert story_relpath(story, taken) == f"stories/{folder}/{day}-ferry-strike-3f2b8c1e9d4a.md"
