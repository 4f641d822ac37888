"""The managed list of sections ("News / Metro"), as a part of Store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsdesk.model import normalize_section
from newsdesk.store.errors import StoreError

if TYPE_CHECKING:
    from newsdesk.store.store import Store

SECTION_MAX = 200


def _clean(path: str) -> str:
    section = normalize_section(path)
    if not section:
        raise StoreError("a section needs a name")
    if len(section) > SECTION_MAX or "\x00" in section:
        raise StoreError(f"{section[:40]!r} is not a usable section name")
    return section


class SectionsMixin:
    """Sections of the desk; a story filed in a section not yet listed adds it on save."""

    def sections(self: Store) -> list[str]:
        """All sections, sorted so that each parent comes right before its children."""
        rows = self.db.execute("SELECT path FROM sections").fetchall()
        return sorted(
            (path for (path,) in rows), key=lambda p: [part.casefold() for part in p.split(" / ")]
        )

    def add_section(self: Store, path: str) -> str:
        """Add a section (normalized spacing); returns the name as stored."""
        section = _clean(path)
        with self.transaction():
            self._ensure_section(section)
        return section

    def remove_section(self: Store, path: str) -> None:
        """Remove a section from the list; refused while live stories are filed in it."""
        section = normalize_section(path)
        with self.transaction():
            exact = self.db.execute(
                "SELECT count(*) FROM stories WHERE section = ? AND deleted_at IS NULL",
                [section],
            ).fetchone()[0]
            if exact:
                raise StoreError(
                    f"section {section!r} still holds {exact} "
                    f"stor{'y' if exact == 1 else 'ies'}; move them first"
                )
            if not self.db.execute("SELECT 1 FROM sections WHERE path = ?", [section]).fetchone():
                raise StoreError(f"there is no section {section!r}")
            self.db["sections"].delete(section)

    def rename_section(self: Store, old: str, new: str, actor: str = "") -> int:
        """Rename a section and its sub-sections, re-filing their live stories as new
        revisions (a section is content: approvals follow the content hash). Returns how
        many stories moved."""
        old_name, new_name = normalize_section(old), _clean(new)
        with self.transaction():
            paths = [p for p in self.sections() if p == old_name or p.startswith(old_name + " / ")]
            if not paths:
                raise StoreError(f"there is no section {old_name!r}")
            moved = 0
            for path in paths:
                target = new_name + path[len(old_name) :]
                self.db["sections"].delete(path)
                self._ensure_section(target)
                ids = self.db.execute(
                    "SELECT id FROM stories WHERE section = ? AND deleted_at IS NULL", [path]
                ).fetchall()
                for (story_id,) in ids:
                    story = self.get(story_id)
                    self._save(
                        story.replace(section=target),
                        story.revision,
                        actor,
                        "edited",
                        f"section renamed from {path!r}",
                    )
                    moved += 1
            return moved

    def _ensure_section(self: Store, section: str) -> None:
        if section:
            self.db.execute("INSERT OR IGNORE INTO sections (path) VALUES (?)", [section])
