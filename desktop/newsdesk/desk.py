"""Desk: the one service that the `newsdesk` command and the window both call.

It opens the database, knows who is working (the local profile), and turns user intents
(create, save, import, delete...) into store operations. Operations that change a story
return the changed Story, so callers refresh from what actually happened.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import model, spelling, workflow
from newsdesk import sync as interchange
from newsdesk.checks import Finding, run_checks
from newsdesk.diff import StoryDiff, diff_stories
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import loads as markdown_loads
from newsdesk.formats.markdown import read_markdown
from newsdesk.formats.wire import read_wire
from newsdesk.model import NewsdeskError, Story
from newsdesk.paths import default_db_path
from newsdesk.profile import Profile
from newsdesk.rules import Rules, load_rules
from newsdesk.signing import Keyring, VerifyResult, verify_story
from newsdesk.stats import Stats
from newsdesk.stats import compute as compute_stats
from newsdesk.stats import data_version as stats_version
from newsdesk.stats import editors as stats_editors
from newsdesk.store import HistoryEvent, NotFound, StaleRevision, Store, StoreError, StoryRow
from newsdesk.store import backup as db_backups
from newsdesk.sync.state import has_conflict

if TYPE_CHECKING:
    # Imported when used: Markdown rendering and HTML cleaning are not needed to start
    # the window or most commands.
    from newsdesk.publish.export import ExportReport

__all__ = [
    "Desk",
    "ImportReport",
    "NewsdeskError",
    "NotFound",
    "StaleRevision",
    "StoreError",
    "StoryRow",
    "default_db_path",
]

IMPORTABLE_SUFFIXES = (".txt", ".md", ".markdown")
IMPORT_BATCH = 200

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    imported: list[Story] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[tuple[Path, str]] = field(default_factory=list)


class Desk:
    def __init__(self, store: Store, path: Path, actor: str) -> None:
        self.store = store
        self.path = path
        self.actor = actor

    @classmethod
    def open(cls, path: str | Path | None = None, *, seed: bool = False) -> Desk:
        """Open (creating if needed) the database; `seed` fills a new one with samples."""
        db_path = Path(path).expanduser() if path else default_db_path()
        is_new = not db_path.exists() or db_path.stat().st_size == 0
        profile = Profile.load()
        store = Store.open(db_path)
        desk = cls(store, db_path, profile.name)
        desk.use_profile(profile)
        if seed and is_new:
            desk.seed_samples()
        return desk

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Stories

    def create(self, **fields: object) -> Story:
        """A new draft; the slug comes from the headline unless one is given."""
        fields.setdefault("headline", "Untitled story")
        if not fields.get("slug"):
            fields["slug"] = self.unique_slug(model.slugify(str(fields["headline"])))
        story = Story(**fields)  # type: ignore[arg-type]
        return self.store.insert(story, actor=self.actor)

    def save(self, story: Story, expected_revision: int) -> Story:
        return self.store.save(story, expected_revision=expected_revision, actor=self.actor)

    def get(self, story_id: str) -> Story:
        return self.store.get(story_id)

    def find(self, ref: str) -> Story:
        return self.store.find(ref)

    def duplicate(self, story_id: str) -> Story:
        original = self.store.get(story_id)
        copy = Story(
            **{name: getattr(original, name) for name in model.EDITABLE_FIELDS},
            extra=dict(original.extra),
        )
        copy.slug = self.unique_slug(original.slug)
        return self.store.insert(copy, actor=self.actor)

    def delete(self, story_id: str) -> None:
        self.store.delete(story_id, actor=self.actor)

    def undelete(self, story_id: str) -> Story:
        return self.store.undelete(story_id, actor=self.actor)

    def trash(self) -> list[StoryRow]:
        return self.store.list_rows(deleted=True, limit=10_000)

    def revisions(self, story_id: str) -> list:
        return self.store.revisions(story_id)

    def revision(self, story_id: str, number: int) -> Story:
        return self.store.revision(story_id, number)

    # Lists and search

    def list_rows(self, **filters: object) -> list[StoryRow]:
        return self.store.list_rows(**filters)

    def count(self, **filters: object) -> int:
        return self.store.count(**filters)

    def status_counts(self, **filters: object) -> dict[str, int]:
        return self.store.status_counts(**filters)

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[StoryRow]:
        return self.store.search(query, limit=limit, offset=offset)

    def sections(self) -> list[str]:
        return self.store.sections()

    def add_section(self, path: str) -> str:
        return self.store.add_section(path)

    def remove_section(self, path: str) -> None:
        self.store.remove_section(path)

    def tags(self) -> list[tuple[str, int]]:
        return self.store.tags()

    def unique_slug(self, base: str, *, ignore_id: str | None = None) -> str:
        """`base`, or `base-2`, `base-3`... whichever no other live story uses."""
        base = base[: model.SLUG_MAX - 4].strip("-") or "story"
        candidate, n = base, 1
        while True:
            holder = self.store.slug_owner(candidate)
            if holder is None or holder == ignore_id:
                return candidate
            n += 1
            candidate = f"{base}-{n}"

    # Copy-desk checks, spelling and desk figures (issue 7)

    def rules(self) -> Rules:
        """The house rules, read once; again after reload_rules() or add_word()."""
        if getattr(self, "_rules", None) is None:
            self._rules = load_rules()
        return self._rules

    def reload_rules(self) -> Rules:
        self._rules = None
        return self.rules()

    def check(self, ref: str) -> list[Finding]:
        """Copy-desk findings for a stored story (id, id prefix or slug)."""
        return self.check_story(self.find(ref))

    def check_story(self, story: Story) -> list[Finding]:
        """Copy-desk findings for a story as it stands, saved or not (the editor's copy)."""
        return run_checks(story, self.rules())

    def misspelled(self, text: str, story: Story | None = None) -> list[tuple[int, int, str]]:
        """(start, length, word) of each word the dictionary and the word list do not know."""
        return spelling.misspelled(text, story, self.rules())

    def spelling_suggestions(self, word: str) -> list[str]:
        return spelling.suggestions(word)

    def add_word(self, word: str) -> None:
        """Put a word on the newsroom word list (RulesError if it is not one word)."""
        spelling.add_word(word)
        self.reload_rules()

    def stats(
        self, *, section: str | None = None, editor: str | None = None, days: int = 30
    ) -> Stats:
        """Desk figures over the last `days` days (ValueError outside 1..3660 days).

        Reused while no story changed: the dashboard asks again on every list refresh."""
        key = (section, editor, days, datetime.now().date(), stats_version(self.store.db))
        memo = getattr(self, "_stats_memo", None)
        if memo is None or memo[0] != key:
            memo = (key, compute_stats(self.store.db, section=section, editor=editor, days=days))
            self._stats_memo = memo
        return memo[1]

    def editors(self) -> list[str]:
        """Editors named on live stories (the dashboard's filter)."""
        return stats_editors(self.store.db)

    # Import

    def import_paths(
        self, paths: Iterable[str | Path], progress: Progress | None = None
    ) -> ImportReport:
        """Import wire .txt and Markdown .md files, and folders of them.

        A rejected file is listed with its reason and the others still go in; each story is
        written in one transaction, so a failure never leaves half a story behind.
        """
        report = ImportReport()
        candidates, missing = _expand(paths)
        report.rejected.extend(missing)
        for start in range(0, len(candidates), IMPORT_BATCH):
            # A commit per file was most of the time an import took; a batch commits
            # once, and each story still goes in whole or not at all (its own savepoint).
            with self.store.transaction():
                batch = candidates[start : start + IMPORT_BATCH]
                for done, file in enumerate(batch, start=start + 1):
                    if progress:
                        progress(done, len(candidates), file.name)
                    try:
                        with self.store.transaction():
                            story, notes = self._import_one(file)
                    except (NewsdeskError, OSError, sqlite3.Error) as exc:
                        report.rejected.append((file, _reason(file, exc)))
                        continue
                    report.imported.append(story)
                    report.notes.extend((file, note) for note in notes)
        return report

    def _import_one(self, file: Path) -> tuple[Story, list[str]]:
        notes: list[str] = []
        if file.suffix.lower() == ".txt":
            result = read_wire(file)
            story, notes = result.story, list(result.notes)
            if twin := self.store.same_copy(story.headline, story.body):
                raise NewsdeskError(
                    f"already imported as '{self.store.get(twin).slug}' ({twin[:8]})"
                )
        else:
            story = read_markdown(file)
            try:
                existing = self.store.get(story.id)
            except NotFound:
                existing = None
            if existing is not None:
                raise NewsdeskError(
                    f"story {story.id} is already in the database as '{existing.slug}'; "
                    "use `newsdesk sync` to exchange edits of existing stories"
                )
        slug = self.unique_slug(story.slug)
        if slug != story.slug:
            notes.append(f"slug '{story.slug}' is taken; imported as '{slug}'")
            story = story.replace(slug=slug)
        if story.section:
            self.store.add_section(story.section)
        return self.store.insert(story, actor=self.actor), notes

    # First run

    def seed_samples(self) -> list[Story]:
        """Fill a new database with the sample stories shipped in resources/samples."""
        stories = []
        for resource in sorted(files("newsdesk.resources").joinpath("samples").iterdir(),
                               key=lambda r: r.name):
            if resource.name.endswith(".md"):
                story = markdown_loads(resource.read_text(encoding="utf-8"), resource.name)
                if story.section:
                    self.store.add_section(story.section)
                stories.append(self.store.insert(story, actor=story.modified_by or self.actor))
        return stories

    # Workflow, history, approvals (the rules are in workflow.py; this persists them)

    @property
    def profile(self) -> Profile:
        """Who is working: the local profile (a default editor until set)."""
        if getattr(self, "_profile", None) is None:
            self.use_profile(Profile.load())
        return self._profile

    def use_profile(self, profile: Profile) -> None:
        """Act as `profile` from now on: its name is what history and revisions record."""
        self._profile = profile
        self.actor = profile.name

    def has_conflict(self, story_id: str) -> bool:
        return has_conflict(self.store.db, story_id)

    # Sync (the interchange tree, DESIGN section 5; see newsdesk.sync)

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

    def allowed_actions(self, story: Story) -> dict[str, str | None]:
        """Each workflow action -> None if this profile may do it now, else why not."""
        return workflow.allowed_actions(
            story,
            self.profile,
            has_conflict=self.has_conflict(story.id),
            four_eyes=self.profile.four_eyes,
        )

    def transition(
        self, ref: str, action: str, note: str = "", *, expected_revision: int | None = None
    ) -> Story:
        """Submit, approve, request changes, publish, spike or restore a story.

        WorkflowError says why when the rules refuse. An approval is signed with the
        profile's key. `expected_revision` (the revision the person was looking at) makes
        a story saved by someone else in the meantime a StaleRevision instead of approving
        text nobody here has read.
        """
        story_id = self.find(ref).id
        with self.store.transaction():
            story = self.store.get(story_id)
            if expected_revision is not None and story.revision != expected_revision:
                raise StaleRevision(story, expected_revision)
            result = workflow.apply(
                story,
                action,
                self.profile,
                note=note,
                has_conflict=self.has_conflict(story.id),
                four_eyes=self.profile.four_eyes,
                sign=lambda sid, approval: self.profile.signer()(sid, approval),
            )
            if result.approval is not None:
                self.store.add_approval(story.id, result.approval)
            return self.store.set_status(
                story.id,
                result.story.status,
                expected_revision=story.revision,
                actor=self.actor,
                action=result.event.action,
                note=result.event.note,
            )

    def history(self, ref: str) -> list[HistoryEvent]:
        """Every saved revision and transition of a story, oldest first."""
        return self.store.history(self.find(ref).id)

    def diff(self, ref: str, rev_a: int, rev_b: int | None = None) -> StoryDiff:
        """What changed from revision `rev_a` to `rev_b` (default: the current one)."""
        story = self.find(ref)
        old = self.store.revision(story.id, rev_a)
        new = story if rev_b is None else self.store.revision(story.id, rev_b)
        return diff_stories(old, new)

    def restore_revision(self, ref: str, number: int) -> Story:
        """Make the text of an earlier revision the newest revision (nothing is lost)."""
        story = self.find(ref)
        return self.store.restore_revision(
            story.id, number, expected_revision=story.revision, actor=self.actor
        )

    def verify(self, ref: str, keyring: Keyring | Path | None = None) -> VerifyResult:
        """Check the story's approval against a keyring (default: the profile's trusted
        keys and its own key; a Path is read as a keyring file)."""
        story = self.find(ref)
        if keyring is None:
            keyring = self.profile.keyring()
        elif isinstance(keyring, Path):
            if not keyring.is_file():
                raise NewsdeskError(f"{keyring}: no such keyring file")
            keyring = Keyring.load(keyring)
        return verify_story(story, keyring)

    # Backups of the database (store/backup.py)

    def backup(self) -> Path:
        """Take a backup now, into the backups folder beside the database."""
        return db_backups.take_backup(self.store)

    def backup_if_due(self) -> Path | None:
        """A backup unless the newest one is younger than 30 minutes."""
        return db_backups.take_backup_if_due(self.store)

    def backups(self) -> list[db_backups.Backup]:
        """The backups of this database, newest first."""
        return db_backups.list_backups(db_backups.backup_folder(self.path), self.path)

    @staticmethod
    def diagnose(path: str | Path | None = None) -> tuple[str | None, db_backups.Backup | None]:
        """For a database that would not open or read: what is damaged in the file (None
        when it is not damaged, say from a newer Newsdesk) and its last good backup."""
        db_path = Path(path).expanduser() if path else default_db_path()
        problem = db_backups.damage(db_path)
        return problem, db_backups.last_good_backup(db_path) if problem else None

    @classmethod
    def open_from_backup(
        cls, backup: str | Path, path: str | Path | None = None
    ) -> tuple[Desk, Path | None]:
        """Restore `backup` over a database that cannot be opened, then open it; also
        returns where the damaged file was kept."""
        db_path = Path(path).expanduser() if path else default_db_path()
        saved = db_backups.restore_backup(backup, db_path)
        return cls.open(db_path), saved

    def restore_backup(self, backup: str | Path) -> Path | None:
        """Replace the database with `backup`; the current one is backed up first (its
        backup is returned). The desk is open on the restored database afterwards."""
        self.store.close()
        try:
            return db_backups.restore_backup(backup, self.path)
        finally:
            self.store = Store.open(self.path)

    # Export for publishing (publish/export.py decides what goes out and writes it)

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
        approved: set[str] = set()  # read as approved: the ones to mark once they went out
        from newsdesk.publish.export import export as export_stories

        report = export_stories(
            self._publishable(approved),
            fmt,
            out_dir,
            when,
            revision_of=self.store.revision,
            former_names=self._former_names,
            keyring=self.profile.keyring(),
            progress=progress,
            full=full,
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

    def _publishable(self, approved: set[str]) -> Iterator[Story]:
        """Every live approved or published story, read one at a time; the ids of the
        approved ones are added to `approved`."""
        statuses = ("approved", "published")
        total = self.store.count(status=statuses)
        for row in self.store.list_rows(status=statuses, limit=max(total, 1)):
            try:
                story = self.store.get(row.id)
            except NotFound:  # deleted since the list was read
                continue
            if story.status == "approved":
                approved.add(story.id)
            yield story

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


def backup_file(path: str | Path, *, force: bool = True) -> Path | None:
    """Back up the database file at `path` through a connection of its own, so any thread
    may call it; with force=False only when the newest backup is 30 minutes old."""
    if force:
        return db_backups.take_backup(Path(path))
    return db_backups.take_backup_if_due(Path(path))


def _expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to import, in a stable order, and the paths that could not be read."""
    found: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                found.extend(sorted(_walk(path)))
            except OSError as exc:
                missing.append((path, f"{path}: cannot read folder ({exc.strerror})"))
        elif path.is_file():
            if path.suffix.lower() in IMPORTABLE_SUFFIXES:
                found.append(path)
            else:
                missing.append((path, f"{path}: not a wire (.txt) or Markdown (.md) file"))
        else:
            missing.append((path, f"{path}: no such file or folder"))
    return found, missing


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder, onerror=_raise):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and Path(name).suffix.lower() in IMPORTABLE_SUFFIXES:
                yield Path(root, name)


def _raise(exc: OSError) -> None:
    raise exc


def _reason(file: Path, exc: Exception) -> str:
    if isinstance(exc, FormatError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"{file}: {exc.strerror or exc}"
    return f"{file}: {exc}"
