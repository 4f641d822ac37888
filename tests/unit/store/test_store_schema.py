"""Store.open: creating, migrating, re-opening, and refusing files it must not touch."""

import sqlite3

import pytest

from newsdesk.domain.model import Story
from newsdesk.store import SCHEMA_VERSION, Store, StoreError, schema
from newsdesk.store.connection import PAGE_CACHE_KB
from newsdesk.store.schema import APPLICATION_ID, DEFAULT_SECTIONS


def test_open_creates_folder_and_current_schema(tmp_path):
    path = tmp_path / "deep" / "er" / "desk.db"
    with Store.open(path) as store:
        assert path.exists()
        pragma = store.db.execute
        assert pragma("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert pragma("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
        assert pragma("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert pragma("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert pragma("PRAGMA cache_size").fetchone()[0] == -PAGE_CACHE_KB
        assert {"stories", "revisions", "history", "sections", "stories_fts"} <= set(
            store.db.table_names()
        )
        assert store.sections() == sorted(DEFAULT_SECTIONS)


def test_reopen_keeps_data_and_does_not_migrate_again(tmp_path):
    path = tmp_path / "desk.db"
    with Store.open(path) as store:
        story = store.insert(Story(slug="kept", headline="Kept across opens"))
        store.remove_section("Opinion")
    with Store.open(path) as store:
        assert store.get(story.id).headline == "Kept across opens"
        assert "Opinion" not in store.sections()  # seeds run once, not on every open
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.db"
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer Newsdesk"):
        Store.open(path)
    assert path.read_bytes() == before


def test_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("Dear desk, this is a letter, not a database.\n" * 50)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a Newsdesk database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]
    conn.close()


def test_folder_in_place_of_the_file(tmp_path):
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)


def test_empty_file_becomes_a_database(tmp_path):
    path = tmp_path / "empty.db"
    path.touch()
    with Store.open(path) as store:
        assert store.count() == 0


def test_two_connections_on_one_file_share_saves(tmp_path):
    path = tmp_path / "shared.db"
    with Store.open(path) as first, Store.open(path) as second:
        story = first.insert(Story(slug="shared", headline="Seen by both"))
        assert second.get(story.id).headline == "Seen by both"
        second.save(story.replace(headline="Changed by the second"), story.revision)
        assert first.get(story.id).revision == 2


def test_failed_transaction_leaves_nothing(tmp_path):
    with Store.open(tmp_path / "t.db") as store:
        with pytest.raises(RuntimeError), store.transaction():
            store.insert(Story(slug="half", headline="Half written"))
            raise RuntimeError("power cut")
        assert store.count() == 0
        assert store.db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
        assert store.db.execute("SELECT count(*) FROM history").fetchone()[0] == 0


def test_database_of_another_program_with_its_own_version(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stories (n INTEGER)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)


def test_pending_migrations_run_in_order_on_open(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        story = store.insert(Story(slug="old", headline="From the old schema"))

    def add_column(db):
        db["stories"].add_column("priority", int)

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, add_column))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert "priority" in store.db["stories"].columns_dict
        assert store.get(story.id).headline == "From the old schema"


def test_failing_migration_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        story = store.insert(Story(slug="old", headline="Survives"))

    def half_done(db):
        db["stories"].add_column("priority", int)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, half_done))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="disk I/O error"):
        Store.open(path)
    monkeypatch.undo()
    with Store.open(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert "priority" not in store.db["stories"].columns_dict
        assert store.get(story.id).headline == "Survives"
