"""kill -9 the wire ingest midway, then run it again: `newsdesk ingest FILE...` keeps the
same file journal as the watched folder (nothing ingested twice, nothing lost), and the
watched folder survives kills while worker processes read a burst above PARALLEL_FROM
(issue 22)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.desk.wire_journal import PARALLEL_FROM
from newsdesk.wire.watch import candidate
from tests.unit.wire_helpers import ninjs

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

# The `newsdesk` command itself, with small batches and a pause after each commit, so
# that however fast the machine the kill lands midway (the pause is the test's, in its
# own process; the product's code runs unchanged).
INGEST = """
import sys
import time
from newsdesk.desk import wire_journal
from newsdesk.cli.main import main

wire_journal.BATCH = 5
committed = wire_journal.commit

def commit_then_pause(*args):
    done = committed(*args)
    time.sleep(0.05)
    return done

wire_journal.commit = commit_then_pause
sys.exit(main(sys.argv[1:]))
"""

WATCH = """
import sys
from pathlib import Path
from newsdesk.desk import Desk, wire_journal, wire_watch
from newsdesk.store import Store

wire_journal.BATCH = 40
desk = Desk(Store.open(sys.argv[1]), Path(sys.argv[1]), "watcher")

def progress(done, total, name):
    print(done, flush=True)

wire_watch.FolderWatch(desk.wire, sys.argv[2], settle=0.01).run(once=True, progress=progress)
print("finished", flush=True)
"""


def write_feed(folder: Path, count: int) -> dict[str, bytes]:
    """`count` files: items, later versions of some, another feed's copies, bad files."""
    files: dict[str, bytes] = {}
    for n in range(count):
        name, kind = f"{n:04}.json", n % 10
        if kind == 9:
            data = b'{"uri": "urn:bad:%d", "headlines": \xe9' % n
        elif kind == 8:  # the same text as item n - 8, from another feed
            data = json.dumps(ninjs(f"urn:b:{n}", 1, body=f"Story {n - 8} as sent.",
                                    feed="Feed B")).encode()
        elif kind == 7:  # a later version of item n - 7
            data = json.dumps(ninjs(f"urn:a:{n - 7}", 2, body=f"Story {n - 7}, updated.")
                              ).encode()
        else:
            data = json.dumps(ninjs(f"urn:a:{n}", 1, body=f"Story {n} as sent.")).encode()
        files[name] = data
        (folder / name).write_bytes(data)
    return files


def queue_state(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT guid, version, state, duplicate_of FROM wire_items "
                            "ORDER BY guid").fetchall()


def journal(db: Path) -> dict[str, str]:
    """The file journal as another process reads it: each file's name and outcome."""
    if not db.exists():
        return {}
    with sqlite3.connect(db, timeout=10) as conn:
        try:
            return dict(conn.execute("SELECT name, outcome FROM wire_files").fetchall())
        except sqlite3.OperationalError:  # the tables are not made yet
            return {}


def ingest(env: dict[str, str], db: Path, files: list[Path]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", INGEST, "--db", str(db), "ingest", "--json", *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_ingest_files_killed_midway_then_run_again_ingests_each_file_once(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    feed = tmp_path / "feed"
    feed.mkdir()
    files = write_feed(feed, 120)
    paths = sorted(feed.iterdir())
    reference = tmp_path / "reference.db"
    out, _ = ingest(env, reference, paths).communicate(timeout=120)
    assert json.loads(out)["files"] == 108  # 12 bad files rejected

    db = tmp_path / "desk.db"
    proc = ingest(env, db, paths)
    deadline = time.monotonic() + 60
    while len(journal(db)) < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    before = journal(db)
    assert 20 <= len(before) < len(files), "the kill did not land midway"

    again = ingest(env, db, paths)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 1, err  # the bad files are rejected, again
    report = json.loads(out)
    # What the killed run committed is met again, not ingested again; the rest goes in.
    assert sorted(report["met_again"]) == sorted(str(feed / name) for name in before)
    assert report["files"] == 108 - sum(outcome == "done" for outcome in before.values())
    assert report["already_queued"] == 0
    assert len(report["rejected"]) == 12  # a bad file says why every time it is given
    assert queue_state(db) == queue_state(reference)
    assert sorted(journal(db)) == sorted(str(feed / name) for name in files)
    assert {p.name: p.read_bytes() for p in feed.iterdir()} == files  # left where they were


def children(pid: int) -> set[int]:
    """The processes `pid` started (its worker processes), from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(n) for n in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def watch_pass(db: Path, folder: Path, kill_after: int | None) -> set[int]:
    """One watcher pass; SIGKILLed after `kill_after` files read. The worker processes it
    had when it was killed."""
    proc = subprocess.Popen([sys.executable, "-c", WATCH, str(db), str(folder)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    workers: set[int] = set()
    for seen, line in enumerate(proc.stdout, 1):
        workers |= children(proc.pid)
        if kill_after is not None and seen >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
        assert line.strip() != "finished" or kill_after is None
    proc.wait(timeout=120)
    return workers


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="worker processes need two cores")
@pytest.mark.slow  # a few passes over a burst big enough for worker processes (~20 s, 2 cores)
def test_a_kill_loop_over_a_burst_read_by_worker_processes(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    count = PARALLEL_FROM + 160  # still above the threshold after the killed passes
    files = write_feed(folder, count)
    rng = random.Random(5)
    orphans: set[int] = set()
    for _ in range(3):
        assert len([n for n in os.listdir(folder) if candidate(n)]) >= PARALLEL_FROM
        workers = watch_pass(tmp_path / "desk.db", folder, rng.randint(20, 50))
        assert workers, "the pass read without worker processes"
        orphans |= workers
    watch_pass(tmp_path / "desk.db", folder, None)

    # The workers of a killed pass do not outlive it for long (they would parse on).
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in orphans) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in orphans if alive(pid)] == []
    assert [n for n in os.listdir(folder) if candidate(n)] == []
    done = {p.name: p.read_bytes() for p in (folder / ".done").iterdir()}
    rejected = {p.name: p.read_bytes() for p in (folder / ".rejected").iterdir()
                if p.suffix != ".reason"}
    assert not set(done) & set(rejected)
    assert {**done, **rejected} == files
    reference = tmp_path / "reference"
    reference.mkdir()
    write_feed(reference, count)
    watch_pass(tmp_path / "reference.db", reference, None)
    assert queue_state(tmp_path / "desk.db") == queue_state(tmp_path / "reference.db")
    assert sorted(journal(tmp_path / "desk.db")) == sorted(files)
