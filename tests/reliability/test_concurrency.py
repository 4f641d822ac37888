"""Two processes on one database file (two windows, or a window and the CLI).

No `database is locked` reaches a person (the store waits for the lock: busy_timeout
and BEGIN IMMEDIATE), no save is lost, and a save over a revision someone else saved
in the meantime gets StaleRevision (the conflict path), never a silent overwrite.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.store import StaleRevision, StoreError
from tests.reliability.test_crash_store import check_database, check_stories

SAVES = 120

# One writer: its own stories, plus lines added to one shared story. A stale save of the
# shared story reloads and applies the same edit again, as the window's conflict path
# lets a person do; every line it reports must be in the story at the end.
WRITER = """
import sys
from newsdesk.desk import Desk
from newsdesk.store import StaleRevision

db, name, shared_id, saves = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
desk = Desk.open(db)
mine = desk.create(headline=f"Own story of {name}", body="Start.")
stale = 0
for n in range(saves):
    mine = desk.save(mine.replace(body=mine.body + f"\\n\\n{name} line {n}."), mine.revision)
    print("ack", mine.id, mine.revision, flush=True)
    if n % 3 == 0:
        while True:
            shared = desk.get(shared_id)
            try:
                desk.save(
                    shared.replace(body=shared.body + f"\\n\\n{name} shared {n}."),
                    shared.revision,
                )
            except StaleRevision:
                stale += 1
                continue
            print("shared", n, flush=True)
            break
print("stale", stale, flush=True)
"""


def _writer(db: Path, name: str, shared_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, shared_id, str(SAVES)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path):
    db = tmp_path / "desk.db"
    with Desk.open(db) as desk:
        shared = desk.create(headline="Shared story", body="Shared start.")
    writers = {name: _writer(db, name, shared.id) for name in ("window", "cli")}
    outputs = {name: proc.communicate(timeout=120) for name, proc in writers.items()}
    for name, (_out, err) in outputs.items():
        assert writers[name].returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
    check_database(db)
    with Desk.open(db) as desk:
        check_stories(desk.store)
        body = desk.get(shared.id).body
        for name, (out, _err) in outputs.items():
            lines = out.splitlines()
            acks = [line.split() for line in lines if line.startswith("ack ")]
            assert len(acks) == SAVES
            story_id = acks[-1][1]
            assert desk.get(story_id).revision == int(acks[-1][2])
            assert desk.get(story_id).body.count(f"{name} line") == SAVES
            shared_lines = [line.split()[1] for line in lines if line.startswith("shared ")]
            for n in shared_lines:
                assert f"{name} shared {n}." in body
        expected_revisions = 1 + sum(
            sum(line.startswith("shared ") for line in out.splitlines())
            for out, _err in outputs.values()
        )
        assert desk.get(shared.id).revision == expected_revisions
    stale = sum(int(out.split("stale ")[1]) for out, _ in outputs.values())
    print(f"\nconcurrency: {2 * SAVES} own saves, {expected_revisions - 1} shared saves, "
          f"{stale} stale saves sent down the conflict path")


def test_stale_save_from_another_process_gets_the_conflict_path(tmp_path: Path):
    db = tmp_path / "desk.db"
    with Desk.open(db) as desk:
        story = desk.create(headline="Council vote", body="First draft.")
        seen = desk.get(story.id)  # this window shows revision 1
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys\nfrom newsdesk.desk import Desk\nd = Desk.open(sys.argv[1])\n"
                "s = d.get(sys.argv[2])\nd.save(s.replace(body='Edited elsewhere.'), s.revision)",
                str(db),
                story.id,
            ],
            check=True,
            timeout=60,
        )
        with pytest.raises(StaleRevision) as caught:
            desk.save(seen.replace(body="My unseen-edit overwrite."), seen.revision)
        assert caught.value.current.revision == 2
        assert caught.value.current.body == "Edited elsewhere."
        assert desk.get(story.id).body == "Edited elsewhere."
        assert [r.revision for r in desk.revisions(story.id)] == [1, 2]


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE meta SET value = value WHERE key = 'change_seq'")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_save_waits_for_another_writer_instead_of_failing(tmp_path: Path):
    db = tmp_path / "desk.db"
    with Desk.open(db) as desk:
        story = desk.create(headline="Harbour ferry", body="Before.")
        holder = _hold_write_lock(db, 1.0)
        # Reading while the other process writes never waits or fails (WAL).
        assert desk.count() == 1 and desk.search("harbour")
        saved = desk.save(story.replace(body="After."), story.revision)
        assert holder.wait(timeout=30) == 0
        assert saved.revision == 2 and desk.get(story.id).body == "After."


def test_a_lock_held_too_long_is_a_clear_message_and_changes_nothing(tmp_path: Path):
    db = tmp_path / "desk.db"
    with Desk.open(db) as desk:
        story = desk.create(headline="Harbour ferry", body="Before.")
        # The real wait is 5 s; shorter here so that the test does not idle.
        desk.store.db.conn.execute("PRAGMA busy_timeout = 200")
        holder = _hold_write_lock(db, 3.0)
        try:
            with pytest.raises(StoreError) as caught:
                desk.save(story.replace(body="After."), story.revision)
        finally:
            holder.wait(timeout=30)
        assert isinstance(caught.value, NewsdeskError)
        assert not isinstance(caught.value.__cause__, sqlite3.Error) or "busy" in str(caught.value)
        assert "nothing was changed" in str(caught.value)
        assert desk.get(story.id).body == "Before."
        assert desk.save(story.replace(body="After."), story.revision).revision == 2
