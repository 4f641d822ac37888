"""The SQLite floor for importing wire files (issue 23): read each file, take its first
lines as the headline, insert a row and index it in FTS5, all in one transaction, with
nothing else (no parsing of the wire layout, no revisions, no checks).

    python tests/benchmarks/floor_import.py WIRE_FOLDER DB
"""

from __future__ import annotations

import sqlite3
import sys
import uuid
from pathlib import Path


def main() -> None:
    folder, db = Path(sys.argv[1]), sys.argv[2]
    connection = sqlite3.connect(db)
    connection.executescript(
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE stories (id TEXT PRIMARY KEY, headline TEXT, body TEXT);"
        "CREATE VIRTUAL TABLE stories_fts USING fts5(headline, body);"
    )
    with connection:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            headline = next((line for line in text.splitlines()[3:] if line.strip()), "")
            cursor = connection.execute(
                "INSERT INTO stories (id, headline, body) VALUES (?, ?, ?)",
                (str(uuid.uuid4()), headline, text),
            )
            connection.execute("INSERT INTO stories_fts (rowid, headline, body) VALUES (?, ?, ?)",
                               (cursor.lastrowid, headline, text))
    connection.close()


if __name__ == "__main__":
    main()
