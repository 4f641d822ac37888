"""The Desk's incoming wire queue: receive items, list them, take one, merge agency updates.

Ingested items are wire items, not drafts (issue 22): they wait in the queue (the
store's wire_items) until an editor takes one; the draft a take makes is linked to the
item both ways (the story's extra "wire" guid, the item's story id). A newer version of a
taken item marks it 'updated'; `agency_update` shows what the agency changed and the
three-way merge into the draft, `merge_update` saves it (never over a clash unseen).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import newsdesk.desk.wire_journal as journal
import newsdesk.store.wire_queue as queue
from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext, Progress
from newsdesk.desk.wire_journal import Handled
from newsdesk.domain.model import NewsdeskError, Story, free_slug, slug_base, utcnow
from newsdesk.domain.times import format_datetime
from newsdesk.formats.wire_item import WireItem
from newsdesk.formats.wire_json import item_from_json, item_to_json
from newsdesk.store import NotFound, Store
from newsdesk.store.wire_queue import NewEntry, WireRow
from newsdesk.wire.arrival import Arrival, Arrivals, Known, plan
from newsdesk.wire.update import AgencyUpdate, Prefer, agency_update, merged

__all__ = ["Arrivals", "IngestReport", "WireDesk", "WireError", "WireRow"]


class WireError(NewsdeskError):
    """A wire queue action that cannot be done as asked; nothing was changed."""


@dataclass
class IngestReport:
    """What `ingest_paths` did: the items' decisions, the files ingested, those refused
    (with the reason) and those met again (their bytes already in the journal)."""

    arrivals: Arrivals = field(default_factory=Arrivals)
    files: int = 0
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    again: list[Path] = field(default_factory=list)


class WireDesk:
    """The queue of one open desk, a service of Desk (`desk.wire`): every change it makes
    is told to the desk's subscribers (Changes with `wire` set)."""

    def __init__(self, context: DeskContext) -> None:
        self._c = context

    @property
    def store(self) -> Store:
        return self._c.store  # replaced when a backup is restored: read it each time

    @property
    def actor(self) -> str:
        return self._c.actor

    # -- receiving ---------------------------------------------------------------------

    def receive(self, items: Sequence[WireItem], received_at: datetime | None = None) -> Arrivals:
        """Put a burst of checked items in the queue, in one transaction."""
        with self.store.transaction():
            counts = self.put(items, received_at)
        self._c.notify(Changes(wire=True))
        return counts

    def put(self, items: Sequence[WireItem], received_at: datetime | None = None) -> Arrivals:
        """`receive` inside the caller's transaction, telling nobody yet (the file journal
        records its files in the same transaction, and tells after the commit)."""
        at = format_datetime(received_at or utcnow())
        counts = Arrivals()
        with self.store.transaction() as db:
            known = {guid: Known(version, state == "duplicate")
                     for guid, (version, state) in queue.known(db, (i.guid for i in items)).items()}
            twins = queue.twins(db, (item.fingerprint for item in items))
            inserts: dict[str, NewEntry] = {}
            updates: dict[str, NewEntry] = {}
            for arrival in plan(items, known, twins):
                counts.count(arrival.decision)
                entry = _entry(arrival, at)
                if arrival.decision in ("new", "duplicate"):
                    inserts[entry.guid] = entry
                elif arrival.decision == "update" and entry.guid in inserts:
                    # An update of an item new in this same burst is folded into its insert.
                    old = inserts[entry.guid]
                    inserts[entry.guid] = replace(entry, state=old.state,
                                                  duplicate_of=old.duplicate_of)
                elif arrival.decision == "update":
                    updates[entry.guid] = entry
            queue.insert(db, list(inserts.values()))
            queue.update(db, list(updates.values()))
        return counts

    def batches(self, files: Sequence[tuple[Path, str]], progress: Progress | None = None
                ) -> Iterator[tuple[Arrivals, list[Handled]]]:
        """Files ((path, name) each) through the file journal (desk/wire_journal.py), a
        batch per transaction; each batch is told after its commit."""
        for done in journal.batches(self.store, self.put, files, progress):
            self._c.notify(Changes(wire=True))
            yield done

    def ingest_paths(self, paths: Iterable[str | Path], progress: Progress | None = None
                     ) -> IngestReport:
        """Read wire files of any format into the queue through the file journal: a file
        whose bytes were ingested before (an earlier run, one killed midway) is only
        reported as met again; a file that cannot be read is listed with its reason."""
        report = IngestReport()
        files = [(Path(p), str(p)) for p in paths]
        for arrivals, handled in self.batches(files, progress):
            report.arrivals.add(arrivals)
            for one in handled:
                if one.again:
                    report.again.append(one.read.path)
                if one.outcome == "rejected":
                    report.rejected.append((one.read.path, one.reason))
                elif not one.again:
                    report.files += 1
        return report

    # -- reading -----------------------------------------------------------------------

    def rows(self, *, query: str = "", duplicates: bool = False, limit: int = 100,
             offset: int = 0) -> list[WireRow]:
        return queue.select(self.store.db, query=query, duplicates=duplicates, limit=limit,
                            offset=offset)

    def count(self, *, query: str = "", duplicates: bool = False) -> int:
        return queue.count(self.store.db, query=query, duplicates=duplicates)

    def row(self, ref: str) -> WireRow:
        """An entry by its number or guid, or the entry a story (id or slug) was taken from."""
        try:
            return queue.row(self.store.db, ref)
        except NotFound:
            try:
                story = self.store.find(ref)
            except NotFound:
                raise WireError(f"no wire item {ref!r} in the queue, and no story of that id or "
                                "slug (see `newsdesk wire list`)") from None
            found = queue.row_of_story(self.store.db, story.id)
            if found is None:
                raise WireError(f"'{story.slug}' was not taken from the wire queue") from None
            return found

    def item(self, row: WireRow) -> WireItem:
        """The newest version received of an entry."""
        return item_from_json(queue.items(self.store.db, row.guid)[0])

    def copies(self, row: WireRow) -> list[tuple[str, str]]:
        return queue.copies(self.store.db, row.guid)

    # -- taking and updates ------------------------------------------------------------

    def take(self, ref: str) -> Story:
        """A draft from the entry, its editor whoever takes it, linked both ways."""
        row = self.row(ref)
        if row.story_id:
            raise WireError(f"wire item {row.rid} was already taken by {row.taken_by or 'someone'}"
                            f" ({self._slug(row.story_id)})")
        text = queue.items(self.store.db, row.guid)[0]
        draft = item_from_json(text).to_story().replace(editor=self.actor)
        new_section = self._c.section_is_new(draft.section)
        with self.store.transaction() as db:
            taken = self.store.copies.taken_slugs([slug_base(draft.slug)])
            draft = draft.replace(slug=free_slug(draft.slug, taken.__contains__))
            if draft.section:
                self.store.add_section(draft.section)
            story = self.store.insert(draft, actor=self.actor)
            queue.mark_taken(db, row.guid, story_id=story.id, version=row.version, item=text,
                             by=self.actor, at=format_datetime(utcnow()))
        self._c.notify(Changes.of(created=[story.id], sections=new_section, wire=True))
        return story

    def pending_update(self, story_id: str) -> WireRow | None:
        """The entry a story was taken from, when the agency has sent a newer version of
        it that is not merged yet (None otherwise: not from the wire, or up to date)."""
        row = queue.row_of_story(self.store.db, story_id)
        return row if row is not None and row.state == "updated" else None

    def agency_update(self, ref: str) -> AgencyUpdate:
        """The newer version of a taken item against its draft: the agency's changes and
        the merge (WireError if the entry was not taken or has nothing newer)."""
        row = self.row(ref)
        if not row.story_id:
            raise WireError(f"wire item {row.rid} has not been taken; nothing to merge into")
        newest, taken = queue.items(self.store.db, row.guid)
        if row.state != "updated" or taken is None:
            raise WireError(f"'{self._slug(row.story_id)}' is up to date with the agency's "
                            f"version {row.version}")
        story = self.store.get(row.story_id)
        return agency_update(story, item_from_json(taken), item_from_json(newest))

    def merge_update(self, ref: str, prefer: Prefer | None = None) -> tuple[Story, AgencyUpdate]:
        """Save the merge of the newer version into the draft. With clashes and no
        `prefer`, refused (WireError listing them): nothing is overwritten unseen."""
        update = self.agency_update(ref)
        result = merged(update, prefer)
        if result.conflicts and prefer is None:
            labels = ", ".join(conflict.label for conflict in result.conflicts)
            raise WireError(f"the agency's version {update.newer.version} and the desk both "
                            f"changed {labels}; nothing was changed. Choose --prefer desk or "
                            "--prefer agency for those")
        story = update.story
        with self.store.transaction() as db:
            saved = self.store.save(result.story, story.revision, actor=self.actor)
            self.store.record_event(
                story.id, "wire_update_merged", self.actor,
                f"agency version {update.taken.version} -> {update.newer.version}"
                + (f"; clashes kept the {prefer}'s text" if result.conflicts else ""),
            )
            queue.settle(db, update.newer.guid, version=update.newer.version,
                         item=item_to_json(update.newer))
        self._c.notify(Changes.of(changed=[saved.id], wire=True))
        return saved, update

    def _slug(self, story_id: str) -> str:
        try:
            return self.store.get(story_id).slug
        except NewsdeskError:
            return f"story {story_id[:8]}, no longer in the database"


def _entry(arrival: Arrival, at: str) -> NewEntry:
    item = arrival.item
    return NewEntry(
        guid=item.guid, version=item.version, provider=item.provider, format=item.format,
        received_at=at, sent=format_datetime(item.sent) if item.sent else "",
        urgency=item.urgency, headline=item.headline, fingerprint=item.fingerprint,
        item=item_to_json(item), body=item.body,
        state="duplicate" if arrival.decision == "duplicate" else "new",
        duplicate_of=arrival.twin,
    )
