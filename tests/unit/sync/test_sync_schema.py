"""The sync tables are a migration (schema 3): databases whose first sync made them, and
databases never synced, both migrate; a new database has them from the start.

`tests/data/schema2-synced.db.gz` was made by the release before (schema 2, its sync
tables made by the first sync): laptop B of two, with two stories synced through a
folder and one of them in a conflict (both laptops rewrote its first paragraph).
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from newsdesk.store import SCHEMA_VERSION, Store
from newsdesk.store.sync_conflicts import has_conflict
from newsdesk.store.sync_records import count_bases, folder_by_path
from newsdesk.sync import list_conflicts, resolve_conflict
from newsdesk.sync.engine import sync_folder

DATA = Path(__file__).resolve().parents[2] / "data" / "schema2-synced.db.gz"
FERRY = "0b9f7a52-1c3d-4e5f-8a6b-7c8d9e0f1a2b"
SYNC_TABLES = {
    "sync_folders", "sync_base", "sync_snapshots", "sync_pending", "sync_files",
    "sync_conflicts", "sync_groups",
}


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    path = tmp_path / "b.db"
    with gzip.open(DATA) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master")}


def version(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA user_version").fetchone()[0]


def test_the_sample_is_what_the_release_before_made(old_database):
    assert version(old_database) == 2 < SCHEMA_VERSION
    assert tables(old_database) >= SYNC_TABLES


def test_a_database_synced_before_migrates_with_its_bases_and_conflicts(old_database, tmp_path):
    with Store.open(old_database) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        folder = folder_by_path(store.db, "/tmp/mk/shared")
        assert folder is not None and count_bases(store.db, folder.id) == 2
        (conflict,) = list_conflicts(store.db)
        assert conflict.story_id == FERRY and conflict.fields == ("body",)
        assert has_conflict(store.db, FERRY)
        resolve_conflict(store, FERRY, conflict.local, actor="Editor")
        assert not has_conflict(store.db, FERRY)
        # And it syncs on, here with a folder of its own.
        report = sync_folder(store, tmp_path / "elsewhere", actor="Editor")
        assert report.counts() == {"exported": 2}
    assert version(old_database) == SCHEMA_VERSION


def test_a_database_never_synced_gets_the_tables_from_the_migration(old_database, tmp_path):
    with closing(sqlite3.connect(old_database)) as db:
        for table in SYNC_TABLES:
            db.execute(f"DROP TABLE {table}")
        db.commit()
    assert not SYNC_TABLES & tables(old_database)
    with Store.open(old_database) as store:
        assert list_conflicts(store.db) == [] and not has_conflict(store.db, FERRY)
        assert sync_folder(store, tmp_path / "shared", actor="Editor").counts() == {
            "exported": 2
        }
    assert tables(old_database) >= SYNC_TABLES and version(old_database) == SCHEMA_VERSION


def test_a_new_database_has_the_sync_tables_before_any_sync(tmp_path):
    with Store.open(tmp_path / "new.db") as store:
        assert not has_conflict(store.db, FERRY)
    assert tables(tmp_path / "new.db") >= SYNC_TABLES
