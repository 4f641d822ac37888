"""kill -9 in the middle of a sync, then a clean re-run: nothing lost, nothing half-done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.domain.model import Story
from newsdesk.formats.markdown import loads
from newsdesk.store import Store
from newsdesk.sync import has_conflict
from newsdesk.sync.engine import sync_folder

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")

COUNT = 48
BODY = "Opening paragraph.\n\nMiddle paragraph.\n\nClosing paragraph.\n"

CHILD = """
import sys
from newsdesk.store import Store
from newsdesk.sync import bulk, engine

# Small batches, so that a kill lands between batches as well as inside one (and between
# the steps of a chunk of the bulk first export).
engine.BATCH = 7
bulk.CHUNK = 7
bulk.READ = 4
store = Store.open(sys.argv[1])

def progress(done, total, label):
    print(done, flush=True)

engine.sync_folder(store, sys.argv[2], actor="child", progress=progress)
print("finished", flush=True)
"""


def sync_killed_after(db: Path, folder: Path, lines: int) -> bool:
    """Run a sync in a child process and SIGKILL it after `lines` progress lines.

    Returns False when the child finished before it could be killed."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for seen, line in enumerate(child.stdout, 1):
        if line.strip() == "finished":
            child.wait()
            return False
        if seen >= lines:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait()
    child.stdout.close()
    return True


def check_clean(store: Store, folder: Path) -> None:
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = sync_folder(store, folder, actor="rerun")
    assert not report.stopped and not report.attention, report.entries
    assert sync_folder(store, folder, actor="rerun").counts() == {}
    leftovers = [
        p for p in folder.rglob(".*") if p.is_file() and p.name.startswith(".newsdesk-tmp")
    ]
    assert leftovers == []
    for path in (folder / "stories").rglob("*.md"):
        loads(path.read_text(encoding="utf-8"), path.name)  # every file is a whole story


def test_kill_during_first_export_and_import_then_rerun(tmp_path: Path):
    folder = tmp_path / "shared"
    a_path, b_path = tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(a_path) as a:
        a.bulk_insert(
            Story(slug=f"story-{n}", headline=f"Story {n}", body=BODY) for n in range(COUNT)
        )
    assert sync_killed_after(a_path, folder, 20)
    with Store.open(a_path) as a:
        check_clean(a, folder)
        assert len(list((folder / "stories").rglob("*.md"))) == COUNT
    Store.open(b_path).close()
    assert sync_killed_after(b_path, folder, 20)
    with Store.open(b_path) as b:
        check_clean(b, folder)
        assert b.count() == COUNT


def test_kill_during_two_way_merges_then_rerun(tmp_path: Path):
    folder = tmp_path / "shared"
    a_path, b_path = tmp_path / "a.db", tmp_path / "b.db"
    with Store.open(a_path) as a:
        a.bulk_insert(
            Story(slug=f"story-{n}", headline=f"Story {n}", body=BODY) for n in range(COUNT)
        )
        sync_folder(a, folder)
    with Store.open(b_path) as b:
        sync_folder(b, folder)
    # Both laptops edit every story, in different paragraphs.
    with Store.open(a_path) as a:
        for row in a.list_rows(limit=COUNT):
            story = a.get(row.id)
            a.save(story.replace(body=BODY.replace("Opening", "A's opening")), story.revision)
        sync_folder(a, folder)
    with Store.open(b_path) as b:
        for row in b.list_rows(limit=COUNT):
            story = b.get(row.id)
            b.save(story.replace(body=BODY.replace("Closing", "B's closing")), story.revision)
    killed = 0
    for lines in (10, 30):
        killed += sync_killed_after(b_path, folder, lines)
    assert killed
    expected = BODY.replace("Opening", "A's opening").replace("Closing", "B's closing")
    with Store.open(b_path) as b:
        check_clean(b, folder)
        for row in b.list_rows(limit=COUNT):
            assert b.get(row.id).body == expected
            assert not has_conflict(b.db, row.id)
    with Store.open(a_path) as a:
        check_clean(a, folder)
        for row in a.list_rows(limit=COUNT):
            assert a.get(row.id).body == expected


class _Killed(BaseException):
    """Stands for SIGKILL at one exact point of a pass."""


@pytest.mark.parametrize("other_laptop_merges_first", [False, True])
def test_pass_killed_between_renames_and_bases_leaves_no_stale_base(
    tmp_path: Path, monkeypatch, other_laptop_merges_first: bool
):
    from newsdesk.disk.staged import StagedWrites

    folder = tmp_path / "shared"
    a, b = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    story = a.insert(Story(slug="ferry", headline="Ferry", body=BODY))
    sync_folder(a, folder)
    sync_folder(b, folder)

    def edit(store: Store, old: str, new: str) -> None:
        current = store.get(story.id)
        store.save(current.replace(body=current.body.replace(old, new)), current.revision)

    edit(a, "Opening", "A's opening")
    original = StagedWrites.commit

    def commit_then_die(self: StagedWrites):
        original(self)
        raise _Killed

    monkeypatch.setattr(StagedWrites, "commit", commit_then_die)
    with pytest.raises(_Killed):
        sync_folder(a, folder)
    monkeypatch.undo()
    if other_laptop_merges_first:
        edit(b, "Closing", "B's closing")
        assert sync_folder(b, folder).counts() == {"merged": 1, "exported": 1}
    edit(a, "A's opening", "A's second opening")
    report = sync_folder(a, folder)
    assert not report.attention, report.entries
    sync_folder(b, folder)
    closing = "B's closing" if other_laptop_merges_first else "Closing"
    expected = BODY.replace("Opening", "A's second opening").replace("Closing", closing)
    assert a.get(story.id).body == b.get(story.id).body == expected
    a.close()
    b.close()
