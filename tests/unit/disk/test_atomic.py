"""disk/: a file written atomically is whole or absent, made with its final permissions,
under a temporary name no other writer shares, and flushed with its folder."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from newsdesk.disk.atomic import (
    TEMP_PREFIX,
    FileChangedError,
    file_hash,
    replace_durably,
    write_atomic,
)
from newsdesk.disk.staged import put_in_place, stage

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def flushes(monkeypatch) -> list[str]:
    """What os.fsync is asked to flush from now on: "dir" or "file" each time."""
    real = os.fsync
    seen: list[str] = []

    def fsync(fd: int) -> None:
        seen.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return seen


@posix_only
def test_a_write_is_whole_owner_only_when_asked_and_flushed_with_its_folder(
    tmp_path, monkeypatch
):
    seen = flushes(monkeypatch)
    target = tmp_path / "deep" / "key.pem"
    write_atomic(target, b"secret", mode=0o600)
    assert target.read_bytes() == b"secret"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert seen == ["file", "dir"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["key.pem"]


def test_a_write_over_an_edit_it_has_not_seen_is_refused(tmp_path):
    target = tmp_path / "story.md"
    target.write_bytes(b"seen")
    write_atomic(target, b"mine", expect_hash=file_hash(b"seen"))
    target.write_bytes(b"edited meanwhile")
    with pytest.raises(FileChangedError):
        write_atomic(target, b"mine again", expect_hash=file_hash(b"mine"))
    assert target.read_bytes() == b"edited meanwhile"
    with pytest.raises(FileChangedError):
        write_atomic(tmp_path / "new.md", b"x", expect_hash=file_hash(b"was there"))
    assert [p.name for p in tmp_path.iterdir()] == ["story.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "profile.json"
    target.write_bytes(b"old")

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["profile.json"]


def test_a_temporary_folder_holds_the_temporary_file(tmp_path):
    tmp_dir = tmp_path / ".newsdesk" / "tmp"
    staged = stage(tmp_path / "site" / "page.html", b"<p>x</p>", None, "page", tmp_dir=tmp_dir)
    assert staged.tmp.parent == tmp_dir and staged.tmp.name.startswith(TEMP_PREFIX)
    done, failed = put_in_place([staged])
    assert [item.tag for item in done] == ["page"] and failed == []
    assert (tmp_path / "site" / "page.html").read_bytes() == b"<p>x</p>"
    assert list(tmp_dir.iterdir()) == []


def test_two_writers_never_share_a_temporary_name(tmp_path):
    names = {stage(tmp_path / "a.md", b"x", None).tmp.name for _ in range(50)}
    assert len(names) == 50


def test_a_file_filled_by_another_tool_is_put_in_place(tmp_path: Path, monkeypatch):
    seen = flushes(monkeypatch)
    tmp = tmp_path / f"{TEMP_PREFIX}copy.db"
    tmp.write_bytes(b"copy")
    replace_durably(tmp, tmp_path / "backup.db")
    assert (tmp_path / "backup.db").read_bytes() == b"copy" and not tmp.exists()
    assert seen[0] == "file" and (seen[-1] == "dir" or sys.platform == "win32")
