"""The story list's filters and sorts: WHERE clauses with their parameters, and orders
that each have an index (store/listing.py runs them, store/matching.py adds search)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk.domain.model import STATUSES, normalize_section
from newsdesk.store.errors import StoreError

# What each role has to act on ("waiting for me"): a desk chief reviews what was
# submitted; an editor works on drafts, including those sent back with changes requested.
WAITING_FOR: dict[str, tuple[str, ...]] = {
    "desk_chief": ("in_review",),
    "editor": ("draft",),
}

# Sort key -> SQL expression; each has a partial index ending in updated_at (and rowid),
# so a sort plus its tie-breakers is read straight from an index.
SORTS: dict[str, str] = {
    "slug": "s.slug",
    "headline": "s.headline COLLATE NOCASE",
    "section": "s.section",
    "status": "s.status",
    "editor": "s.editor",
    "updated_at": "s.updated_at",
    "word_count": "s.word_count",
    "created_at": "s.created_at",
    "type": "s.type",
    "deleted_at": "s.deleted_at",  # for the trash
    "rank": "",
}

ROW_COLUMNS = (
    "s.id, s.slug, s.headline, s.section, s.status, s.editor, s.byline, s.updated_at, "
    "s.word_count, s.revision, s.deleted_at, s.created_at, s.type"
)
SORT_INDEXES: dict[str, str] = {
    "slug": "stories_live_slug",
    "headline": "stories_live_headline",
    "section": "stories_live_section",
    "status": "stories_live_status",
    "editor": "stories_live_editor",
    "updated_at": "stories_live_updated",
    "word_count": "stories_live_words",
    "created_at": "stories_live_created",
    "type": "stories_live_type",
}
@dataclass
class Filters:
    status: str | Sequence[str] | None = None
    section: str | None = None
    editor: str | None = None
    query: str | None = None
    waiting_for: str | None = None
    deleted: bool = False
    story_type: str | None = None
    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def build(self, *, ordered: bool = False, sort: str = "") -> Filters:
        """The WHERE clauses and parameters; `ordered` for a page of rows sorted by `sort`."""
        self.clauses = ["s.deleted_at IS NOT NULL" if self.deleted else "s.deleted_at IS NULL"]
        statuses = _statuses(self.status, self.waiting_for)
        if statuses == []:
            self.clauses.append("0")  # a status and a role that have nothing in common
        elif statuses is not None:
            names = [f":status{i}" for i in range(len(statuses))]
            # A status holds a large share of the desk: for a sorted page, walking the
            # sort's index and skipping other statuses beats sorting every row of that
            # status, but SQLite prefers the status index unless `+` hides it.
            column = "+s.status" if ordered else "s.status"
            self.clauses.append(f"{column} IN ({', '.join(names)})")
            self.params.update(zip((n[1:] for n in names), statuses, strict=True))
        section = normalize_section(self.section or "")
        if section:
            # A section shows its sub-sections too: "News" lists "News / Metro".
            # Ranges, not LIKE, so that the section index serves both halves.
            clause = "(s.section = :section OR (s.section >= :sub_from AND s.section < :sub_to))"
            if ordered and sort == "section":
                # The same rows within one range of the section index, which then gives
                # them in the sort's order: the OR alone read both parts and sorted them
                # (a quarter of a million-story desk, 77 ms for a page; issue 23).
                clause = f"s.section >= :section AND s.section < :sub_to AND {clause}"
            self.clauses.append(clause)
            self.params.update(section=section, sub_from=section + " / ", sub_to=section + " /!")
        if self.editor:
            self.clauses.append("s.editor = :editor")
            self.params["editor"] = self.editor
        if self.story_type:
            self.clauses.append("s.type = :story_type")
            self.params["story_type"] = self.story_type.strip().lower()
        return self

    @property
    def narrowed(self) -> bool:
        """Filters other than the trash switch and the query."""
        return bool(
            self.status or self.waiting_for or self.section or self.editor or self.story_type
        )

    @property
    def searching(self) -> bool:
        return bool(self.query and self.query.strip())

    def where(self) -> str:
        return " AND ".join(self.clauses)


def _statuses(status: str | Sequence[str] | None, waiting_for: str | None) -> list[str] | None:
    wanted: set[str] | None = None
    if status:
        wanted = {status} if isinstance(status, str) else set(status)
        unknown = wanted - set(STATUSES)
        if unknown:
            raise StoreError(f"unknown status {sorted(unknown)[0]!r}; one of {', '.join(STATUSES)}")
    if waiting_for is not None:
        if waiting_for not in WAITING_FOR:
            raise StoreError(f"unknown role {waiting_for!r}; one of {', '.join(WAITING_FOR)}")
        roles = set(WAITING_FOR[waiting_for])
        wanted = roles if wanted is None else wanted & roles
    return None if wanted is None else sorted(wanted)


def order_by(sort: str, descending: bool) -> str:
    sort = "updated_at" if sort == "rank" else sort
    keys = [SORTS[sort]]
    if sort not in ("slug", "updated_at", "created_at", "deleted_at"):
        keys.append("s.updated_at")
    keys.append("s.rid")
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{key} {direction}" for key in keys)
