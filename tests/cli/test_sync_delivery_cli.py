"""End to end, through `newsdesk sync` in subprocesses (issue 17): a slug clash never
blocks delivery, and the exit code says whether all is well (0), a person is needed (1),
the sync stopped before changing anything (2) or it did not deliver (3)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import Runner

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "init.defaultBranch",
    "GIT_CONFIG_VALUE_0": "main",
}

WIRE = """ date 2026-03-02
News / Metro

Storm closes schools

{first}

{second}

Source: SHINE   Editor: Xu Fang
"""


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True,
                          env={**_base_env(), **GIT_ENV})
    return done.stdout


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}


def laptop(newsdesk: Runner, tmp_path: Path, name: str) -> Runner:
    return Runner(tmp_path / f"{name}.db", {**newsdesk.env, **GIT_ENV})


def import_storms(tmp_path: Path, a: Runner, b: Runner) -> None:
    """A and B each import a different wire story headlined "Storm closes schools"."""
    for runner, name, first in ((a, "a", "Schools in the north shut."),
                                (b, "b", "All schools in Pudong closed.")):
        path = tmp_path / f"wire-{name}.txt"
        path.write_text(WIRE.format(first=first, second="Heavy rain fell."), encoding="utf-8")
        assert runner("import", str(path)).stdout.split()[1] == "storm-closes-schools"


def listing(runner: Runner) -> list[tuple[str, str]]:
    return sorted((row["id"], row["slug"]) for row in runner.json("list", "--json"))


def sync_json(runner: Runner, folder: Path, check: int) -> dict:
    return json.loads(runner("sync", str(folder), "--json", check=check).stdout)


def test_a_slug_clash_never_blocks_a_plain_folder_in_the_order_of_the_issue(newsdesk, tmp_path):
    """Before: after syncs A, B, C, A, B every sync exited 1 with `skipped  not synced:
    slug: 'storm-closes-schools' is already used by ...` and B never got A's story."""
    a, b, c = (laptop(newsdesk, tmp_path, name) for name in "abc")
    import_storms(tmp_path, a, b)
    folder = tmp_path / "shared"
    runners = {"A": a, "B": b, "C": c}
    for name in "ABCAB":
        report = sync_json(runners[name], folder, check=0)
        assert report["outcome"] == "ok" and report["delivered"], report
    assert listing(a) == listing(b) == listing(c)
    slugs = sorted(slug for _id, slug in listing(a))
    assert slugs[0] == "storm-closes-schools" and slugs[1].startswith("storm-closes-schools-")


@needs_git
def test_a_slug_clash_never_blocks_a_git_remote_in_the_order_of_the_issue(newsdesk, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    runners = {}
    for name in "abc":
        git(tmp_path, "clone", "-q", str(remote), str(tmp_path / f"clone-{name}"))
        runners[name.upper()] = laptop(newsdesk, tmp_path, name)
    import_storms(tmp_path, runners["A"], runners["B"])
    for name in "ABCAB":
        report = sync_json(runners[name], tmp_path / f"clone-{name.lower()}", check=0)
        assert report["outcome"] == "ok" and report["delivered"], report
    sync_json(runners["C"], tmp_path / "clone-c", check=0)
    assert listing(runners["A"]) == listing(runners["B"]) == listing(runners["C"])
    assert len(listing(runners["A"])) == 2


@needs_git
def test_sync_exit_codes_say_delivered_needs_a_person_stopped_or_not_delivered(
    newsdesk, tmp_path
):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    one, two = tmp_path / "clone-a", tmp_path / "clone-b"
    for clone in (one, two):
        git(tmp_path, "clone", "-q", str(remote), str(clone))
    a, b = laptop(newsdesk, tmp_path, "a"), laptop(newsdesk, tmp_path, "b")
    import_storms(tmp_path, a, b)
    # 0: all well.
    assert sync_json(a, one, check=0)["outcome"] == "ok"
    assert sync_json(b, two, check=0)["delivered"] is True
    sync_json(a, one, check=0)
    # 1: a conflict needs a person; it was delivered (both versions are kept). Each
    # clone's file of A's story gets a different hand edit of one paragraph.
    for clone, words in ((one, "Schools in the far north shut."),
                         (two, "Schools in the north stay shut.")):
        (path,) = [p for p in (clone / "stories").rglob("*.md")
                   if "Schools in the north shut." in p.read_text(encoding="utf-8")]
        text = path.read_text(encoding="utf-8").replace("Schools in the north shut.", words)
        path.write_text(text, encoding="utf-8")
    sync_json(a, one, check=0)
    report = sync_json(b, two, check=1)
    assert (report["outcome"], report["delivered"], report["needs_person"]) == (
        "needs_person", True, True)
    # 3: the remote cannot be reached; the laptop still committed its side.
    remote.rename(tmp_path / "away.git")
    a("slug", "storm-closes-schools", "storm-shuts-schools")
    report = sync_json(a, one, check=3)
    assert (report["outcome"], report["delivered"]) == ("not_delivered", False)
    plain = a("sync", str(one), check=3)
    assert "cannot reach the remote origin" in plain.stderr
    assert "NOT DELIVERED" in plain.stdout
    (tmp_path / "away.git").rename(remote)
    assert sync_json(a, one, check=0)["delivered"] is True
    # 2: stopped before changing anything (the workspace marker is gone).
    (one / ".newsdesk-workspace").unlink()
    report = sync_json(a, one, check=2)
    assert (report["outcome"], report["delivered"]) == ("stopped", False)
