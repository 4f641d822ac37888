"""Git transport with the real git: two clones of one local bare repository, two laptops."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.formats.markdown import loads
from newsdesk.model import utcnow
from newsdesk.store import Store
from newsdesk.sync import has_conflict, list_conflicts, resolve_conflict, sync
from newsdesk.sync.engine import sync_folder
from newsdesk.sync.slugs import next_slug
from tests.unit.sync_helpers import BODY, edit, new_story, story_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def git_env(monkeypatch):
    for key, value in {
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.invalid",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.invalid",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "init.defaultBranch",
        "GIT_CONFIG_VALUE_0": "main",
    }.items():
        monkeypatch.setenv(key, value)


def laptops_on_a_remote(tmp_path: Path, names: str) -> list[tuple[Store, Path]]:
    """A bare remote and, per name, a database and a clone of it."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    laptops = []
    for name in names:
        clone = tmp_path / f"clone-{name}"
        git(tmp_path, "clone", "-q", str(remote), str(clone))
        laptops.append((Store.open(tmp_path / f"{name}.db"), clone))
    return laptops


@pytest.fixture
def clones(tmp_path: Path, git_env):
    (a, one), (b, two) = laptops_on_a_remote(tmp_path, "ab")
    yield a, one, b, two
    a.close()
    b.close()


def run(store: Store, folder: Path):
    report = sync(store, folder, actor="tester")
    assert not report.stopped, report.stopped
    assert not report.of("error"), report.of("error")
    # Never conflict markers in a story file, never a dirty tree after a sync.
    for path in story_files(folder):
        assert "<<<<<<<" not in path.read_text(encoding="utf-8")
    assert git(folder, "status", "--porcelain") == ""
    return report


def shared(a, one, b, two):
    story = new_story(a)
    run(a, one)
    report = run(b, two)
    assert report.of("imported")
    return story


def test_story_travels_through_the_remote(clones):
    a, one, b, two = clones
    story = shared(a, one, b, two)
    assert b.get(story.id).headline == story.headline
    assert "Newsdesk sync" in git(one, "log", "--format=%s", "-1")
    edit(b, story.id, headline="Edited on the second laptop")
    run(b, two)
    run(a, one)
    assert a.get(story.id).headline == "Edited on the second laptop"


def test_edits_in_different_paragraphs_merge_through_git(clones):
    a, one, b, two = clones
    story = shared(a, one, b, two)
    edit(a, story.id, body=BODY.replace("Monday", "Monday morning"))
    edit(b, story.id, body=BODY.replace("Tuesday", "Wednesday"), tags=("transport", "buses"))
    run(a, one)
    run(b, two)  # git reports a conflict in the front matter; Newsdesk merges it
    run(a, one)
    expected = BODY.replace("Monday", "Monday morning").replace("Tuesday", "Wednesday")
    for store in (a, b):
        assert store.get(story.id).body == expected
        assert set(store.get(story.id).tags) == {"transport", "buses"}
        assert not has_conflict(store.db, story.id)


def test_same_paragraph_through_git_becomes_a_newsdesk_conflict(clones):
    a, one, b, two = clones
    story = shared(a, one, b, two)
    a_body = BODY.replace("eight weeks", "nine weeks")
    b_body = BODY.replace("eight weeks", "two months")
    edit(a, story.id, body=a_body)
    edit(b, story.id, body=b_body)
    run(a, one)
    report = run(b, two)
    assert report.of("conflict")
    assert b.get(story.id).body == b_body  # B's text stays in B's database
    (conflict,) = list_conflicts(b.db)
    assert conflict.remote.body == a_body and conflict.base.body == BODY
    assert conflict.origin == "git"
    # The file B pushed holds A's version: A sees no change and loses nothing.
    run(a, one)
    assert a.get(story.id).body == a_body
    chosen = b.get(story.id).replace(body=BODY.replace("eight weeks", "nine weeks (two months)"))
    resolve_conflict(b, story.id, chosen, actor="Chief")
    run(b, two)
    run(a, one)
    assert a.get(story.id).body == chosen.body
    (path,) = story_files(one)
    assert loads(path.read_text(encoding="utf-8")).body == chosen.body


def test_folder_that_is_a_clone_without_remote_syncs_locally(tmp_path: Path):
    folder = tmp_path / "plain"
    folder.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    store = Store.open(tmp_path / "db.db")
    new_story(store)
    report = sync(store, folder)
    assert report.counts() == {"exported": 1}
    store.close()


def test_a_folder_inside_someone_elses_clone_is_a_plain_folder(clones):
    a, one, _b, _two = clones
    git(one, "commit", "-q", "--allow-empty", "-m", "the project's own history")
    folder = one / "notes" / "newsdesk"  # inside a clone that has a remote, not its top
    folder.mkdir(parents=True)
    new_story(a)
    report = sync(a, folder, actor="tester")
    assert report.counts() == {"exported": 1}
    assert git(one, "log", "--oneline").count("\n") == 1  # nothing committed to it
    assert git(one, "status", "--porcelain").strip() == "?? notes/"


def test_hand_edit_in_a_clone_meets_a_remote_edit(clones):
    a, one, b, two = clones
    story = shared(a, one, b, two)
    edit(a, story.id, body=BODY.replace("northern span", "southern span"))
    run(a, one)
    (path,) = story_files(two)
    hand = path.read_text(encoding="utf-8").replace("northern span", "northern side")
    path.write_text(hand, encoding="utf-8")
    report = run(b, two)
    assert report.of("conflict")
    # The hand edit is in B's database, A's edit in the conflict: both kept.
    assert "northern side" in b.get(story.id).body
    (conflict,) = list_conflicts(b.db)
    assert "southern span" in conflict.remote.body


def test_two_laptops_that_started_apart_become_one_workspace(clones):
    a, one, b, two = clones
    first = new_story(a, "from-a")
    second = new_story(b, "from-b")
    # B made its own workspace and committed it before ever reaching the remote.
    sync_folder(b, two)
    git(two, "add", "-A")
    git(two, "commit", "-q", "-m", "offline start")
    run(a, one)
    report = run(b, two)
    assert report.of("git")
    run(a, one)
    for store in (a, b):
        assert {r.id for r in store.list_rows()} == {first.id, second.id}


def test_a_merge_left_open_by_a_crash_is_settled_without_markers(clones):
    a, one, b, two = clones
    story = shared(a, one, b, two)
    edit(a, story.id, body=BODY.replace("eight weeks", "nine weeks"))
    run(a, one)
    edit(b, story.id, body=BODY.replace("eight weeks", "two months"))
    sync_folder(b, two)
    git(two, "commit", "-q", "-am", "before the crash")
    git(two, "fetch", "-q")
    # The merge stops with conflict markers in the story file, as if sync died here.
    subprocess.run(["git", "merge", "origin/main"], cwd=two, capture_output=True, check=False)
    (path,) = story_files(two)
    assert "<<<<<<<" in path.read_text(encoding="utf-8")
    report = run(b, two)
    assert report.of("conflict")
    assert "two months" in b.get(story.id).body
    (conflict,) = list_conflicts(b.db)
    assert "nine weeks" in conflict.remote.body


@pytest.mark.parametrize("older", ["A", "B"])
def test_a_slug_clash_settles_alike_through_git_in_the_order_of_the_issue(
    tmp_path: Path, git_env, older
):
    """Issue 17 through a bare remote: A and B each have a story "Storm closes schools";
    syncs A, B, C, A, B. Each sync delivers, and all three clones and databases end with
    both stories, the older under the slug, the younger under its own suffix."""
    laptops = dict(zip("ABC", laptops_on_a_remote(tmp_path, "ABC"), strict=True))
    now = utcnow()
    ids = {}
    for name, minutes in (("A", 0 if older == "A" else 5), ("B", 0 if older == "B" else 5)):
        store = laptops[name][0]
        created = now + timedelta(minutes=minutes)
        ids[name] = new_story(store, "storm-closes-schools", headline="Storm closes schools",
                              created_at=created).id
    for name in "ABCAB":
        report = run(*laptops[name])
        assert report.ok, report.attention
    first, second = (ids["A"], ids["B"]) if older == "A" else (ids["B"], ids["A"])
    expected = {first: "storm-closes-schools", second: next_slug("storm-closes-schools", second)}
    run(*laptops["C"])
    for store, clone in laptops.values():
        assert {r.id: r.slug for r in store.list_rows()} == expected
        files = [loads(p.read_text(encoding="utf-8")) for p in story_files(clone)]
        assert {story.id: story.slug for story in files} == expected
    for store, _clone in laptops.values():
        store.close()
