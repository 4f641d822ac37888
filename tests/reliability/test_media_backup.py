"""Pictures move with the database: a backup holds them, a restore brings them back, and
a picture changed behind Newsdesk's back is damage the backup check sees."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from newsdesk.desk import Desk
from newsdesk.store.backup import check_database
from tests.unit.media.test_media_samples import news_photo


def run(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSDESK_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "newsdesk", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_a_restored_backup_brings_the_pictures_back(tmp_path: Path):
    db = tmp_path / "data" / "newsdesk.db"
    with Desk.open(db) as desk:
        story = desk.create(headline="Fire", body="Text.")
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    assert run(db, "media", "add", story.id, str(photo), "--alt", "Fire").returncode == 0
    made = run(db, "backup")
    assert made.returncode == 0, made.stderr
    db.write_bytes(b"\x00" * 4096)  # the database lost
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    restored = run(db, "restore-backup")
    assert restored.returncode == 0, restored.stderr
    listed = run(db, "media", "list", story.id)
    assert "fire.jpg" in listed.stdout
    with Desk.open(db) as desk:
        (picture,) = desk.media.pictures(story.id)
        assert desk.store.media.picture_bytes(picture.id) == photo.read_bytes()


def test_a_picture_changed_behind_newsdesks_back_is_damage(tmp_path: Path):
    db = tmp_path / "newsdesk.db"
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    with Desk.open(db) as desk:
        story = desk.create(headline="Fire", body="Text.")
        desk.media.add_pictures(story.id, [photo], alt="Fire")
    assert check_database(db) is None
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE media SET data = substr(data, 1, 2000)")
    assert "picture" in (check_database(db) or "")
