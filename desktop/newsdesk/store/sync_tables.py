"""The sync's tables, as the migration `_sync_tables` (store/schema.py) makes them.

Read and written by store/sync_records.py (folders, bases, snapshots, pending bases, the
tree last committed), sync_cache.py (the stat cache) and sync_conflicts.py (conflicts).
Every statement is IF NOT EXISTS: a database whose first sync made the tables (before
they were a migration) has them already, made by the same statements.
"""

SYNC_TABLES = """
        CREATE TABLE IF NOT EXISTS sync_folders (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            workspace_id TEXT NOT NULL,
            seen_seq INTEGER NOT NULL DEFAULT 0,
            last_sync_at TEXT
        );
        CREATE TABLE IF NOT EXISTS sync_base (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            local_seq INTEGER NOT NULL DEFAULT 0,
            path TEXT NOT NULL,
            file_hash TEXT NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        -- The base stories themselves, compressed and apart from sync_base, so that a
        -- pass reads the small bookkeeping rows of a big archive without paging through
        -- every story's text.
        CREATE TABLE IF NOT EXISTS sync_snapshots (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            snapshot BLOB NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        -- Bases of files a pass is about to write: committed with the database side of
        -- a batch, before the renames, and made bases once the files are in place. A
        -- pass killed in between finds them next time and keeps those whose file holds
        -- what was written, so the base always describes what the folder really has.
        CREATE TABLE IF NOT EXISTS sync_pending (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            deleted INTEGER NOT NULL DEFAULT 0,
            local_seq INTEGER NOT NULL DEFAULT 0,
            path TEXT NOT NULL,
            file_hash TEXT NOT NULL,
            snapshot BLOB NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        -- Bases by file, for the folders of the tree a pass has to look into.
        CREATE INDEX IF NOT EXISTS sync_base_path ON sync_base(folder_id, path);
        CREATE TABLE IF NOT EXISTS sync_files (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            file_hash TEXT NOT NULL,
            story_id TEXT,
            deleted INTEGER NOT NULL DEFAULT 0,
            problem TEXT,
            PRIMARY KEY (folder_id, path)
        );
        CREATE TABLE IF NOT EXISTS sync_conflicts (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            path TEXT NOT NULL,
            base TEXT,
            local TEXT NOT NULL,
            remote TEXT NOT NULL,
            remote_file_hash TEXT NOT NULL,
            fields TEXT NOT NULL,
            origin TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (folder_id, story_id)
        );
        CREATE INDEX IF NOT EXISTS sync_conflicts_story ON sync_conflicts(story_id);
        -- Per group of files of the tree: the digest of its listing when every file in
        -- it was last settled (NULL: look at each file). See sync/cache.py.
        CREATE TABLE IF NOT EXISTS sync_groups (
            folder_id INTEGER NOT NULL REFERENCES sync_folders(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            digest TEXT,
            PRIMARY KEY (folder_id, name)
        );
        -- Per folder that is a git clone: the digest of the story tree as a pass found it
        -- all settled, and the commit that holds it (sync/delivery.py): a sync that finds
        -- the same tree under the same commit has nothing to stage.
        CREATE TABLE IF NOT EXISTS sync_commits (
            folder_id INTEGER PRIMARY KEY REFERENCES sync_folders(id) ON DELETE CASCADE,
            tree TEXT NOT NULL,
            head TEXT NOT NULL
        );
"""
