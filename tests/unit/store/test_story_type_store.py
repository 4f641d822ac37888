"""Story types in the store: the migration (a database made before types keeps its
hashes; a hand-added `type` key becomes the field), the column, and the list's filter
and sort by type."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from newsdesk.domain.model import Story
from newsdesk.store import Store
from newsdesk.store.schema import MIGRATIONS, _story_types
from newsdesk.sync.state import sync_hash

DATA = Path(__file__).resolve().parents[2] / "data" / "schema2-synced.db.gz"


@pytest.fixture
def old_database(tmp_path: Path) -> Path:
    path = tmp_path / "old.db"
    with gzip.open(DATA) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


def test_a_database_from_before_types_keeps_every_hash(old_database):
    """Stories of the release before are of the default type and hash as they did: the
    content hash written then, and the sync bases recorded then, still match."""
    with closing(sqlite3.connect(old_database)) as db:
        stored = dict(db.execute("SELECT id, content_hash FROM stories"))
        bases = dict(db.execute("SELECT story_id, hash FROM sync_base"))
    assert stored
    with Store.open(old_database) as store:
        for story_id, content_hash in stored.items():
            story = store.get(story_id)
            assert story.type == "news"
            assert story.content_hash == content_hash
            row = store.db.execute(
                "SELECT type, content_hash FROM stories WHERE id = ?", [story_id]
            ).fetchone()
            assert row == ("news", content_hash)
        # The story not in a conflict was last synced as it is: its base still matches.
        assert any(sync_hash(store.get(sid)) == base for sid, base in bases.items())


def _unmigrate(path: Path) -> None:
    """Make a current database look like one from just before the types migration."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript(
            f"""
            DROP INDEX stories_live_type;
            DROP INDEX IF EXISTS stories_listed;
            ALTER TABLE stories DROP COLUMN type;
            PRAGMA user_version = {MIGRATIONS.index(_story_types)};
            """
        )


def test_a_hand_added_type_key_becomes_the_field_and_a_bad_one_is_kept(tmp_path):
    path = tmp_path / "desk.db"
    with Store.open(path) as store:
        brief = store.insert(Story(slug="brief", headline="Brief", body="Short."))
        odd = store.insert(Story(slug="odd", headline="Odd", body="Text."))
        plain = store.insert(Story(slug="plain", headline="Plain", body="Text."))
        broken = store.insert(Story(slug="broken", headline="Broken", body="Text."))
    _unmigrate(path)
    with closing(sqlite3.connect(path)) as db:
        db.execute("UPDATE stories SET extra = ? WHERE id = ?",
                   ['{"type": " Brief ", "desk": "x"}', brief.id])
        db.execute("UPDATE stories SET extra = ? WHERE id = ?",
                   ['{"type": "Big Feature"}', odd.id])
        db.execute("UPDATE stories SET extra = ? WHERE id = ?", ['{"type": ', broken.id])
        db.commit()
    with Store.open(path) as store:
        moved = store.get(brief.id)
        assert (moved.type, moved.extra) == ("brief", {"desk": "x"})
        kept = store.get(odd.id)
        assert (kept.type, kept.extra) == ("news", {"legacy_type": "Big Feature"})
        for story in (moved, kept, store.get(plain.id)):
            column = store.db.execute(
                "SELECT content_hash FROM stories WHERE id = ?", [story.id]
            ).fetchone()[0]
            assert column == story.content_hash
        assert store.get(plain.id).content_hash == plain.content_hash
        # An extra column that is not JSON stops nothing: the migration leaves it alone.
        assert store.db.execute(
            "SELECT type, extra FROM stories WHERE id = ?", [broken.id]
        ).fetchone() == ("news", '{"type": ')


def test_the_list_filters_and_sorts_by_type(tmp_path):
    with Store.open(tmp_path / "desk.db") as store:
        for slug, kind in (("a", "opinion"), ("b", "brief"), ("c", "news"), ("d", "opinion")):
            store.insert(Story(slug=slug, headline=slug.upper(), type=kind, body="Text."))
        opinion = store.list_rows(story_type="opinion")
        assert sorted(row.slug for row in opinion) == ["a", "d"]
        assert {row.type for row in opinion} == {"opinion"}
        assert store.count(story_type="brief") == 1
        assert store.status_counts(story_type="opinion")["draft"] == 2
        by_type = store.list_rows(sort="type", descending=False)
        assert [row.type for row in by_type] == ["brief", "news", "opinion", "opinion"]
        assert store.list_rows(story_type="feature") == []
