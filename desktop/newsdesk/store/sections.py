"""The managed list of sections ("News / Metro"): listing, adding, removing, renaming.

A story filed in a section not yet listed adds it on save (rows.ensure_section). Plain
functions over the database; the writes run inside the caller's transaction.
"""

from __future__ import annotations

from sqlite_utils import Database

import newsdesk.store.rows as rows
import newsdesk.store.writes as writes
from newsdesk.domain.model import normalize_section
from newsdesk.store.errors import StoreError
from newsdesk.store.records import Attribution

SECTION_MAX = 200


def clean(path: str) -> str:
    """A section name as stored; StoreError if it is empty or unusable."""
    section = normalize_section(path)
    if not section:
        raise StoreError("a section needs a name")
    if len(section) > SECTION_MAX or "\x00" in section:
        raise StoreError(f"{section[:40]!r} is not a usable section name")
    return section


def sections(db: Database) -> list[str]:
    """All sections, sorted so that each parent comes right before its children."""
    found = db.execute("SELECT path FROM sections").fetchall()
    return sorted(
        (path for (path,) in found), key=lambda p: [part.casefold() for part in p.split(" / ")]
    )


def remove_section(db: Database, path: str) -> None:
    """Remove a section from the list; refused while live stories are filed in it."""
    section = normalize_section(path)
    exact = db.execute(
        "SELECT count(*) FROM stories WHERE section = ? AND deleted_at IS NULL", [section]
    ).fetchone()[0]
    if exact:
        raise StoreError(
            f"section {section!r} still holds {exact} "
            f"stor{'y' if exact == 1 else 'ies'}; move them first"
        )
    if not db.execute("SELECT 1 FROM sections WHERE path = ?", [section]).fetchone():
        raise StoreError(f"there is no section {section!r}")
    db["sections"].delete(section)


def rename_section(db: Database, old: str, new: str, who: Attribution) -> int:
    """Rename a section and its sub-sections, re-filing their live stories as new
    revisions (a section is content: approvals follow the content hash). Returns how
    many stories moved."""
    old_name, new_name = normalize_section(old), clean(new)
    paths = [p for p in sections(db) if p == old_name or p.startswith(old_name + " / ")]
    if not paths:
        raise StoreError(f"there is no section {old_name!r}")
    moved = 0
    for path in paths:
        target = new_name + path[len(old_name) :]
        db["sections"].delete(path)
        rows.ensure_section(db, target)
        ids = db.execute(
            "SELECT id FROM stories WHERE section = ? AND deleted_at IS NULL", [path]
        ).fetchall()
        for (story_id,) in ids:
            story = rows.story(db, story_id)
            writes.save(
                db, story.replace(section=target), story.revision, who, "edited",
                f"section renamed from {path!r}",
            )
            moved += 1
    return moved
