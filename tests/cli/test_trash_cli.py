"""End to end: `newsdesk trash` lists the trash, `newsdesk purge` deletes stories in it for
good (asking first), and a sync never brings a purged story back from the folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.formats.markdown import loads
from tests.cli.conftest import Runner, newsdesk_executable


def trashed(db: Path, *headlines: str, keep: str = "") -> dict[str, object]:
    """Stories made and moved to the trash in this order (the window's Delete), and one
    left live; by headline."""
    with Desk.open(db) as desk:
        made = {h: desk.create(headline=h, body=f"{h}. The text.") for h in headlines}
        for story in made.values():
            desk.delete(story.id)
        if keep:
            made[keep] = desk.create(headline=keep, body="Still live.")
    return made


def rows_of(db: Path, story_id: str) -> dict[str, int]:
    """How many rows each table holds of a story, read by a connection of the test's own."""
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?",
                                [story_id]).fetchone()[0]
            for table, column in (("stories", "id"), ("revisions", "story_id"),
                                  ("history", "story_id"), ("purged", "id"))
        }


def test_trash_lists_deleted_stories_newest_first(newsdesk: Runner):
    assert newsdesk("trash").stdout == ""
    assert "the trash is empty" in newsdesk("trash").stderr
    assert newsdesk.json("trash", "--json") == []
    made = trashed(newsdesk.db, "Bridge closes", "Ferry late", keep="Budget passes")
    listed = newsdesk.json("trash", "--json")
    assert [row["slug"] for row in listed] == ["ferry-late", "bridge-closes"]
    assert listed[0]["id"] == made["Ferry late"].id and listed[0]["deleted_at"]
    lines = newsdesk("trash").stdout.splitlines()
    assert len(lines) == 2 and made["Ferry late"].id[:8] in lines[0] and "Ferry late" in lines[0]


def test_purge_deletes_for_good_and_nothing_else(newsdesk: Runner):
    made = trashed(newsdesk.db, "Bridge closes", "Ferry late", keep="Budget passes")
    gone, other = made["Bridge closes"], made["Ferry late"]
    done = newsdesk("purge", gone.id[:8], "--yes")
    assert done.stdout == f"purged {gone.id}  bridge-closes\n"
    assert rows_of(newsdesk.db, gone.id) == {"stories": 0, "revisions": 0, "history": 0,
                                             "purged": 1}
    assert [row["id"] for row in newsdesk.json("trash", "--json")] == [other.id]
    assert "no story" in newsdesk("show", gone.id, check=2).stderr
    assert newsdesk.json("show", made["Budget passes"].id, "--json")["headline"]


@pytest.mark.parametrize(
    ("refs", "message"),
    [
        (["budget-passes"], "budget-passes is not in the trash (delete it first); nothing was "
                            "purged"),
        (["bridge-closes", "no-such-story"], "no story 'no-such-story' in the trash; nothing "
                                             "was purged"),
    ],
)
def test_purge_refuses_a_live_or_unknown_story_and_purges_none(newsdesk: Runner, refs, message):
    made = trashed(newsdesk.db, "Bridge closes", keep="Budget passes")
    refused = newsdesk("purge", *refs, "--yes", check=2)
    assert refused.stderr == f"newsdesk: {message}\n" and refused.stdout == ""
    assert rows_of(newsdesk.db, made["Bridge closes"].id)["stories"] == 1
    assert rows_of(newsdesk.db, made["Budget passes"].id)["stories"] == 1


def test_purge_asks_at_a_terminal_and_a_script_must_say_yes(newsdesk: Runner):
    made = trashed(newsdesk.db, "Bridge closes")
    story = made["Bridge closes"]
    script = newsdesk("purge", story.slug, check=2)  # stdin is a pipe here
    assert "give --yes" in script.stderr and rows_of(newsdesk.db, story.id)["stories"] == 1
    if sys.platform == "win32":
        return
    refused = at_a_terminal(newsdesk, ["purge", story.slug], answer=b"n\n")
    assert refused.returncode == 1 and "Delete 1 story for good?" in refused.stderr
    assert "nothing was purged" in refused.stderr and refused.stdout == ""
    assert rows_of(newsdesk.db, story.id)["stories"] == 1
    agreed = at_a_terminal(newsdesk, ["purge", story.slug], answer=b"y\n")
    assert agreed.returncode == 0 and agreed.stdout == f"purged {story.id}  bridge-closes\n"
    assert rows_of(newsdesk.db, story.id)["stories"] == 0


def at_a_terminal(newsdesk: Runner, args: list[str], answer: bytes) -> subprocess.CompletedProcess:
    """Run `newsdesk` with a terminal for stdin, the person answering `answer`."""
    main, terminal = os.openpty()
    try:
        os.write(main, answer)
        return subprocess.run(
            [*newsdesk_executable(), "--db", str(newsdesk.db), *args], stdin=terminal,
            capture_output=True, text=True, timeout=120, env=newsdesk.env,
        )
    finally:
        os.close(terminal)
        os.close(main)


def sync(runner: Runner, db: Path, folder: Path) -> subprocess.CompletedProcess:
    return Runner(db, runner.env)("sync", str(folder), "--json", check=None)


def test_a_story_purged_here_is_not_brought_back_by_the_folder(newsdesk: Runner, tmp_path):
    """Sync's purge handling, reached by a person's purge: laptop B had the story from the
    folder and purges it; its next sync writes a tombstone, and laptop A's copy goes to
    the trash, never the other way round."""
    a, b, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "shared"
    with Desk.open(a) as desk:
        story = desk.create(headline="Bridge closes", body="Engineers found cracks.")
    assert sync(newsdesk, a, folder).returncode == 0
    assert sync(newsdesk, b, folder).returncode == 0
    with Desk.open(b) as desk:
        desk.delete(story.id)
    Runner(b, newsdesk.env)("purge", story.slug, "--yes")
    assert sync(newsdesk, b, folder).returncode == 0
    [file] = (folder / "stories").rglob("*.md")
    assert loads(file.read_text(encoding="utf-8")).extra == {"deleted": True}
    assert rows_of(b, story.id)["stories"] == 0
    assert sync(newsdesk, a, folder).returncode == 0
    assert Runner(a, newsdesk.env).json("trash", "--json")[0]["id"] == story.id
    assert sync(newsdesk, b, folder).returncode == 0
    assert rows_of(b, story.id) == {"stories": 0, "revisions": 0, "history": 0, "purged": 1}


def test_a_story_purged_before_this_laptop_ever_synced_it_stays_purged(newsdesk, tmp_path):
    """Laptop B imported A's file by hand, then purged the story: the folder's live file
    (which B never shared) is left as it is, said in the report, and not taken."""
    a, b, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "shared"
    with Desk.open(a) as desk:
        story = desk.create(headline="Ferry late", body="The morning boat is late.")
    assert sync(newsdesk, a, folder).returncode == 0
    [file] = (folder / "stories").rglob("*.md")
    laptop_b = Runner(b, newsdesk.env)
    laptop_b("import", str(file))
    with Desk.open(b) as desk:
        desk.delete(story.id)
    laptop_b("purge", story.id, "--yes")
    for _ in range(2):
        report = sync(newsdesk, b, folder)
        assert report.returncode == 0, report.stdout + report.stderr
        assert "a story purged here; left untouched" in report.stdout
        assert rows_of(b, story.id)["stories"] == 0
    assert loads(file.read_text(encoding="utf-8")).extra == {}
    assert laptop_b.json("list", "--json") == [] and laptop_b.json("trash", "--json") == []
