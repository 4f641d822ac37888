"""Attacks on the workflow through the git remote (issue 16, item 1): whoever can push to
the remote can change any story file, and a status still needs a signed action."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.security.workflow_laptops import (
    SLUG,
    Laptop,
    edit_file,
    exported_ids,
    story_file,
    write_story,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def remote(tmp_path: Path, monkeypatch) -> Path:
    for key, value in {
        "GIT_AUTHOR_NAME": "Someone", "GIT_AUTHOR_EMAIL": "someone@example.invalid",
        "GIT_COMMITTER_NAME": "Someone", "GIT_COMMITTER_EMAIL": "someone@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "init.defaultBranch", "GIT_CONFIG_VALUE_0": "main",
    }.items():
        monkeypatch.setenv(key, value)
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    return bare


def clone(remote: Path, where: Path) -> Path:
    git(where.parent, "clone", "-q", str(remote), str(where))
    return where


def test_a_push_that_brings_a_killed_story_back_is_refused(tmp_path: Path, remote: Path) -> None:
    sam = Laptop(tmp_path, "Sam Reporter", "editor")
    ann = Laptop(tmp_path, "Chief Ann", "desk_chief")
    sam_clone, ann_clone = clone(remote, tmp_path / "sam"), clone(remote, tmp_path / "ann")
    write_story(sam, tmp_path)
    sam("submit", SLUG)
    sam("sync", str(sam_clone))
    ann("sync", str(ann_clone))
    ann("approve", SLUG)
    out = tmp_path / "out"
    ann("export", "--format", "ninjs", "--out", str(out))
    ann("spike", SLUG, "--note", "legal: kill this story")
    ann("export", "--format", "ninjs", "--out", str(out))
    ann("sync", str(ann_clone))

    # The attack, with git alone: a clone of the remote, one line changed, pushed.
    attacker = clone(remote, tmp_path / "attacker")
    edit_file(story_file(attacker), status="published", modified_by="Chief Ann")
    git(attacker, "commit", "-q", "-am", "Newsdesk sync by Chief Ann")
    git(attacker, "push", "-q")

    synced = ann("sync", str(ann_clone), code=1)
    assert f"{SLUG}: status spiked -> published not applied" in synced.stderr
    assert ann.status() == "spiked"
    ann("export", "--format", "ninjs", "--out", str(out))
    assert exported_ids(out) == []
    assert "rejected" not in ann("sync", str(ann_clone)).stderr  # reported once
