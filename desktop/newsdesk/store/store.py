"""Store: stories, revisions, history, trash, sections and tags in one SQLite file.

The one object the desk and core modules hold: an open Connection (connection.py) and
who works on it (the session). Each concern is a module of plain functions over the
database, which Store calls inside one transaction per write: rows.py (the stories
table), writes.py (saves, status changes, the trash), journal.py (revisions, history),
actions.py (signed workflow actions), sections.py, lookup.py (find by id or slug),
listing.py (the story list and search), duplicates.py (what an import would duplicate);
Store is composed of parts for signed actions (`store.signed`), pictures (`store.media`)
and duplicates (`store.copies`), in store_parts.py.

Every write runs in one `BEGIN IMMEDIATE` transaction, so a second process waits for the
lock (busy timeout) instead of failing, and a reader never sees half a save. Status and
approvals change only through set_status and add_approval, and signed actions through
record_transition and take_arrival; `save` writes the editable fields (writes.py has the
revision rule).

Who a write is recorded as: a method's `actor` is a name, recorded with the key of the
session (`Store.session`, set by the desk from the profile), or an Attribution, which
names the key itself and where name and key come from (a synced file's claim, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from sqlite_utils import Database

# Each by its module path, not through the package: the package's __init__ imports this
# module, so naming the package here would be an import cycle.
import newsdesk.store.journal as journal
import newsdesk.store.listing as listing
import newsdesk.store.lookup as lookup
import newsdesk.store.presence as presence
import newsdesk.store.rows as rows
import newsdesk.store.sections as sections
import newsdesk.store.writes as writes
from newsdesk.domain.model import Approval, Story, utcnow
from newsdesk.store.connection import Connection
from newsdesk.store.errors import StaleRevision
from newsdesk.store.records import (
    Attribution,
    HistoryEvent,
    RevisionInfo,
    Session,
    StatusChange,
    StoryRow,
)
from newsdesk.store.store_parts import Copies, SignedActions, StoredPictures

Statuses = str | Sequence[str] | None


class Store:
    """The database of one desk; `db` is the sqlite_utils.Database for core modules."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.presence = presence.Presence(connection.path)
        self.session = Session()
        self.signed = SignedActions(self)
        self.media = StoredPictures(self)
        self.copies = Copies(self)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open or create the database at `path`, migrating it to the current schema."""
        return cls(Connection(Path(path).expanduser()))

    @property
    def db(self) -> Database:
        return self.connection.db

    @property
    def path(self) -> Path:
        return self.connection.path

    def close(self) -> None:
        self.connection.close()
        self.presence.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_current_file(self) -> None:
        """Before each write and each read of the list: see Connection.ensure_current_file."""
        self.connection.ensure_current_file()

    def transaction(self) -> AbstractContextManager[Database]:
        """One write transaction; nested use becomes a savepoint (Connection.transaction)."""
        return self.connection.transaction()

    def who(self, actor: str | Attribution) -> Attribution:
        """`actor` as recorded: a plain name is this session's, with its key."""
        if isinstance(actor, Attribution):
            return actor
        return Attribution(actor, self.session.key())

    # -- reading ------------------------------------------------------------------------

    def get(self, id: str) -> Story:
        """The story with this id, live or in the trash; NotFound if there is none."""
        self.ensure_current_file()
        return rows.story(self.db, id)

    def find(self, ref: str, *, deleted: bool = False) -> Story:
        """A live story (or, with deleted=True, a trashed one) by id, id prefix or slug."""
        self.ensure_current_file()
        return lookup.find(self.db, ref, deleted=deleted)

    def slug_owner(self, slug: str) -> str | None:
        """The id of the live story that uses `slug`, if any."""
        return lookup.slug_owner(self.db, slug)

    def list_rows(
        self, *, status: Statuses = None, section: str | None = None, editor: str | None = None,
        query: str | None = None, waiting_for: str | None = None, sort: str = "updated_at",
        descending: bool = True, limit: int = 100, offset: int = 0, deleted: bool = False,
        story_type: str | None = None,
    ) -> list[StoryRow]:
        """A page of the story list. `sort="rank"` orders a query by relevance;
        `deleted=True` lists the trash instead of live stories; `waiting_for` takes a role
        (see listing.WAITING_FOR); `story_type` keeps the stories of one type."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, query, waiting_for, deleted, story_type)
        return listing.select_rows(self.db, filters, sort, descending, limit, offset)

    def count(
        self, *, status: Statuses = None, section: str | None = None, editor: str | None = None,
        query: str | None = None, waiting_for: str | None = None, deleted: bool = False,
        story_type: str | None = None,
    ) -> int:
        """How many stories list_rows would list with these filters."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, query, waiting_for, deleted, story_type)
        return listing.count_rows(self.db, filters)

    def status_counts(
        self, *, status: Statuses = None, section: str | None = None, editor: str | None = None,
        query: str | None = None, waiting_for: str | None = None, deleted: bool = False,
        story_type: str | None = None,
    ) -> dict[str, int]:
        """Stories per status (every status present, zero if none) under the filters."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, query, waiting_for, deleted, story_type)
        return listing.count_by_status(self.db, filters)

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        """Live stories matching `query`, best first; any text is safe (see listing)."""
        if not query.strip():
            return []
        return self.list_rows(query=query, sort="rank", limit=limit, offset=offset)

    def list_all(
        self, *, status: Statuses = None, section: str | None = None, editor: str | None = None,
        story_type: str | None = None,
    ) -> Iterator[StoryRow]:
        """Every live story under these filters, as list_rows pages through them (newest
        first), from one query read a batch at a time: pages skip ever more rows."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, story_type=story_type)
        return listing.stream_rows(self.db, filters, "updated_at", True)

    def search_all(self, query: str) -> Iterator[StoryRow]:
        """Every live story matching `query`, best first (as search pages through them),
        from one query read a batch at a time (listing.stream_rows)."""
        if not query.strip():
            return iter(())
        self.ensure_current_file()
        filters = listing.Filters(query=query)
        return listing.stream_rows(self.db, filters, "rank", True)

    def list_all_printed(
        self, *, status: Statuses = None, section: str | None = None, story_type: str | None = None,
    ) -> Iterator[tuple]:
        """list_all's stories as the values `list --json` prints (listing.PRINTED)."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, story_type=story_type)
        return listing.stream_printed(self.db, filters, "updated_at", True)

    def search_all_printed(self, query: str) -> Iterator[tuple]:
        """search_all's stories as the values `search --json` prints (listing.PRINTED)."""
        if not query.strip():
            return iter(())
        self.ensure_current_file()
        return listing.stream_printed(self.db, listing.Filters(query=query), "rank", True)

    def tags(self, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        """Tags of live stories with how many use each, most used first (lookup.tags)."""
        return lookup.tags(self.db, prefix, limit)

    def revisions(self, id: str) -> list[RevisionInfo]:
        """Every saved revision of a story, oldest first."""
        return journal.revisions(self.db, id)

    def revision(self, id: str, n: int) -> Story:
        """The story as it was saved at revision `n` (status and approvals of that time)."""
        return journal.revision(self.db, id, n)

    def history(self, id: str) -> list[HistoryEvent]:
        """What happened to a story, oldest first."""
        return journal.history(self.db, id)

    def sections(self) -> list[str]:
        """All sections, sorted so that each parent comes right before its children."""
        return sections.sections(self.db)

    def add_section(self, path: str) -> str:
        """Add a section (normalized spacing); returns the name as stored."""
        section = sections.clean(path)
        with self.transaction():
            rows.ensure_section(self.db, section)
        return section

    def remove_section(self, path: str) -> None:
        """Remove a section from the list; refused while live stories are filed in it."""
        with self.transaction():
            sections.remove_section(self.db, path)

    def rename_section(self, old: str, new: str, actor: str = "") -> int:
        """Rename a section and its sub-sections, re-filing their live stories as new
        revisions; returns how many stories moved (sections.rename_section)."""
        with self.transaction():
            return sections.rename_section(self.db, old, new, self.who(actor))

    # -- writing ------------------------------------------------------------------------

    def insert(self, story: Story, actor: str | Attribution = "") -> Story:
        """Add a new story; history 'created'. See writes.py for revisions."""
        who = self.who(actor)
        story = writes.prepare_new(story, who, utcnow())
        with self.transaction():
            writes.insert(self.db, story, who)
            return self.get(story.id)

    def bulk_insert(self, stories: Iterable[Story], actor: str | Attribution = "") -> int:
        """Insert many new stories in one transaction (seeding, benchmarks); see
        insert_many. Returns how many."""
        return len(self.insert_many(stories, actor))

    def insert_many(self, stories: Iterable[Story], actor: str | Attribution = "") -> list[Story]:
        """Insert many new stories in one transaction, batched (imports, seeding): the same
        rules and records as insert, all or none. Returns the stories as stored."""
        now, who = utcnow(), self.who(actor)
        prepared = [writes.prepare_new(story, who, now) for story in stories]
        writes.check_batch_slugs(prepared)
        with self.transaction():
            for start in range(0, len(prepared), rows.BATCH):
                writes.insert_batch(self.db, prepared[start : start + rows.BATCH], who)
        self.connection.checkpoint()
        return prepared

    def save(self, story: Story, expected_revision: int, actor: str | Attribution = "") -> Story:
        """Save the editable fields of `story` over revision `expected_revision`."""
        with self.transaction():
            return writes.save(self.db, story, expected_revision, self.who(actor), "edited", "")

    def change_slug(
        self, id: str, slug: str, *, expected_revision: int, actor: str | Attribution = "",
        author: Attribution | None = None, note: str = "",
    ) -> Story:
        """A new revision with `slug` (history 'slug_changed'); refused (SlugTaken) if
        another live story uses it. The old slug stays in the earlier revisions, where
        exports find a story's former names (publish_index.former_names: Hugo aliases).
        Works on a story in the trash too (the sync moves one off a slug taken meanwhile
        before bringing it back). `author` is who the revision is credited to (default
        `actor`): a rename made by the sync keeps the last editor's name."""
        current = self.get(id)
        note = note or f"slug changed from {current.slug} to {slug}"
        with self.transaction():
            return writes.save(
                self.db, current.replace(slug=slug), expected_revision, self.who(actor),
                "slug_changed", note, author=author, live=False,
            )

    def restore_revision(
        self, id: str, n: int, *, expected_revision: int, actor: str | Attribution = ""
    ) -> Story:
        """Make the text of revision `n` the newest revision (history 'reverted')."""
        old = self.revision(id, n)
        with self.transaction():
            return writes.save(
                self.db, old, expected_revision, self.who(actor), "reverted", f"to revision {n}"
            )

    def set_status(
        self, id: str, status: str, *, expected_revision: int, actor: str | Attribution,
        action: str, note: str = "",
    ) -> Story:
        """Move a story to `status` (the workflow decides whether it may); no new revision."""
        rows.check_status(status)
        with self.transaction():
            current = rows.live_story(self.db, id)
            if current.revision != expected_revision:
                raise StaleRevision(current, expected_revision)
            change = StatusChange(id, current.revision, current.status, status, action, note)
            writes.move_many(self.db, [change], self.who(actor))
            return self.get(id)

    def add_approval(self, id: str, approval: Approval) -> Story:
        """Append an approval to the story's approvals (the workflow signs and checks it)."""
        with self.transaction():
            writes.add_approval(self.db, id, approval)
            return self.get(id)

    def delete(self, id: str, actor: str | Attribution = "") -> Story:
        """Move a story to the trash; it leaves list, search and find. Idempotent."""
        with self.transaction():
            writes.trash(self.db, id, self.who(actor))
            return self.get(id)

    def undelete(self, id: str, actor: str | Attribution = "") -> Story:
        """Bring a story back from the trash; refused if a live story took its slug."""
        with self.transaction():
            writes.untrash(self.db, id, self.who(actor))
            return self.get(id)

    def purge(self, id: str) -> None:
        """Remove a trashed story for good, with its revisions and history."""
        with self.transaction():
            writes.purge(self.db, id)

    def record_event(
        self, id: str, action: str, actor: str | Attribution, note: str = "",
        revision: int | None = None,
    ) -> None:
        """Add an event to a story's history (exports, sync, workflow notes)."""
        with self.transaction():
            number = self.get(id).revision if revision is None else revision
            journal.add_event(self.db, id, action, self.who(actor), number, note)
