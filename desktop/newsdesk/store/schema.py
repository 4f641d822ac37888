"""The database schema: the ordered migrations.

PRAGMA user_version is the schema version; MIGRATIONS[n] brings a database from version n
to n + 1. They run on open (store/connection.py), all pending ones in one transaction, so
a database is never left half-migrated. A file from a newer Newsdesk is refused before
anything touches it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.db import ForeignKey

from newsdesk.domain.model import TYPE_RE
from newsdesk.store.codec import decode_extra, encode_extra, row_to_story
from newsdesk.store.errors import StoreError
from newsdesk.store.media import MEDIA_TABLES
from newsdesk.store.render_cache import RENDER_CACHE_TABLE
from newsdesk.store.sync_tables import SYNC_TABLES
from newsdesk.store.wire_tables import WIRE_QUEUE_TABLES

# "NwsD": marks the file as ours, so another program's SQLite file is not migrated into.
APPLICATION_ID = 0x4E777344

DEFAULT_SECTIONS: tuple[str, ...] = (
    "News",
    "News / Metro",
    "News / Nation",
    "News / World",
    "Business",
    "Sport",
    "Culture",
    "Opinion",
)

FTS_COLUMNS: tuple[str, ...] = ("headline", "deck", "body", "tags", "byline")
# Porter stemming lets "election" find "elections"; remove_diacritics lets "cafe" find "café".
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, path: Path) -> None:
    if schema_version(db) == SCHEMA_VERSION:
        return
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another process may have migrated meanwhile.
        version = schema_version(db)
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path} was upgraded by a newer Newsdesk while opening it")
        for step in MIGRATIONS[version:]:
            step(db)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _v1(db: Database) -> None:
    """Stories, revisions, history, sections, tags, full-text search."""
    # Column order matters: SQLite walks a row's overflow pages to reach columns stored
    # after a long value, so what the list reads comes first and the body comes last.
    db["stories"].create(
        {
            "rid": int,  # explicit INTEGER PRIMARY KEY: VACUUM keeps it, FTS points at it
            "id": str,
            "slug": str,
            "headline": str,
            "section": str,
            "status": str,
            "editor": str,
            "byline": str,
            "updated_at": str,
            "created_at": str,
            "word_count": int,
            "revision": int,
            "deleted_at": str,
            "change_seq": int,
            "content_hash": str,
            "modified_by": str,
            "dateline_place": str,
            "dateline_date": str,
            "source": str,
            "embargo": str,
            "tags": str,
            "deck": str,
            "caption": str,
            "ednote": str,
            "approvals": str,
            "extra": str,
            "body": str,
        },
        pk="rid",
        not_null=["id", "slug", "headline", "status", "revision", "created_at", "updated_at"],
        defaults={"tags": "[]", "approvals": "[]", "extra": "{}", "change_seq": 0},
    )
    stories = db["stories"]
    stories.create_index(["id"], "stories_id", unique=True)
    stories.create_index(["change_seq"], "stories_change_seq")
    # The list shows live stories; partial indexes keep the trash out of them and give
    # every sortable column an index whose tie-breaker (updated_at, then rowid) matches
    # the ORDER BY of Store.list_rows.
    db.executescript(
        """
        CREATE UNIQUE INDEX stories_live_slug ON stories(slug) WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_updated ON stories(updated_at) WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_headline ON stories(headline COLLATE NOCASE, updated_at)
            WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_section ON stories(section, updated_at)
            WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_status ON stories(status, updated_at)
            WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_editor ON stories(editor, updated_at)
            WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_words ON stories(word_count, updated_at)
            WHERE deleted_at IS NULL;
        CREATE INDEX stories_live_created ON stories(created_at) WHERE deleted_at IS NULL;
        CREATE INDEX stories_trash ON stories(deleted_at) WHERE deleted_at IS NOT NULL;
        """
    )
    cascade = [ForeignKey("", "story_id", "stories", "id", on_delete="CASCADE")]
    db["revisions"].create(
        {
            "story_id": str,
            "revision": int,
            "saved_at": str,
            "author": str,
            "content_hash": str,
            "headline": str,
            "word_count": int,
            "snapshot": bytes,  # the stories row of that revision: JSON, zlib-compressed
        },
        pk=("story_id", "revision"),
        foreign_keys=cascade,
        not_null=["saved_at", "snapshot"],
    )
    db["history"].create(
        {
            "seq": int,
            "story_id": str,
            "at": str,
            "actor": str,
            "action": str,
            "revision": int,
            "note": str,
            "from_status": str,
            "to_status": str,
        },
        pk="seq",
        foreign_keys=cascade,
        not_null=["story_id", "at", "action"],
    )
    db["history"].create_index(["story_id", "seq"], "history_story")
    db["sections"].create({"path": str}, pk="path")
    db["sections"].insert_all(({"path": p} for p in DEFAULT_SECTIONS), ignore=True)
    # Ids of purged stories: a sync must not bring them back from an old file.
    db["purged"].create({"id": str, "slug": str, "purged_at": str}, pk="id")
    db["meta"].create({"key": str, "value": int}, pk="key")
    db["meta"].insert({"key": "change_seq", "value": 0})
    # Tags of live stories, kept by triggers so that every write path (including sync
    # writing rows directly) keeps the "tags with counts" list right.
    db["story_tags"].create(
        {"rid": int, "tag": str},
        foreign_keys=[ForeignKey("", "rid", "stories", "rid", on_delete="CASCADE")],
    )
    db.executescript(
        """
        CREATE INDEX story_tags_tag ON story_tags(tag COLLATE NOCASE);
        CREATE INDEX story_tags_rid ON story_tags(rid);
        CREATE TRIGGER stories_tags_ai AFTER INSERT ON stories WHEN new.deleted_at IS NULL
        BEGIN
            INSERT INTO story_tags(rid, tag) SELECT new.rid, value FROM json_each(new.tags);
        END;
        CREATE TRIGGER stories_tags_au AFTER UPDATE OF tags, deleted_at ON stories BEGIN
            DELETE FROM story_tags WHERE rid = old.rid;
            INSERT INTO story_tags(rid, tag) SELECT new.rid, value FROM json_each(new.tags)
                WHERE new.deleted_at IS NULL;
        END;
        -- Counts per tag kept as they change: the tag list is read far more than written.
        CREATE TABLE tag_counts (tag TEXT COLLATE NOCASE PRIMARY KEY, n INTEGER NOT NULL);
        CREATE INDEX tag_counts_n ON tag_counts(n);
        CREATE TRIGGER story_tags_ai AFTER INSERT ON story_tags BEGIN
            INSERT INTO tag_counts(tag, n) VALUES (new.tag, 1)
                ON CONFLICT(tag) DO UPDATE SET n = n + 1;
        END;
        CREATE TRIGGER story_tags_ad AFTER DELETE ON story_tags BEGIN
            UPDATE tag_counts SET n = n - 1 WHERE tag = old.tag;
            DELETE FROM tag_counts WHERE tag = old.tag AND n <= 0;
        END;
        """
    )
    stories.enable_fts(FTS_COLUMNS, create_triggers=True, tokenize=FTS_TOKENIZE)
    # sqlite-utils re-indexes a row on every UPDATE; a status change, a delete or an
    # approval does not touch the indexed text, so only updates of those columns do.
    indexed = ", ".join(FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    db.executescript(
        f"""
        DROP TRIGGER stories_au;
        CREATE TRIGGER stories_au AFTER UPDATE OF {indexed} ON stories BEGIN
            INSERT INTO stories_fts(stories_fts, rowid, {indexed})
                VALUES ('delete', old.rid, {old});
            INSERT INTO stories_fts(rowid, {indexed}) VALUES (new.rid, {new});
        END;
        """
    )


def _signed_workflow(db: Database) -> None:
    """Identity by key and signed workflow actions: the key that saved each revision and
    made each event (and whether a synced file only claims it), the signed actions of
    each story, and a log of the desk's own events (a profile's new name)."""
    # New columns go after the body (ALTER TABLE appends), which only SELECT * reads:
    # a row written before holds no value for them and reads as the default.
    db.executescript(
        """
        ALTER TABLE stories ADD COLUMN modified_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE stories ADD COLUMN actions TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE revisions ADD COLUMN author_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE revisions ADD COLUMN origin TEXT NOT NULL DEFAULT '';
        ALTER TABLE history ADD COLUMN actor_key TEXT NOT NULL DEFAULT '';
        ALTER TABLE history ADD COLUMN origin TEXT NOT NULL DEFAULT '';
        CREATE TABLE desk_events (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            actor_key TEXT NOT NULL,
            action TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX desk_events_key ON desk_events(actor_key, seq);
        """
    )


def _named_versions(db: Database) -> None:
    """Names people give to saved revisions ("as subbed", "legal-checked"): one a revision,
    gone with the story when it is purged (store/versions.py)."""
    db["named_versions"].create(
        {"story_id": str, "revision": int, "name": str, "named_by": str, "named_at": str},
        pk=("story_id", "revision"),
        foreign_keys=[ForeignKey("", "story_id", "stories", "id", on_delete="CASCADE")],
        not_null=["name", "named_at"],
    )


def _sync_tables(db: Database) -> None:
    """The sync tables (store/sync_tables.py): each folder, each story's base, snapshot
    and pending base, the stat cache, open conflicts, the tree last committed. Before
    this migration the first sync made them, so a database may have them already (made
    by the same statements): IF NOT EXISTS."""
    db.executescript(SYNC_TABLES)


def _story_types(db: Database) -> None:
    """Story types (story_types.py): a `type` column, "news" for every story written
    before, and an index so that the list filters and sorts by it."""
    db.executescript(
        """
        ALTER TABLE stories ADD COLUMN type TEXT NOT NULL DEFAULT 'news';
        CREATE INDEX stories_live_type ON stories(type, updated_at) WHERE deleted_at IS NULL;
        """
    )
    _move_extra_types(db)


def _move_extra_types(db: Database) -> None:
    """A hand-added front-matter `type` key (before types, fit to length read it) is now
    the field: moved out of `extra` (it would clash with the field), the content hash
    written again. A value that is no type name is kept as `legacy_type`, never lost."""
    found = db.execute(
        # CASE: a row whose extra is not JSON (edited by hand) is left alone, not an error
        # that would stop the database from opening.
        "SELECT * FROM stories WHERE "
        "CASE WHEN json_valid(extra) THEN json_type(extra, '$.type') END IS NOT NULL"
    ).fetchall()
    columns = [d[0] for d in db.execute("SELECT * FROM stories LIMIT 0").description]
    for values in found:
        row = dict(zip(columns, values, strict=True))
        extra = decode_extra(row["extra"])
        value = extra.pop("type")
        kind = value.strip().lower() if isinstance(value, str) else ""
        if TYPE_RE.match(kind):
            row["type"] = kind
        else:
            extra["legacy_type"] = value
        row["extra"] = encode_extra(extra)
        row["content_hash"] = row_to_story(row).content_hash
        db.execute(
            "UPDATE stories SET type = ?, extra = ?, content_hash = ? WHERE rid = ?",
            [row["type"], row["extra"], row["content_hash"], row["rid"]],
        )


def _wire_queue(db: Database) -> None:
    """The incoming wire queue (store/wire_queue.py): one row per agency guid, its newest
    version and the version a desk took; full-text search over headline and body; and
    the journal of watched-folder files, by content hash, that makes ingest idempotent."""
    db.executescript(WIRE_QUEUE_TABLES)


def _media(db: Database) -> None:
    """Pictures (issue 20): each original once by content hash, and cached renditions
    (store/media.py says why in the database)."""
    db.executescript(MEDIA_TABLES)


def _render_cache(db: Database) -> None:
    """The export's caches (store/render_cache.py): each approved text's rendered body,
    by content hash and renderer; each folder's last export mark. Derived data: empty
    tables are a cold cache."""
    db.executescript(RENDER_CACHE_TABLE)


def _listed_columns(db: Database) -> None:
    """The columns a list row shows, by rid (issue 23): a search joins each match to this
    index instead of to its row in the table, whose `type` sits after the body (added
    last), so that reading it walked the body's overflow pages of every match."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS stories_listed ON stories(rid, id, slug, headline, "
        "section, status, type, editor, byline, created_at, updated_at, word_count, "
        "revision, deleted_at)"
    )


MIGRATIONS: tuple[Callable[[Database], None], ...] = (
    _v1, _signed_workflow, _named_versions, _sync_tables, _wire_queue, _media,
    # tests/unit/store/test_story_type_store.py undoes this one, by name, to replay it.
    _story_types,
    _render_cache,
    _listed_columns,
)
SCHEMA_VERSION = len(MIGRATIONS)
