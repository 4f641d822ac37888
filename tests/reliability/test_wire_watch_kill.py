"""kill -9 the watched-folder ingest at random points, then a clean pass: every file ends in
.done or .rejected exactly once and the queue holds each item once (issue 22)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.store import Store
from newsdesk.wire.watch import candidate
from tests.unit.wire_helpers import ninjs

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

CHILD = """
import sys
from pathlib import Path
from newsdesk.desk import Desk, wire_journal, wire_watch
from newsdesk.store import Store

# Small batches, so that kills land between batches, inside one and between its moves.
wire_journal.BATCH = 5
desk = Desk(Store.open(sys.argv[1]), Path(sys.argv[1]), "watcher")

def progress(done, total, name):
    print(done, flush=True)

wire_watch.FolderWatch(desk.wire, sys.argv[2], settle=0.01).run(
    once=True, progress=progress)
print("finished", flush=True)
"""


def feed(folder: Path) -> dict[str, bytes]:
    """60 files: new items, later versions, another feed's copies, and bad files."""
    files: dict[str, bytes] = {}
    for n in range(40):
        files[f"item-{n:02}-v1.json"] = json.dumps(
            ninjs(f"urn:a:{n}", 1, body=f"Story {n} as first sent.")).encode()
    for n in range(0, 40, 4):
        files[f"item-{n:02}-v2.json"] = json.dumps(
            ninjs(f"urn:a:{n}", 2, body=f"Story {n}, updated.")).encode()
    for n in range(1, 40, 8):
        files[f"other-{n:02}.json"] = json.dumps(
            ninjs(f"urn:b:{n}", 1, body=f"Story {n} as first sent.", feed="Feed B")).encode()
    for n in range(5):
        files[f"bad-{n}.json"] = b'{"uri": "urn:bad", "headlines": ' + bytes([0xE9 + n])
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def run_child(db: Path, folder: Path, rng: random.Random | None) -> bool:
    """One watcher pass; with `rng`, SIGKILLed after a random number of files. True if it
    finished on its own."""
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(folder)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    # Killed early enough that files are left for the runs after it, however fast the
    # machine (a kill late in a run could leave nothing for the next one to be killed in).
    remaining = len([name for name in os.listdir(folder) if candidate(name)])
    after = rng.randint(0, max(0, min(10, remaining - 3))) if rng else -1
    finished = False
    for seen, line in enumerate(proc.stdout, 1):
        if line.strip() == "finished":
            finished = True
        if rng and seen > after:
            time.sleep(rng.random() * 0.02)  # into a commit or the moves after it
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    return finished


def queue_state(db: Path) -> list[tuple]:
    with Store.open(db) as store:
        return store.db.execute(
            "SELECT guid, version, state, duplicate_of FROM wire_items ORDER BY guid").fetchall()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_kill_at_any_point_loses_and_duplicates_nothing(tmp_path, seed):
    folder, reference = tmp_path / "drop", tmp_path / "reference"
    folder.mkdir()
    reference.mkdir()
    files = feed(folder)
    feed(reference)
    run_child(tmp_path / "reference.db", reference, None)

    rng = random.Random(seed)
    kills = 0
    for _ in range(6):
        if len([name for name in os.listdir(folder) if candidate(name)]) < 3:
            break
        if run_child(tmp_path / "desk.db", folder, rng):
            break
        kills += 1
    assert kills >= 2  # the loop did kill it mid-ingest
    run_child(tmp_path / "desk.db", folder, None)

    assert [name for name in os.listdir(folder) if candidate(name)] == []
    done = {p.name: p.read_bytes() for p in (folder / ".done").iterdir()}
    rejected = {p.name: p.read_bytes() for p in (folder / ".rejected").iterdir()
                if p.suffix != ".reason"}
    reasons = {p.name for p in (folder / ".rejected").iterdir() if p.suffix == ".reason"}
    assert not set(done) & set(rejected)
    assert {**done, **rejected} == files  # each file once, as it came
    assert set(rejected) == {name for name in files if name.startswith("bad-")}
    assert reasons == {f"{name}.reason" for name in rejected}
    assert queue_state(tmp_path / "desk.db") == queue_state(tmp_path / "reference.db")
    with Store.open(tmp_path / "desk.db") as store:
        journal = store.db.execute("SELECT count(*), count(DISTINCT name) FROM wire_files"
                                   ).fetchone()
    assert journal == (len(files), len(files))
