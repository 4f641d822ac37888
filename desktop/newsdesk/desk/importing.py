"""The Desk's import of wire copy and Markdown files, and the first-run samples."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext, Progress
from newsdesk.domain.model import NewsdeskError, Story, free_slug, slug_base, utcnow
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import loads as markdown_loads
from newsdesk.formats.markdown import read_markdown
from newsdesk.formats.wire import read_wire
from newsdesk.store.errors import DatabaseError
from newsdesk.store.records import ORIGIN_FILE, Attribution
from newsdesk.store.seeding import date_created_events

IMPORTABLE_SUFFIXES = (".txt", ".md", ".markdown")
# Files read, checked and written together: one transaction, one query per check.
IMPORT_BATCH = 500


@dataclass
class ImportReport:
    imported: list[Story] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[tuple[Path, str]] = field(default_factory=list)


@dataclass
class _File:
    """One file of an import: the story read from it, or why it is refused."""

    path: Path
    story: Story | None = None
    notes: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def wire(self) -> bool:
        return self.path.suffix.lower() == ".txt"


class Importing:
    """Files into the desk, and the samples of a first run."""

    def __init__(self, context: DeskContext) -> None:
        self._c = context

    def import_paths(
        self, paths: Iterable[str | Path], progress: Progress | None = None
    ) -> ImportReport:
        """Import wire .txt and Markdown .md files, and folders of them.

        A rejected file is listed with its reason and the others still go in. Files go in
        by batches, each batch in one transaction: a failure or a cancel (progress raising)
        midway leaves the batches before it whole and nothing of the one in flight.
        """
        report = ImportReport()
        try:
            self._import(paths, progress, report)
        finally:  # a cancel keeps the batches written before it: they are told too
            imported = [story.id for story in report.imported]
            self._c.notify(Changes.of(created=imported, sections=bool(imported)))
        return report

    def _import(
        self, paths: Iterable[str | Path], progress: Progress | None, report: ImportReport
    ) -> None:
        candidates, missing = _expand(paths)
        report.rejected.extend(missing)
        for start in range(0, len(candidates), IMPORT_BATCH):
            batch = []
            for done, path in enumerate(candidates[start : start + IMPORT_BATCH], start + 1):
                if progress:
                    progress(done, len(candidates), path.name)
                batch.append(_read(path))
            self._write_batch([item for item in batch if item.story])
            for item in batch:
                if item.reason:
                    report.rejected.append((item.path, item.reason))
                else:
                    report.imported.append(item.story)
                    report.notes.extend((item.path, note) for note in item.notes)

    def _write_batch(self, batch: list[_File]) -> None:
        """Check and insert the stories of a batch all at once, in one transaction. Should
        the store refuse that (a story it finds invalid), each goes in on its own instead,
        so that only the faulty ones are refused, each with its reason."""
        with self._c.store.transaction():
            try:
                with self._c.store.transaction():
                    self._check_and_insert(batch)
                return
            except (NewsdeskError, DatabaseError):
                pass
            for item in batch:
                item.reason = ""
                try:
                    with self._c.store.transaction():
                        self._check_and_insert([item])
                except (NewsdeskError, DatabaseError) as exc:
                    item.reason = _reason(item.path, exc)

    def _check_and_insert(self, batch: list[_File]) -> None:
        """Refuse copy already in the database or earlier in the batch, give each story a
        free slug, add its section, then insert the others in one go."""
        stories = [(item, item.story) for item in batch if item.story]
        check = self._batch_check(stories)
        accepted: list[tuple[_File, Story, list[str]]] = []
        for item, story in stories:
            item.reason = self._refusal(check, item, story)
            if item.reason:
                continue
            # Whoever brings wire copy onto the desk is its editor here (so it is theirs
            # under "Mine"); the agency's editor stays with the source.
            editor = story.editor or (self._c.actor if item.wire else "")
            story, notes = check.admit(story.replace(editor=editor))
            accepted.append((item, story, notes))
        if not accepted:
            return
        stored = self._c.store.insert_many([story for _, story, _ in accepted], actor=self._c.actor)
        for (item, _, notes), story in zip(accepted, stored, strict=True):
            item.story = story
            item.notes.extend(notes)

    def _batch_check(self, stories: list[tuple[_File, Story]]) -> _BatchCheck:
        wire = [story for item, story in stories if item.wire]
        files = [story for item, story in stories if not item.wire]
        return _BatchCheck(
            copies=self._c.store.copies.same_copies((s.headline, s.body) for s in wire),
            known=self._c.store.copies.known_ids(s.id for s in files),
            taken=self._c.store.copies.taken_slugs(slug_base(s.slug) for _, s in stories),
        )

    def _refusal(self, check: _BatchCheck, item: _File, story: Story) -> str:
        """Why this file's story is not imported ("": it is), its section added if new."""
        if item.wire and (twin := check.copies.get((story.headline, story.body))):
            slug = check.known.get(twin) or self._c.store.get(twin).slug
            return f"{item.path}: already imported as '{slug}' ({twin[:8]})"
        if not item.wire and story.id in check.known:
            return (
                f"{item.path}: story {story.id} is already in the database as "
                f"'{check.known[story.id]}'; use `newsdesk sync` to exchange edits of "
                "existing stories"
            )
        if story.section:
            if story.section not in check.sections:
                check.sections[story.section] = _attempt(self._c.store.add_section,
                                                         story.section)
            if problem := check.sections[story.section]:
                return _reason(item.path, problem)
        return ""

    # First run

    def seed_samples(self, now: datetime | None = None) -> list[Story]:
        """Fill a new database with the sample stories shipped in resources/samples, moved
        to the last days before `now` (their history says they were created then too)."""
        samples = [
            markdown_loads(resource.read_text(encoding="utf-8"), resource.name)
            for resource in sorted(files("newsdesk.resources").joinpath("samples").iterdir(),
                                   key=lambda r: r.name)
            if resource.name.endswith(".md")
        ]
        stories = []
        with self._c.store.transaction():
            for story in recent(samples, now or utcnow()):
                if story.section:
                    self._c.store.add_section(story.section)
                # Written by the sample's author, not by whoever works here: no key.
                author = Attribution(story.modified_by, story.modified_key, ORIGIN_FILE)
                stories.append(self._c.store.insert(story, actor=author if story.modified_by
                                                 else self._c.actor))
            date_created_events(self._c.store.db, {s.id: s.created_at for s in stories})
        self._c.notify(Changes.of(created=[s.id for s in stories], sections=bool(stories)))
        return stories


@dataclass
class _BatchCheck:
    """What a batch's files meet: copies and ids in the database (or earlier in the
    batch), slugs taken, sections added (or the error adding one)."""

    copies: dict[tuple[str, str], str]
    known: dict[str, str]
    taken: set[str]
    sections: dict[str, Exception | None] = field(default_factory=dict)

    def admit(self, story: Story) -> tuple[Story, list[str]]:
        """The story with a free slug, and a note if it had to change; later files of the
        batch meet it as if it were in the database."""
        slug, notes = free_slug(story.slug, self.taken.__contains__), []
        if slug != story.slug:
            notes.append(f"slug '{story.slug}' is taken; imported as '{slug}'")
            story = story.replace(slug=slug)
        self.taken.add(slug)
        self.copies.setdefault((story.headline, story.body), story.id)
        self.known[story.id] = slug
        return story, notes


def recent(samples: list[Story], now: datetime) -> list[Story]:
    """The samples moved by whole days so that the newest was last saved the day before
    `now` (times of day and the days between them kept): a first run shows a desk that
    worked last week, whenever it starts, and never a story saved in the future."""
    if not samples:
        return []
    newest = max(story.updated_at for story in samples)
    shift = timedelta(days=(now.astimezone(UTC).date() - newest.astimezone(UTC).date()).days - 1)
    return [
        story.replace(created_at=story.created_at + shift, updated_at=story.updated_at + shift)
        for story in samples
    ]


def _read(path: Path) -> _File:
    try:
        if path.suffix.lower() == ".txt":
            result = read_wire(path)
            return _File(path, result.story, list(result.notes))
        return _File(path, read_markdown(path))
    except (NewsdeskError, OSError) as exc:
        return _File(path, reason=_reason(path, exc))


def _attempt(action: Callable[[str], object], value: str) -> Exception | None:
    try:
        action(value)
    except (NewsdeskError, DatabaseError) as exc:
        return exc
    return None


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
