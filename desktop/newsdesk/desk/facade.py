"""Desk: the one object the command line and the window call, over small services.

Each concern is a service in its own module (stories, editorial, exchange, importing,
tools, backups, watch) sharing one DeskContext; Desk only hands each call to its
service, so `desk.save(...)` or `desk.sync(...)` reads the same as ever. Operations that
change data tell the Desk's subscribers what changed (desk/changes.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from newsdesk.copydesk.checks import Finding
from newsdesk.copydesk.rules import Rules
from newsdesk.copydesk.stats import Stats
from newsdesk.desk.backups import Backups, diagnose, restore_over
from newsdesk.desk.changes import Changes, Subscriber
from newsdesk.desk.context import DeskContext, Progress
from newsdesk.desk.editorial import Editorial
from newsdesk.desk.exchange import Exchange
from newsdesk.desk.importing import Importing, ImportReport
from newsdesk.desk.lifecycle import Lifecycle
from newsdesk.desk.media import Media
from newsdesk.desk.stories import Stories
from newsdesk.desk.tools import Tools
from newsdesk.desk.watch import Watch
from newsdesk.domain import lifecycle, sessions, workflow
from newsdesk.domain.diff import StoryDiff
from newsdesk.domain.model import Story, WorkflowAction
from newsdesk.identity.profile import Profile
from newsdesk.identity.signing import ActionCheck, Keyring, VerifyResult
from newsdesk.paths import default_db_path
from newsdesk.store import HistoryEvent, RevisionInfo, Store, StoreError, StoryRow
from newsdesk.store import backup as db_backups
from newsdesk.store import versions as named
from newsdesk.store.records import DeskEvent

if TYPE_CHECKING:
    # The sync and publishing packages load when a sync or an export runs (issue 23).
    from newsdesk import sync as interchange
    from newsdesk.desk.wire import WireDesk
    from newsdesk.publish.export import ExportReport
    from newsdesk.sync import conflicts as resolving
    from newsdesk.sync.merge import FieldConflict, Side


class Desk:
    """The desk: one open database and the profile working on it."""

    def __init__(self, store: Store, path: Path, actor: str) -> None:
        self._context = context = DeskContext(store, path, actor)
        self._stories = stories = Stories(context)
        self._tools = tools = Tools(context, stories)
        self._editorial = editorial = Editorial(context, stories, tools.rules)
        self._lifecycle = Lifecycle(context, stories, editorial)
        self._media = media = Media(context, tools.rules)
        self._exchange = Exchange(context, editorial, tools.rules, media.export_rendition)
        self._importing = Importing(context)
        self._backups = Backups(context)
        self._watch = Watch(context)
        self._wire: WireDesk | None = None  # made on first use: the wire formats load then

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, seed: bool = False, existing: bool = False
    ) -> Self:
        """Open (creating if needed) the database; `seed` fills a new one with samples.
        `existing`: only a database that is there (a window's background job must never
        make an empty one where the window's file was moved or removed meanwhile)."""
        db_path = Path(path).expanduser() if path else default_db_path()
        if existing and not db_path.is_file():
            raise StoreError(f"the database file {db_path} is gone; nothing was changed")
        is_new = not db_path.exists() or db_path.stat().st_size == 0
        profile = Profile.load()
        desk = cls(Store.open(db_path), db_path, profile.name)
        desk.use_profile(profile)
        if seed and is_new:
            desk.seed_samples()
        return desk

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Who and where

    @property
    def store(self) -> Store:
        return self._context.store

    @property
    def path(self) -> Path:
        return self._context.path

    @property
    def actor(self) -> str:
        return self._context.actor

    @property
    def profile(self) -> Profile:
        """Who is working: the local profile (a default editor until set)."""
        return self._context.profile

    def use_profile(self, profile: Profile) -> None:
        self._context.use_profile(profile)

    @property
    def wire(self) -> WireDesk:
        """The incoming wire queue (desk/wire.py): ingest, take, agency updates."""
        if self._wire is None:
            from newsdesk.desk.wire import WireDesk

            self._wire = WireDesk(self._context)
        return self._wire

    # Hearing about changes

    @property
    def media(self) -> Media:
        """The story's pictures (desk/media.py): add, remove, renditions, purge."""
        return self._media

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber` with the Changes of every operation of this desk, and of what
        `outside_changes` finds; returns what unsubscribes."""
        return self._context.subscribers.subscribe(subscriber)

    def outside_changes(self) -> Changes:
        """What other connections changed since the last call (the first call starts
        watching); subscribers are told too. Cheap when nothing changed (desk/watch.py)."""
        return self._watch.look()

    # Stories

    def create(self, **fields: object) -> Story:
        return self._stories.create(**fields)

    def save(self, story: Story, expected_revision: int) -> Story:
        return self._stories.save(story, expected_revision)

    def change_slug(self, story_id: str, slug: str) -> Story:
        return self._stories.change_slug(story_id, slug)

    def known_type(self, name: str) -> str:
        return self._tools.known_type(name)

    def change_type(self, story_id: str, kind: str) -> Story:
        return self._tools.change_type(story_id, kind)

    def duplicate(self, story_id: str) -> Story:
        return self._stories.duplicate(story_id)

    def delete(self, story_id: str) -> None:
        self._stories.delete(story_id)

    def undelete(self, story_id: str) -> Story:
        return self._stories.undelete(story_id)

    def purge(self, story_id: str) -> Changes:
        return self._stories.purge(story_id)

    def get(self, story_id: str) -> Story:
        return self._stories.get(story_id)

    def find(self, ref: str) -> Story:
        return self._stories.find(ref)

    def live_stories(self, story_ids: Sequence[str]) -> list[Story]:
        return self._stories.live(story_ids)

    def trash(self) -> list[StoryRow]:
        return self._stories.trash()

    def revisions(self, story_id: str) -> list[RevisionInfo]:
        return self._stories.revisions(story_id)

    def revision(self, story_id: str, number: int) -> Story:
        return self._stories.revision(story_id, number)

    def list_rows(self, **filters: object) -> list[StoryRow]:
        return self._stories.list_rows(**filters)

    def count(self, **filters: object) -> int:
        return self._stories.count(**filters)

    def status_counts(self, **filters: object) -> dict[str, int]:
        return self._stories.status_counts(**filters)

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        return self._stories.search(query, limit, offset)

    def sections(self) -> list[str]:
        return self._stories.sections()

    def add_section(self, path: str) -> str:
        return self._stories.add_section(path)

    def remove_section(self, path: str) -> None:
        self._stories.remove_section(path)

    def tags(self) -> list[tuple[str, int]]:
        return self._stories.tags()

    def unique_slug(self, base: str, *, ignore_id: str | None = None) -> str:
        return self._stories.unique_slug(base, ignore_id=ignore_id)

    # Workflow

    def has_conflict(self, story_id: str) -> bool:
        return self._editorial.has_conflict(story_id)

    def allowed_actions(
        self, story: Story, actions: Sequence[str] = workflow.ACTIONS
    ) -> dict[str, str | None]:
        return self._editorial.allowed_actions(story, actions)

    def transition(
        self, ref: str, action: str, note: str = "", *, expected_revision: int | None = None
    ) -> Story:
        return self._editorial.transition(ref, action, note, expected_revision=expected_revision)

    # After publication

    def published_version(self, ref: str) -> Story | None:
        return self._lifecycle.published_version(ref)

    def draft_note(self, ref: str) -> str:
        return self._lifecycle.draft_note(ref)

    def after_publication(
        self, ref: str, action: str, note: str, *, expected_revision: int | None = None
    ) -> Story:
        return self._lifecycle.after_publication(
            ref, action, note, expected_revision=expected_revision
        )

    def corrections_log(self, since: datetime | None = None) -> list[lifecycle.LogEntry]:
        return self._lifecycle.corrections_log(since)

    def signed_action(
        self, story_id: str, revision: int, content_hash: str, from_status: str,
        action: str, note: str,
    ) -> WorkflowAction:
        return self._editorial.signed_action(
            story_id, revision, content_hash, from_status, action, note
        )

    def history(self, ref: str) -> list[HistoryEvent]:
        return self._editorial.history(ref)

    def diff(self, ref: str, rev_a: int, rev_b: int | None = None) -> StoryDiff:
        return self._editorial.diff(ref, rev_a, rev_b)

    def restore_revision(self, ref: str, number: int) -> Story:
        return self._editorial.restore_revision(ref, number)

    def verify(self, ref: str, keyring: Keyring | Path | None = None) -> VerifyResult:
        return self._editorial.verify(ref, keyring)

    def verify_actions(self, ref: str, keyring: Keyring | Path | None = None) -> list[ActionCheck]:
        return self._editorial.verify_actions(ref, keyring)

    def identities(self, keys: list[str] | None = None) -> list[DeskEvent]:
        return self._editorial.identities(keys)

    # Sync and export

    def sync(
        self, folder: str | Path, progress: Progress | None = None, *, restore_missing: bool = False
    ) -> interchange.SyncReport:
        return self._exchange.sync(folder, progress, restore_missing=restore_missing)

    def conflicts(self, story_id: str | None = None) -> list[interchange.Conflict]:
        return self._exchange.conflicts(story_id)

    def conflict_clashes(self, conflict: interchange.Conflict) -> list[FieldConflict]:
        return self._exchange.conflict_clashes(conflict)

    def conflict_deletions(self, conflict: interchange.Conflict) -> tuple[bool, bool]:
        return self._exchange.conflict_deletions(conflict)

    def conflict_proposal(self, story_id: str, side: Side, *, whole: bool = False) -> Story:
        return self._exchange.conflict_proposal(story_id, side, whole=whole)

    def take_side(
        self, story_id: str, side: Side, *, whole: bool = False, undelete: bool = False
    ) -> resolving.Resolution:
        return self._exchange.take_side(story_id, side, whole=whole, undelete=undelete)

    def resolve_conflict(
        self, story_id: str, chosen: Story, *, undelete: bool = False
    ) -> resolving.Resolution:
        return self._exchange.resolve_conflict(story_id, chosen, undelete=undelete)

    def export(
        self, fmt: str, out_dir: str | Path, progress: Progress | None = None, *,
        full: bool = False, now: datetime | None = None,
    ) -> ExportReport:
        return self._exchange.export(fmt, out_dir, progress, full=full, now=now)

    # Import

    def import_paths(
        self, paths: Iterable[str | Path], progress: Progress | None = None
    ) -> ImportReport:
        return self._importing.import_paths(paths, progress)

    def seed_samples(self, now: datetime | None = None) -> list[Story]:
        return self._importing.seed_samples(now)

    # Copy-desk tools

    def rules(self) -> Rules:
        return self._tools.rules()

    def reload_rules(self) -> Rules:
        return self._tools.reload_rules()

    def check(self, ref: str) -> list[Finding]:
        return self._tools.check(ref)

    def check_story(self, story: Story) -> list[Finding]:
        return self._tools.check_story(story)

    def misspelled(self, text: str, story: Story | None = None) -> list[tuple[int, int, str]]:
        return self._tools.misspelled(text, story)

    def spelling_suggestions(self, word: str) -> list[str]:
        return self._tools.spelling_suggestions(word)

    def add_word(self, word: str) -> None:
        self._tools.add_word(word)

    def stats(
        self, *, section: str | None = None, editor: str | None = None, days: int = 30
    ) -> Stats:
        return self._tools.stats(section=section, editor=editor, days=days)

    def editors(self) -> list[str]:
        return self._tools.editors()

    def name_version(self, story_id: str, revision: int, name: str) -> None:
        self._tools.name_version(story_id, revision, name)

    def named_versions(self, story_id: str) -> dict[int, named.NamedVersion]:
        return self._tools.named_versions(story_id)

    def history_entries(self, story_id: str) -> list[sessions.Entry]:
        return self._tools.history_entries(story_id)

    # Backups

    def backup(self) -> Path:
        return self._backups.backup()

    def backup_if_due(self) -> Path | None:
        return self._backups.backup_if_due()

    def backups(self) -> list[db_backups.Backup]:
        return self._backups.backups()

    def restore_backup(self, backup: str | Path) -> Path | None:
        return self._backups.restore_backup(backup)

    @staticmethod
    def diagnose(path: str | Path | None = None) -> tuple[str | None, db_backups.Backup | None]:
        """For a database that would not open or read: what is damaged in the file (None
        when it is not damaged, say from a newer Newsdesk) and its last good backup."""
        return diagnose(path)

    @classmethod
    def open_from_backup(
        cls, backup: str | Path, path: str | Path | None = None
    ) -> tuple[Self, Path | None]:
        """Restore `backup` over a database that cannot be opened, then open it; also
        returns where the damaged file was kept."""
        db_path, saved = restore_over(backup, path)
        return cls.open(db_path), saved
