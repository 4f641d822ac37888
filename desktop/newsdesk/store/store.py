"""Store: stories, revisions, history, trash, sections and tags in one SQLite file.

Every write runs in one `BEGIN IMMEDIATE` transaction (Store.transaction), so a second
process waits for the lock (busy timeout) instead of failing, and a reader never sees half
a save. Revision rule: `insert` of a new story (revision 0) stores revision 1; a story that
already carries a revision (imported from a sync folder or a Markdown file) keeps its
revision, timestamps and modified_by. `save` writes the editable fields (and extra keys);
status and approvals change only through set_status and add_approval, and signed actions
through record_transition and take_arrival (actions.py).

Who a write is recorded as: a method's `actor` is a name, recorded with the key of the
session (`Store.session`, set by the desk from the profile), or an Attribution, which
names the key itself and where name and key come from (a synced file's claim, say).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

# Each by its module path, not through the package: the package's __init__ imports this
# module, so naming the package here would be an import cycle.
import newsdesk.store.actions as actions
import newsdesk.store.duplicates as duplicates
import newsdesk.store.journal as journal
import newsdesk.store.listing as listing
import newsdesk.store.presence as presence
import newsdesk.store.sections as sections
from newsdesk.model import (
    EDITABLE_FIELDS,
    ID_RE,
    STATUSES,
    Approval,
    Story,
    ValidationError,
    check_valid,
    normalize_section,
    utcnow,
)
from newsdesk.store.codec import (
    row_to_story,
    story_to_row,
    utc_text,
)
from newsdesk.store.errors import NotFound, SlugTaken, StaleRevision, StoreError
from newsdesk.store.records import Attribution, Session, StatusChange, StoryRow
from newsdesk.store.schema import connect

_PREFIX_RE = re.compile(r"^[0-9a-f-]{6,36}$")
_BULK_BATCH = 500


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (device and inode), or None when there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def check_status(status: str) -> None:
    """ValidationError unless `status` is one of STATUSES."""
    if status not in STATUSES:
        raise ValidationError({"status": f"{status!r} is not one of {', '.join(STATUSES)}"})


class Store(
    journal.JournalMixin,
    actions.ActionsMixin,
    sections.SectionsMixin,
    duplicates.DuplicatesMixin,
):
    """The database of one desk; `db` is the sqlite_utils.Database for core modules."""

    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path
        self._depth = 0  # how deep in Store.transaction this connection is
        self._files = _identity(path), _identity(_wal(path))
        self.presence = presence.Presence(path)
        self.session = Session()

    def who(self, actor: str | Attribution) -> Attribution:
        """`actor` as recorded: a plain name is this session's, with its key."""
        if isinstance(actor, Attribution):
            return actor
        return Attribution(actor, self.session.key())

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open or create the database at `path`, migrating it to the current schema."""
        path = Path(path).expanduser()
        return cls(connect(path), path)

    def close(self) -> None:
        # No ANALYZE / PRAGMA optimize here: measured at 100,000 stories, the statistics
        # lead SQLite to sort whole statuses and to count without an index, where the
        # plans chosen without them (see listing) answer in milliseconds.
        self.db.close()
        self.presence.close()

    def ensure_current_file(self) -> None:
        """Make sure this connection still writes the file at `path`, before each write
        and each read of the list.

        A restore from a backup (another process) puts a new file in place: the
        connection is reopened on it, so a save based on a revision the restored file
        does not have meets StaleRevision (the conflict path) instead of going into the
        replaced file, where nobody would ever see it. A write-ahead log deleted from
        under this connection holds its latest saves: they are written into the database
        at once (a checkpoint through the log this connection still has open), then the
        connection is reopened so that it and other processes share one log again.
        """
        database, wal = _identity(self.path), _identity(_wal(self.path))
        if (database, wal) == self._files or self._depth:
            return
        if database is None:
            raise StoreError(
                f"the database file {self.path} was removed while Newsdesk had it open; "
                "nothing was changed (quit Newsdesk: it writes what it holds back as it closes)"
            )
        if database == self._files[0]:
            try:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise StoreError(
                    f"the write-ahead log of {self.path} was removed while Newsdesk had it "
                    f"open and its saves could not be written back ({exc}); quit every "
                    "Newsdesk on this database, then open it again. Do not restore a backup: "
                    "this process holds the latest saves"
                ) from None
        self.db.close()
        self.db = connect(self.path)
        self._files = _identity(self.path), _identity(_wal(self.path))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One write transaction; nested use becomes a savepoint of the outer one.

        Only this method begins and commits (connections are in autocommit mode, see
        schema.connect). A transaction it did not open is a bug that would swallow every
        later write, so it is refused with a StoreError instead of nested into.
        """
        conn = self.db.conn
        if self._depth:
            self._depth += 1
            try:
                with self.db.atomic():
                    yield self.db
            finally:
                self._depth -= 1
            return
        if conn.in_transaction:
            raise StoreError(
                "internal error: a transaction was left open on the database connection; "
                "nothing was written (please report this)"
            )
        self.ensure_current_file()
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"the database is busy or cannot be written ({exc}); nothing was changed, try again"
            ) from None
        self._depth = 1
        try:
            yield self.db
            conn.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            self.db.rollback()
            raise StoreError(
                f"the change breaks a rule of the database ({exc}); nothing was changed"
            ) from None
        except sqlite3.Error as exc:
            self.db.rollback()
            raise StoreError(f"could not write the database ({exc}); nothing was changed") from None
        except BaseException:
            self.db.rollback()
            raise
        finally:
            self._depth = 0

    # -- reading ------------------------------------------------------------------------

    def get(self, id: str) -> Story:
        """The story with this id, live or in the trash; NotFound if there is none."""
        self.ensure_current_file()
        return row_to_story(self._row(id))

    def find(self, ref: str, *, deleted: bool = False) -> Story:
        """A live story (or, with deleted=True, a trashed one) by id, id prefix or slug."""
        self.ensure_current_file()
        ref = ref.strip()
        trash = "IS NOT NULL" if deleted else "IS NULL"
        if ID_RE.match(ref.lower()):
            rows = self._rows(
                f"SELECT * FROM stories WHERE id = ? AND deleted_at {trash}", [ref.lower()]
            )
            if rows:
                return row_to_story(rows[0])
        rows = self._rows(
            f"SELECT * FROM stories WHERE slug = ? AND deleted_at {trash} "
            "ORDER BY deleted_at DESC LIMIT 1",
            [ref],
        )
        if rows:
            return row_to_story(rows[0])
        prefix = ref.lower()
        if _PREFIX_RE.match(prefix):
            rows = self._rows(
                f"SELECT * FROM stories WHERE id >= ? AND id < ? AND deleted_at {trash} LIMIT 2",
                [prefix, prefix + "~"],
            )
            if len(rows) > 1:
                raise StoreError(f"{ref!r} matches more than one story; give more of the id")
            if rows:
                return row_to_story(rows[0])
        where = "in the trash" if deleted else "among live stories"
        raise NotFound(f"no story {ref!r} {where} (give an id, an id prefix or a slug)")

    def slug_owner(self, slug: str) -> str | None:
        """The id of the live story that uses `slug`, if any."""
        row = self.db.execute(
            "SELECT id FROM stories WHERE slug = ? AND deleted_at IS NULL", [slug]
        ).fetchone()
        return row[0] if row else None

    def list_rows(
        self,
        *,
        status: str | Sequence[str] | None = None,
        section: str | None = None,
        editor: str | None = None,
        query: str | None = None,
        waiting_for: str | None = None,
        sort: str = "updated_at",
        descending: bool = True,
        limit: int = 100,
        offset: int = 0,
        deleted: bool = False,
    ) -> list[StoryRow]:
        """A page of the story list. `sort="rank"` orders a query by relevance;
        `deleted=True` lists the trash instead of live stories; `waiting_for` takes a role
        (see listing.WAITING_FOR)."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, query, waiting_for, deleted)
        return listing.select_rows(self.db, filters, sort, descending, limit, offset)

    def count(
        self,
        *,
        status: str | Sequence[str] | None = None,
        section: str | None = None,
        editor: str | None = None,
        query: str | None = None,
        waiting_for: str | None = None,
        deleted: bool = False,
    ) -> int:
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, query, waiting_for, deleted)
        return listing.count_rows(self.db, filters)

    def status_counts(
        self,
        *,
        status: str | Sequence[str] | None = None,
        section: str | None = None,
        editor: str | None = None,
        query: str | None = None,
        waiting_for: str | None = None,
        deleted: bool = False,
    ) -> dict[str, int]:
        """Stories per status (every status present, zero if none) under the filters."""
        self.ensure_current_file()
        filters = listing.Filters(status, section, editor, query, waiting_for, deleted)
        return listing.count_by_status(self.db, filters)

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        """Live stories matching `query`, best first; any text is safe (see listing)."""
        if not query.strip():
            return []
        return self.list_rows(query=query, sort="rank", limit=limit, offset=offset)

    def tags(self, prefix: str = "", limit: int | None = None) -> list[tuple[str, int]]:
        """Tags of live stories with how many use each, most used first; `prefix`
        (case-insensitive) narrows it for completion."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.db.execute(
            "SELECT tag, n FROM tag_counts WHERE tag LIKE ? ESCAPE '\\' "
            "ORDER BY n DESC, tag LIMIT ?",
            [escaped + "%", -1 if limit is None else limit],
        ).fetchall()
        return [(tag, n) for tag, n in rows]

    # -- writing ------------------------------------------------------------------------

    def insert(self, story: Story, actor: str | Attribution = "") -> Story:
        """Add a new story; history 'created'. See the module docstring for revisions."""
        who = self.who(actor)
        story = self._prepare_new(story, who, utcnow())
        with self.transaction():
            if self._rows("SELECT 1 FROM stories WHERE id = ?", [story.id]):
                raise StoreError(f"a story with id {story.id} already exists")
            self._check_slug(story.slug, story.id)
            self._ensure_section(story.section)
            row = story_to_row(story)
            self._insert_row("stories", {**row, "change_seq": self._next_seq()})
            self._write_revision(row, who.origin)
            self._event(story.id, "created", who, story.revision, to_status=story.status)
            return self.get(story.id)

    def bulk_insert(self, stories: Iterable[Story], actor: str | Attribution = "") -> int:
        """Insert many new stories in one transaction (seeding, benchmarks); see
        insert_many. Returns how many."""
        return len(self.insert_many(stories, actor))

    def insert_many(self, stories: Iterable[Story], actor: str | Attribution = "") -> list[Story]:
        """Insert many new stories in one transaction, batched (imports, seeding): the same
        rules and records as insert, all or none. Returns the stories as stored."""
        now = utcnow()
        who = self.who(actor)
        prepared = [self._prepare_new(story, who, now) for story in stories]
        slugs: dict[str, str] = {}
        for story in prepared:
            if story.slug in slugs:
                raise SlugTaken(story.slug, slugs[story.slug], "another story in this batch")
            slugs[story.slug] = story.id
        with self.transaction():
            for start in range(0, len(prepared), _BULK_BATCH):
                batch = prepared[start : start + _BULK_BATCH]
                self._check_batch(batch)
                for section in {s.section for s in batch}:
                    self._ensure_section(section)
                seq = self._next_seq()
                rows = [story_to_row(s) for s in batch]
                self._insert_rows("stories", [{**row, "change_seq": seq} for row in rows])
                self._insert_rows(
                    "revisions", [self._revision_row(row, who.origin) for row in rows]
                )
                self._insert_rows("history", [
                    self._event_row(s.id, "created", who, s.revision, to_status=s.status)
                    for s in batch
                ])
        # One big transaction grows the write-ahead log to the size of what it wrote.
        if not self._depth:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return prepared

    def save(self, story: Story, expected_revision: int, actor: str | Attribution = "") -> Story:
        """Save the editable fields of `story` over revision `expected_revision`."""
        return self._save(story, expected_revision, actor, "edited", "")

    def change_slug(
        self,
        id: str,
        slug: str,
        *,
        expected_revision: int,
        actor: str | Attribution = "",
        author: Attribution | None = None,
        note: str = "",
    ) -> Story:
        """A new revision with `slug` (history 'slug_changed'); refused (SlugTaken) if
        another live story uses it. The old slug stays in the earlier revisions, where
        exports find a story's former names (publish_index.former_names: Hugo aliases).
        Works on a story in the trash too (the sync moves one off a slug taken meanwhile
        before bringing it back). `author` is who the revision is credited to (default
        `actor`): a rename made by the sync keeps the last editor's name."""
        current = self.get(id)
        note = note or f"slug changed from {current.slug} to {slug}"
        changed = current.replace(slug=slug)
        return self._save(
            changed, expected_revision, actor, "slug_changed", note, author=author, live=False
        )

    def restore_revision(
        self, id: str, n: int, *, expected_revision: int, actor: str | Attribution = ""
    ) -> Story:
        """Make the text of revision `n` the newest revision (history 'reverted')."""
        old = self.revision(id, n)
        return self._save(old, expected_revision, actor, "reverted", f"to revision {n}")

    def set_status(
        self,
        id: str,
        status: str,
        *,
        expected_revision: int,
        actor: str | Attribution,
        action: str,
        note: str = "",
    ) -> Story:
        """Move a story to `status` (the workflow decides whether it may); no new revision."""
        check_status(status)
        with self.transaction():
            current = self._live(id)
            if current.revision != expected_revision:
                raise StaleRevision(current, expected_revision)
            self._move_many(
                [StatusChange(id, current.revision, current.status, status, action, note)], actor
            )
            return self.get(id)

    def _move_many(self, changes: Sequence[StatusChange], actor: str | Attribution) -> None:
        """The row updates and history events of status changes (caller's transaction),
        one statement for each table: an export marks thousands of stories published. A
        change's signed action is appended to the story's actions, and the event is
        recorded as its signer's."""
        if not changes:
            return
        first = self._next_seq(len(changes)) - len(changes) + 1
        at = utc_text(utcnow())
        self.db.conn.executemany(
            "UPDATE stories SET status = ?1, updated_at = ?2, change_seq = ?3, "
            "actions = CASE WHEN ?5 IS NULL THEN actions "
            "ELSE json_insert(actions, '$[#]', json(?5)) END WHERE id = ?4",
            [
                (c.to_status, at, first + n, c.id, actions.record_json(c.record))
                for n, c in enumerate(changes)
            ],
        )
        who = self.who(actor)
        self._insert_rows("history", [
            self._event_row(
                c.id, c.action, actions.signer(c.record) if c.record else who, c.revision,
                c.note, c.from_status, c.to_status,
            )
            for c in changes
        ])

    def add_approval(self, id: str, approval: Approval) -> Story:
        """Append an approval to the story's approvals (the workflow signs and checks it)."""
        with self.transaction():
            current = self._live(id)
            approvals = story_to_row(current.replace(approvals=(*current.approvals, approval)))
            self._update(id, approvals=approvals["approvals"])
            return self.get(id)

    def delete(self, id: str, actor: str | Attribution = "") -> Story:
        """Move a story to the trash; it leaves list, search and find. Idempotent."""
        with self.transaction():
            row = self._row(id)
            if row["deleted_at"] is None:
                # Full precision: the trash lists by time of deletion, several a second.
                self._update(id, deleted_at=utc_text(datetime.now(UTC)))
                self._event(id, "deleted", self.who(actor), row["revision"])
            return self.get(id)

    def undelete(self, id: str, actor: str | Attribution = "") -> Story:
        """Bring a story back from the trash; refused if a live story took its slug."""
        with self.transaction():
            row = self._row(id)
            if row["deleted_at"] is not None:
                self._check_slug(row["slug"], id)
                self._ensure_section(row["section"] or "")
                self._update(id, deleted_at=None)
                self._event(id, "undeleted", self.who(actor), row["revision"])
            return self.get(id)

    def purge(self, id: str) -> None:
        """Remove a trashed story for good, with its revisions and history."""
        with self.transaction():
            row = self._row(id)
            if row["deleted_at"] is None:
                raise StoreError(f"story {row['slug']!r} is not in the trash; delete it first")
            self.db["purged"].upsert(
                {"id": id, "slug": row["slug"], "purged_at": utc_text(utcnow())}, pk="id"
            )
            self.db["stories"].delete(row["rid"])

    # -- internals ----------------------------------------------------------------------

    def _save(
        self,
        story: Story,
        expected: int,
        actor: str | Attribution,
        action: str,
        note: str,
        *,
        author: Attribution | None = None,
        live: bool = True,
    ) -> Story:
        who = self.who(actor)
        credited = author or who
        with self.transaction():
            current = self._live(story.id) if live else self.get(story.id)
            if current.revision != expected:
                raise StaleRevision(current, expected)
            edits: dict[str, Any] = {name: getattr(story, name) for name in EDITABLE_FIELDS}
            edits["section"] = normalize_section(story.section)
            candidate = check_valid(current.replace(**edits, extra=dict(story.extra)))
            if candidate.editable() == current.editable() and candidate.extra == current.extra:
                return current
            if candidate.slug != current.slug:
                self._check_slug(candidate.slug, candidate.id)
            self._ensure_section(candidate.section)
            saved = candidate.replace(
                revision=current.revision + 1,
                updated_at=utcnow(),
                modified_by=credited.name,
                modified_key=credited.key,
            )
            row = story_to_row(saved)
            self._write_revision(row, who.origin)
            del row["id"]
            self._update(saved.id, **row)
            self._event(saved.id, action, who, saved.revision, note)
            return self.get(saved.id)

    def _prepare_new(self, story: Story, who: Attribution, now: Any) -> Story:
        if story.revision > 0:
            if not story.modified_by:
                story = story.replace(modified_by=who.name, modified_key=who.key)
        else:
            story = story.replace(
                revision=1, updated_at=now, modified_by=who.name, modified_key=who.key
            )
        return check_valid(story.replace(section=normalize_section(story.section)))

    def _rows(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _row(self, id: str) -> dict[str, Any]:
        rows = self._rows("SELECT * FROM stories WHERE id = ?", [id])
        if not rows:
            raise NotFound(f"no story with id {id!r}")
        return rows[0]

    def _live(self, id: str) -> Story:
        row = self._row(id)
        if row["deleted_at"] is not None:
            raise StoreError(f"story {row['slug']!r} is in the trash; restore it first")
        return row_to_story(row)

    def _update(self, id: str, **columns: Any) -> None:
        columns["change_seq"] = self._next_seq()
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        self.db.execute(f"UPDATE stories SET {assignments} WHERE id = :id", {**columns, "id": id})

    def _insert_row(self, table: str, row: dict[str, Any], conflict: str = "") -> None:
        """One row by plain SQL: sqlite-utils' insert reads the schema on every call, which
        cost more than the write itself on the save and import paths. `conflict` is an
        ON CONFLICT clause."""
        columns = ", ".join(f'"{name}"' for name in row)
        marks = ", ".join(f":{name}" for name in row)
        self.db.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks}) {conflict}', row)

    def _insert_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Rows that share the keys of the first, many to a statement (plain SQL, as in
        _insert_row). Full-text search writes out what it holds pending at the start of
        every statement: one statement per row (executemany too) made inserting stories
        take 2.5 times as long, measured at 100,000 stories."""
        if not rows:
            return
        names = list(rows[0])
        columns = ", ".join(f'"{name}"' for name in names)
        one = "(" + ", ".join("?" * len(names)) + ")"
        limit = self.db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_statement = max(1, min(_BULK_BATCH, limit // len(names)))
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            self.db.execute(
                f'INSERT INTO "{table}" ({columns}) VALUES {", ".join([one] * len(part))}',
                [row[name] for row in part for name in names],
            )

    def _next_seq(self, count: int = 1) -> int:
        """A counter bumped by every change, so a sync can ask for what changed since;
        `count` numbers are taken at once, and the last is returned."""
        return self.db.execute(
            "UPDATE meta SET value = value + ? WHERE key = 'change_seq' RETURNING value",
            [count],
        ).fetchone()[0]

    def _check_slug(self, slug: str, id: str) -> None:
        rows = self._rows(
            "SELECT id, headline FROM stories WHERE slug = ? AND deleted_at IS NULL AND id != ?",
            [slug, id],
        )
        if rows:
            raise SlugTaken(slug, rows[0]["id"], rows[0]["headline"])

    def _check_batch(self, batch: list[Story]) -> None:
        marks = ", ".join("?" * len(batch))
        taken = self._rows(
            f"SELECT id, slug, headline FROM stories WHERE slug IN ({marks}) "
            "AND deleted_at IS NULL",
            [s.slug for s in batch],
        )
        if taken:
            raise SlugTaken(taken[0]["slug"], taken[0]["id"], taken[0]["headline"])
        clash = self._rows(f"SELECT id FROM stories WHERE id IN ({marks})", [s.id for s in batch])
        if clash:
            raise StoreError(f"a story with id {clash[0]['id']} already exists")
