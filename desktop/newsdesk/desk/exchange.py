"""The Desk's exchanges: two-way sync with a folder, and exports for publishing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import model, workflow
from newsdesk import sync as interchange
from newsdesk.desk.stories import Progress
from newsdesk.model import NewsdeskError, Story
from newsdesk.profile import Profile
from newsdesk.store import NotFound, Store
from newsdesk.store.publish_index import publish_index

if TYPE_CHECKING:
    # Imported when used: Markdown rendering and HTML cleaning are not needed to start
    # the window or most commands.
    from newsdesk.publish.export import ExportReport


class ExchangeMixin:
    store: Store
    actor: str
    profile: Profile

    def sync(
        self, folder: str | Path, progress: Progress | None = None, *, restore_missing: bool = False
    ) -> interchange.SyncReport:
        """One sync pass with `folder` (plus commit, pull, push when it is a git clone)."""
        return interchange.sync(
            self.store, folder, actor=self.actor, progress=progress, restore_missing=restore_missing
        )

    def conflicts(self, story_id: str | None = None) -> list[interchange.Conflict]:
        """Open sync conflicts (of one story, or all), oldest first."""
        return interchange.list_conflicts(self.store.db, story_id)

    def resolve_conflict(self, story_id: str, chosen: Story) -> Story:
        """Keep `chosen` (either side, or an edit of both); the next sync sends it out."""
        return interchange.resolve_conflict(self.store, story_id, chosen, actor=self.actor)

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
        against the profile's keyring, as `newsdesk verify` checks them. When the export
        fails (ExportError) no story is marked.
        """
        if self.profile.role != "desk_chief":
            raise workflow.WorkflowError(
                f"only a desk chief can export for publishing; {self.profile.name} is an editor"
            )
        when = (now or model.utcnow()).replace(microsecond=0)
        from newsdesk.publish.export import export as export_stories

        # One light query; only the stories whose row differs from the manifest are read.
        index = publish_index(self.store, ("approved", "published"))
        approved = {row.id for row in index if row.status == "approved"}  # to mark if out
        report = export_stories(
            (),
            fmt,
            out_dir,
            when,
            revision_of=self.store.revision,
            former_names=self._former_names,
            keyring=self.profile.keyring(),
            progress=progress,
            full=full,
            index=index,
            load=self._live_story,
        )
        note = f"exported ({fmt}) to {report.out_dir}"
        to_mark = [entry for entry in report.exported if entry.id in approved]
        # A few hundred stories per transaction: one commit each, not one per story.
        for start in range(0, len(to_mark), 500):
            with self.store.transaction():
                for entry in to_mark[start : start + 500]:
                    try:
                        if self._mark_published(entry.id, note, when):
                            report.published.append(entry.id)
                    except NewsdeskError as exc:  # the files are out; say why not marked
                        report.notes.append(
                            f"{entry.slug}: exported but not marked published: {exc}"
                        )
        return report

    def _mark_published(self, story_id: str, note: str, when: datetime) -> bool:
        """Publish an approved story that went out (the workflow's rules apply); False if
        it was published already."""
        story = self.store.get(story_id)
        if story.status != "approved":
            return False
        result = workflow.apply(
            story,
            "publish",
            self.profile,
            note=note,
            now=when,
            has_conflict=self.has_conflict(story.id),
            four_eyes=self.profile.four_eyes,
        )
        self.store.set_status(
            story.id,
            result.story.status,
            expected_revision=story.revision,
            actor=self.actor,
            action=result.event.action,
            note=result.event.note,
        )
        return True

    def _live_story(self, story_id: str) -> Story | None:
        """A story the export must read in full; None if it was deleted meanwhile."""
        try:
            return self.store.get(story_id)
        except NotFound:
            return None

    def _former_names(self, story_id: str, revision: int) -> list[tuple[str, str]]:
        """(section, slug) of each revision before `revision`: old URLs for Hugo aliases."""
        return [
            (old.section, old.slug)
            for old in (
                self.store.revision(story_id, info.revision)
                for info in self.store.revisions(story_id)
                if info.revision < revision
            )
        ]
