"""Rolling backups: taken whole and checked, kept by the rolling rule, restored atomically."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.desk import Desk, backup_file
from newsdesk.store import Store
from newsdesk.store import backup as db_backups
from newsdesk.store.backup import (
    KEEP_DAYS,
    KEEP_RECENT,
    TEMP_PREFIX,
    BackupError,
    backup_folder,
    check_database,
    list_backups,
    restore_backup,
    take_backup,
    take_backup_if_due,
)
from tests.reliability.test_crash_store import check_database as check_sound
from tests.reliability.test_faults import _corrupt, failing


def _desk(tmp_path: Path, n: int = 5) -> Path:
    db = tmp_path / "data" / "newsdesk.db"
    with Desk.open(db) as desk:
        for i in range(n):
            desk.create(headline=f"Story {i}", body=f"Body {i}.")
    return db


def test_a_backup_is_a_whole_sound_copy_of_an_open_database(tmp_path: Path):
    db = _desk(tmp_path)
    with Desk.open(db) as desk:
        # Unflushed work in the write-ahead log goes into the backup too.
        desk.create(headline="Late story", body="Still in the log.")
        path = desk.backup()
        assert path.parent == db.parent / "backups"
        assert [b.path for b in desk.backups()] == [path]
    assert check_database(path) is None
    assert not Path(f"{path}-wal").exists()
    with Store.open(path) as copy:
        assert copy.count() == 6 and copy.search("log")
    assert list(path.parent.glob(".newsdesk-backup-*")) == []


def test_backup_by_path_works_from_any_thread(tmp_path: Path):
    db = _desk(tmp_path)
    path = backup_file(db)
    assert path is not None and check_database(path) is None
    assert backup_file(db, force=False) is None  # the newest is younger than 30 minutes


def test_rolling_rule_keeps_the_last_ten_and_one_a_day_for_a_week(tmp_path: Path):
    db = _desk(tmp_path)
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    # Every 6 hours for two weeks, as a desk that opens and closes the app would.
    moments = [start + timedelta(hours=6 * n) for n in range(56)]
    for moment in moments:
        take_backup(db, now=moment)
    kept = list_backups(backup_folder(db))
    now = moments[-1]
    assert [b.taken_at for b in kept[:KEEP_RECENT]] == sorted(moments, reverse=True)[:KEEP_RECENT]
    days = {b.taken_at.date() for b in kept}
    week = {(now - timedelta(days=d)).date() for d in range(KEEP_DAYS)}
    assert week <= days
    assert all(now - b.taken_at <= timedelta(days=KEEP_DAYS) for b in kept)
    assert len(kept) <= KEEP_RECENT + KEEP_DAYS + 1


def test_backup_only_when_due(tmp_path: Path):
    db = _desk(tmp_path)
    t0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert take_backup_if_due(db, now=t0) is not None
    assert take_backup_if_due(db, now=t0 + timedelta(minutes=10)) is None
    assert take_backup_if_due(db, now=t0 + timedelta(minutes=31)) is not None


def test_a_copy_left_half_written_by_a_killed_backup_is_cleared_later(tmp_path: Path):
    db = _desk(tmp_path)
    folder = backup_folder(db)
    folder.mkdir(exist_ok=True)
    stale = folder / f"{TEMP_PREFIX}newsdesk-20261101-090000-000000.db"
    writing = folder / f"{TEMP_PREFIX}newsdesk-20261125-090000-000000.db"
    other = folder / f"{TEMP_PREFIX}newsdesk-2-20261101-090000-000000.db"
    for partial in (stale, writing, other):
        partial.write_bytes(b"half a copy")
    two_hours_ago = time.time() - 2 * 3600
    for partial in (stale, other):
        os.utime(partial, (two_hours_ago, two_hours_ago))
    take_backup(db)
    assert not stale.exists()
    assert writing.exists()  # touched a moment ago: a backup may still be writing it
    assert other.exists()  # another database's business


def test_two_databases_in_one_folder_keep_their_own_backups(tmp_path: Path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    Desk.open(a).close()
    Desk.open(b).close()
    take_backup(a)
    take_backup(b)
    assert [x.path.name.startswith("a-") for x in list_backups(tmp_path / "backups", a)] == [True]


def test_restore_puts_the_backup_back_and_keeps_the_current_file(tmp_path: Path):
    db = _desk(tmp_path)
    good = backup_file(db)
    with Desk.open(db) as desk:
        story = desk.create(headline="Written after the backup", body="x")
        desk.delete(story.id)
        restored_over = desk.restore_backup(good)
        # The desk is open on the restored file.
        assert desk.count() == 5 and desk.trash() == []
    assert restored_over is not None and check_database(restored_over) is None
    with Store.open(restored_over) as before:
        assert before.count(deleted=True) == 1  # nothing is lost by restoring either
    check_sound(db)


def test_restore_refuses_a_bad_backup_and_changes_nothing(tmp_path: Path):
    db = _desk(tmp_path)
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    before = db.read_bytes()
    with pytest.raises(BackupError, match="cannot be restored"):
        restore_backup(bad, db)
    with pytest.raises(BackupError, match="no such backup"):
        restore_backup(tmp_path / "missing.db", db)
    assert db.read_bytes() == before
    assert list_backups(backup_folder(db)) == []


def test_a_damaged_database_is_not_backed_up_but_kept_raw_on_restore(tmp_path: Path):
    db = _desk(tmp_path, n=40)
    good = backup_file(db)
    _corrupt(db)
    assert db_backups.damage(db)
    with pytest.raises(BackupError, match="damaged"):
        take_backup(db)
    assert [b.path for b in list_backups(backup_folder(db))] == [good]
    assert list(backup_folder(db).glob(".newsdesk-backup-*")) == []
    assert db_backups.last_good_backup(db).path == good
    kept = restore_backup(good, db)
    assert kept is not None and kept.name.startswith("newsdesk-damaged-")
    assert check_database(db) is None


@pytest.mark.parametrize("at", [1, 2])  # the fsync of the backup, then its rename
def test_disk_full_while_backing_up_leaves_no_partial_backup(tmp_path: Path, at: int):
    db = _desk(tmp_path)
    with failing(at, 28, calls=("replace", "fsync")), pytest.raises(BackupError):
        take_backup(db)
    assert [p.name for p in backup_folder(db).iterdir()] == []


@pytest.mark.slow
def test_backup_while_another_process_writes_is_consistent(tmp_path: Path):
    db = _desk(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom newsdesk.desk import Desk\nd = Desk.open(sys.argv[1])\n"
         "for i in range(150): d.create(headline=f'Busy {i}', body='x ' * 500)\n",
         str(db)],
    )
    taken = []
    while writer.poll() is None:
        taken.append(take_backup(db))
    assert writer.wait() == 0 and taken
    for path in (b.path for b in list_backups(backup_folder(db))):  # the ones kept
        assert check_database(path) is None
        conn = sqlite3.connect(path)
        stories, revisions = conn.execute(
            "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM revisions)"
        ).fetchone()
        conn.close()
        assert stories == revisions  # each story with its first revision: no half save


@pytest.mark.slow
def test_cli_backup_list_and_restore(tmp_path: Path):
    db = _desk(tmp_path)
    env = {**os.environ, "NEWSDESK_DB": str(db)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "newsdesk", *args], capture_output=True,
                              text=True, env=env, timeout=60)

    made = run("backup")
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path.is_file()
    listed = run("backup", "--list")
    assert str(path) in listed.stdout
    db.write_bytes(b"\x00" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    broken = run("list")
    assert broken.returncode == 2
    assert "restore-backup" in broken.stderr and str(path) in broken.stderr
    restored = run("restore-backup")  # the newest good backup
    assert restored.returncode == 0, restored.stderr
    assert run("list").stdout.count("\n") == 5
