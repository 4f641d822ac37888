"""The tables of the incoming wire queue, as the migration creates them (schema.py)."""

from __future__ import annotations

# wire_items: one row per agency guid. `item` is the newest version received (JSON,
# formats/wire_json.py); `taken_item` the version a desk took (the base of a later
# three-way merge). state: new, taken, updated (taken, and a newer version waits), or
# duplicate (the same text as `duplicate_of`, from another feed: listed once).
# wire_files: each watched-folder file handled, by the hash of its bytes, and where it
# went (done or rejected): a file met again after a crash is moved, not ingested again.
WIRE_QUEUE_TABLES = """
CREATE TABLE wire_items (
    rid INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    sent TEXT NOT NULL DEFAULT '',
    urgency INTEGER,
    headline TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',
    duplicate_of TEXT NOT NULL DEFAULT '',
    story_id TEXT NOT NULL DEFAULT '',
    taken_version INTEGER,
    taken_by TEXT NOT NULL DEFAULT '',
    taken_at TEXT NOT NULL DEFAULT '',
    taken_item TEXT,
    item TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX wire_items_fingerprint ON wire_items(fingerprint, rid);
CREATE INDEX wire_items_received ON wire_items(received_at, rid);
CREATE INDEX wire_items_story ON wire_items(story_id) WHERE story_id != '';
CREATE VIRTUAL TABLE wire_items_fts USING fts5(
    headline, body, content='wire_items', content_rowid='rid',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER wire_items_ai AFTER INSERT ON wire_items BEGIN
    INSERT INTO wire_items_fts(rowid, headline, body) VALUES (new.rid, new.headline, new.body);
END;
CREATE TRIGGER wire_items_ad AFTER DELETE ON wire_items BEGIN
    INSERT INTO wire_items_fts(wire_items_fts, rowid, headline, body)
        VALUES ('delete', old.rid, old.headline, old.body);
END;
CREATE TRIGGER wire_items_au AFTER UPDATE OF headline, body ON wire_items BEGIN
    INSERT INTO wire_items_fts(wire_items_fts, rowid, headline, body)
        VALUES ('delete', old.rid, old.headline, old.body);
    INSERT INTO wire_items_fts(rowid, headline, body) VALUES (new.rid, new.headline, new.body);
END;
CREATE TABLE wire_files (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    items INTEGER NOT NULL DEFAULT 0,
    at TEXT NOT NULL
);
"""
