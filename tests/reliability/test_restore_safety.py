"""Backups that cannot lose or launder data (issue 15).

- A restore while another process has the database open would put a new file under
  that process, whose later saves would then land in neither the database nor a backup:
  it is refused, naming the process. A file replaced all the same (moved in by hand)
  is noticed by the open process, whose next save meets the conflict path.
- Only a copy that passes `PRAGMA integrity_check` and whose stories match their content
  hashes is kept or restored as a good backup; a damaged file is reported with the line
  that restores the last good one.
- A write-ahead log deleted from under an open process: its saves still reach the file,
  and the advice printed to a second process never leads to a restore that loses them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.store import StaleRevision, Store
from newsdesk.store import backup as db_backups
from tests.cli.conftest import newsdesk_executable

# A Desk in another process: saves on each line it reads, answering once a save is done.
HOLDER = """
import sys
from newsdesk.desk import Desk
desk = Desk.open(sys.argv[1])
story = desk.find(sys.argv[2])
print("open", flush=True)
for n, line in enumerate(sys.stdin):
    story = desk.save(story.replace(body=story.body + f" Save {n}."), story.revision)
    print("saved", n, flush=True)
"""


def newsdesk(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*newsdesk_executable(), "--db", str(db), *args],
                          capture_output=True, text=True, timeout=60)


class Holder:
    """Another process with the database open (a window, in the user's terms)."""

    def __init__(self, db: Path, slug: str):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), slug],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.readline() == "open"

    def readline(self) -> str:
        assert self.proc.stdout
        return self.proc.stdout.readline().strip()

    def save(self) -> str:
        assert self.proc.stdin
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return self.readline()

    def quit(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "desk.db"
    with Desk.open(path) as desk:
        desk.create(headline="Harbour wall repaired", body="The wall is up.")
        desk.backup()
    return path


def body(db: Path) -> str:
    with Desk.open(db) as desk:
        return desk.find("harbour-wall-repaired").body


def test_restore_is_refused_while_another_process_has_the_database_open(db):
    holder = Holder(db, "harbour-wall-repaired")
    try:
        result = newsdesk(db, "restore-backup")
        assert result.returncode == 2
        assert f"process {holder.proc.pid}" in result.stderr
        assert "quit it first" in result.stderr
        assert holder.save() == "saved 0"  # and its save is on disk, seen from here
        assert body(db).endswith("Save 0.")
    finally:
        holder.quit()
    result = newsdesk(db, "restore-backup")  # once it has quit, the restore goes ahead
    assert result.returncode == 0, result.stderr
    assert body(db) == "The wall is up."


def test_a_killed_process_does_not_block_a_restore(db):
    holder = Holder(db, "harbour-wall-repaired")
    holder.proc.kill()
    holder.proc.wait(timeout=30)
    result = newsdesk(db, "restore-backup")
    assert result.returncode == 0, result.stderr


def test_a_file_replaced_under_an_open_store_sends_the_next_save_to_the_conflict_path(db):
    """Moved in by hand, past the refusal: the open process sees the new file."""
    with Store.open(db) as store:
        story = store.find("harbour-wall-repaired")
        story = store.save(story.replace(body="Edited once."), story.revision)
        backup = db_backups.list_backups(db_backups.backup_folder(db), db)[0].path
        copy = db.with_name("restored.db")
        shutil.copyfile(backup, copy)
        os.replace(copy, db)
        for suffix in ("-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        with pytest.raises(StaleRevision):  # revision 2 is not in the restored file
            store.save(story.replace(body="Edited twice."), story.revision)
        current = store.find("harbour-wall-repaired")
        assert current.body == "The wall is up."
        store.save(current.replace(body="Edited again."), current.revision)
    assert body(db) == "Edited again."


def _patch_headline(db: Path, old: bytes, new: bytes) -> None:
    """Change bytes of one headline in the file, behind SQLite's back (a bad disk)."""
    with Store.open(db) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    assert data.count(old) >= 1
    db.write_bytes(data.replace(old, new, 1))


def test_a_damaged_file_is_reported_by_backup_with_the_restore_line(db):
    _patch_headline(db, b"Harbour wall repaired", b"Harbour wall rePaired")
    result = newsdesk(db, "backup")
    assert result.returncode == 2
    assert "damaged" in result.stderr
    assert "restore-backup" in result.stderr
    assert len(db_backups.list_backups(db_backups.backup_folder(db), db)) == 1


def test_a_damaged_backup_is_never_restored(db):
    backup = db_backups.list_backups(db_backups.backup_folder(db), db)[0].path
    _patch_headline(backup, b"Harbour wall repaired", b"Harbour wall rePaired")
    result = newsdesk(db, "restore-backup", str(backup))
    assert result.returncode == 2
    assert "cannot be restored" in result.stderr
    assert db_backups.last_good_backup(db) is None
    assert newsdesk(db, "restore-backup").returncode == 2  # no good one to fall back to


def test_restore_keeps_a_damaged_current_file_only_as_a_damaged_copy(db):
    _patch_headline(db, b"Harbour wall repaired", b"Harbour wall rePaired")
    result = newsdesk(db, "restore-backup")
    assert result.returncode == 0, result.stderr
    folder = db_backups.backup_folder(db)
    assert len(db_backups.list_backups(folder, db)) == 1  # no new "good" backup
    kept = [b for b in db_backups.list_backups(folder, db, include_damaged=True) if b.damaged]
    assert len(kept) == 1
    assert body(db) == "The wall is up."


def test_a_deleted_write_ahead_log_never_leads_to_losing_saves(db):
    holder = Holder(db, "harbour-wall-repaired")
    try:
        assert holder.save() == "saved 0"
        db.with_name(db.name + "-wal").unlink()
        shown = newsdesk(db, "show", "harbour-wall-repaired", "--json")
        # Whatever a second process says, it never advises a restore while the holder
        # runs, and a restore would be refused anyway.
        if shown.returncode != 0:
            assert "do not restore a backup" in shown.stderr
            assert f"process {holder.proc.pid}" in shown.stderr
        assert newsdesk(db, "restore-backup").returncode == 2
        assert holder.save() == "saved 1"  # the holder writes its log back, and goes on
        assert body(db).endswith("Save 0. Save 1.")
        assert holder.save() == "saved 2"
    finally:
        holder.quit()
    assert body(db).endswith("Save 0. Save 1. Save 2.")
    with Store.open(db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
