"""The Desk's exchanges: two-way sync with a folder, and exports for publishing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.copydesk.rules import Rules
from newsdesk.desk.context import DeskContext, Progress
from newsdesk.desk.editorial import Editorial
from newsdesk.domain import model, workflow
from newsdesk.domain.model import Story
from newsdesk.store import NotFound
from newsdesk.store.publish_index import (
    StatusChange,
    StoreExportSource,
    publish_rows,
    set_statuses,
)
from newsdesk.store.render_cache import StoreRenderCache

if TYPE_CHECKING:
    # Imported when used: Markdown rendering, HTML cleaning and the sync package are not
    # needed to start the window or most commands (issue 23).
    from newsdesk import sync as interchange
    from newsdesk.media import Picture
    from newsdesk.publish.export import ExportReport
    from newsdesk.store.media import StoredRendition
    from newsdesk.sync import conflicts as resolving
    from newsdesk.sync.merge import FieldConflict, Side


# Stories marked published per transaction.
MARK_BATCH = 5000


class Exchange:
    """Sync with a folder, its conflicts, and exports for publishing."""

    def __init__(
        self, context: DeskContext, editorial: Editorial, rules: Callable[[], Rules],
        renditions: Callable[[Picture], StoredRendition],
    ) -> None:
        self._c = context
        self._editorial = editorial
        self._rules = rules  # the house rules (Tools.rules)
        self._renditions = renditions  # Media.export_rendition

    def sync(
        self, folder: str | Path, progress: Progress | None = None, *, restore_missing: bool = False
    ) -> interchange.SyncReport:
        """One sync pass with `folder` (plus commit, pull, push when it is a git clone)."""
        from newsdesk import sync as interchange  # loaded when a sync runs (issue 23)

        with self._c.reporting(sections=True, conflicts=True):
            return interchange.sync(
                self._c.store, folder, actor=self._c.actor, progress=progress,
                restore_missing=restore_missing,
            )

    def conflicts(self, story_id: str | None = None) -> list[interchange.Conflict]:
        """Open sync conflicts (of one story, or all), oldest first."""
        from newsdesk import sync as interchange

        return interchange.list_conflicts(self._c.store.db, story_id)

    def conflict_clashes(self, conflict: interchange.Conflict) -> list[FieldConflict]:
        """The clashes of an open conflict (fields, body paragraphs), against this
        laptop's version as it is now."""
        return conflict.clashes(self._version_here(conflict.story_id))

    def conflict_deletions(self, conflict: interchange.Conflict) -> tuple[bool, bool]:
        """Whether the story is deleted here (now) and whether the other side deleted it."""
        from newsdesk.sync import conflicts as resolving

        return resolving.deletions(self._c.store, conflict)

    def conflict_proposal(
        self, story_id: str, side: Side, *, whole: bool = False
    ) -> Story:
        """What resolving with `side` for the clashes (or `whole`) would keep."""
        from newsdesk.sync import conflicts as resolving

        (*_, conflict) = self._open_conflicts(story_id)
        return resolving.proposal(conflict, self._version_here(story_id), side, whole)

    def take_side(
        self, story_id: str, side: Side, *, whole: bool = False, undelete: bool = False
    ) -> resolving.Resolution:
        """Resolve: everything that merged cleanly, and `side` for the clashes (or
        `side` whole). A deletion on either side stands unless `undelete`."""
        from newsdesk.sync import conflicts as resolving

        with self._c.reporting(conflicts=True):
            return resolving.take_side(
                self._c.store, story_id, side, whole=whole, undelete=undelete,
                actor=self._c.actor,
            )

    def resolve_conflict(
        self, story_id: str, chosen: Story, *, undelete: bool = False
    ) -> resolving.Resolution:
        """Keep `chosen` (either side, or an edit of both); the next sync sends it out.
        A deletion on either side stands unless `undelete`."""
        from newsdesk import sync as interchange

        with self._c.reporting(conflicts=True):
            return interchange.resolve_conflict(
                self._c.store, story_id, chosen, actor=self._c.actor, undelete=undelete
            )

    def _open_conflicts(self, story_id: str) -> list[interchange.Conflict]:
        from newsdesk import sync as interchange

        found = self.conflicts(story_id)
        if not found:
            raise interchange.ConflictError(f"story {story_id} has no open sync conflict")
        return found

    def _version_here(self, story_id: str) -> Story | None:
        try:
            return self._c.store.get(story_id)
        except NotFound:
            return None  # purged here since the conflict

    def export(
        self,
        fmt: str,
        out_dir: str | Path,
        progress: Progress | None = None,
        *,
        full: bool = False,
        now: datetime | None = None,
    ) -> ExportReport:
        """Bring `out_dir` up to date with the approved stories as hugo, ninjs or html,
        then mark the approved ones that went out `published` (history: publish).

        Only a desk chief exports, as only a desk chief publishes; approvals must verify
        against the profile's keyring, as `newsdesk verify` checks them, and the manifest
        is signed with the profile's key. A story with an open sync conflict does not go
        out. When the export fails (ExportError) no story is marked. When nothing the
        export reads has changed since the last one to `out_dir` (publish/quiet.py), it
        writes nothing and reports that one's outcome.
        """
        if self._c.profile.role != "desk_chief":
            raise workflow.WorkflowError(
                f"only a desk chief can export for publishing; {self._c.profile.name} is an editor"
            )
        when = (now or model.utcnow()).replace(microsecond=0)
        from newsdesk.publish import quiet
        from newsdesk.publish.export import export as export_stories
        from newsdesk.publish.trust import ManifestSigner

        cache = StoreRenderCache(self._c.store)  # each approved body rendered once
        keyring = self._c.profile.keyring()
        signer = ManifestSigner(self._c.profile.name, self._c.profile.private_key())
        hugo_kill = self._rules().kill_page  # the house rule for a killed story's page
        source = StoreExportSource(self._c.store)
        # Read before anything else: a story saved from now on moves the counter.
        counter = cache.counter()
        conflicts = source.conflicts()
        folder = quiet.folder_key(out_dir)
        state = quiet.desk_state(fmt, (cache.schema(), counter), conflicts, keyring, signer,
                                 hugo_kill)
        if not full:
            unchanged = quiet.quiet_report(cache.mark(folder), state, Path(out_dir), fmt, when)
            if unchanged is not None:
                return unchanged
        # One light query; of the stories whose row differs from the manifest, only the
        # approved revision is read (the current text never is).
        approved = {row.id for row in source.index() if row.status == "approved"}  # to mark
        report = export_stories(
            source, fmt, out_dir, when, keyring=keyring, progress=progress, full=full,
            signer=signer, hugo_kill=hugo_kill,
            renditions=self._renditions,  # what a picture goes out as (desk/media.py)
            cache=cache,
        )
        note = f"exported ({fmt}) to {report.out_dir}"
        held = set(report.conflicted)  # in the tree from before, not exported now
        slugs = {entry.id: entry.slug for entry in report.exported
                 if entry.id in approved and entry.id not in held}
        with self._c.reporting():
            self._mark_published(slugs, note, when, report)
        # A mark only when the outcome will be the same next time: every story marked,
        # and no story saved meanwhile but the ones this export marked.
        mark = None
        if set(report.published) == set(slugs) and (
            cache.counter() == counter + len(report.published)
        ):
            after = quiet.desk_state(fmt, (cache.schema(), cache.counter()), conflicts, keyring,
                                     signer, hugo_kill)
            until = quiet.horizon((row.embargo for row in source.index()), when)
            mark = quiet.mark_of(report, after, report.out_dir, until)
        cache.set_mark(folder, mark)
        return report

    def _mark_published(
        self, slugs: dict[str, str], note: str, when: datetime, report: ExportReport
    ) -> None:
        ids = list(slugs)
        # Thousands of stories per transaction: a commit writes each index page it changed
        # once, so ten commits of 500 cost twice one of 5,000; one still holds the write
        # lock for about a second at most (an autosave meanwhile waits, it does not fail).
        for start in range(0, len(ids), MARK_BATCH):
            changes = self._publish_changes(ids[start : start + MARK_BATCH], note, when, report)
            published, refused = set_statuses(self._c.store, changes, actor=self._c.actor)
            report.published += published
            report.notes += [
                f"{slugs[story_id]}: exported but not marked published: {why}"
                for story_id, why in refused
            ]

    def _publish_changes(
        self, ids: list[str], note: str, when: datetime, report: ExportReport
    ) -> list[StatusChange]:
        """The publish step of each approved story that went out (the workflow's rules
        apply, read from the stories' rows without their text); a story published
        already needs none, a refused one gets a note."""
        changes = []
        rows = {row.id: row for row in publish_rows(self._c.store, ids)}
        conflicted = {conflict.story_id for conflict in self.conflicts()}  # a few at most
        for story_id in ids:
            row = rows.get(story_id)
            if row is None:
                report.notes.append(f"{story_id}: exported but not marked published: "
                                    "it was deleted meanwhile")
                continue
            if row.status != "approved":
                continue
            reason = workflow.refusal(
                row, "publish", self._c.profile, has_conflict=row.id in conflicted,
                four_eyes=self._c.profile.four_eyes, now=when,
            )
            if reason:  # the files are out; say why not marked
                report.notes.append(f"{row.slug}: exported but not marked published: {reason}")
                continue
            # Publishing is a signed action too: other laptops take the status from it.
            record = self._editorial.signed_action(
                row.id, row.revision, row.content_hash, row.status, "publish", note
            )
            changes.append(StatusChange(row.id, row.revision, row.status,
                                        workflow.status_after("publish"), "publish", note,
                                        record))
        return changes
