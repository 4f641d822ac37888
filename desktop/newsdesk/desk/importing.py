"""The Desk's import of wire copy and Markdown files, and the first-run samples."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from newsdesk.desk.stories import Progress
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import loads as markdown_loads
from newsdesk.formats.markdown import read_markdown
from newsdesk.formats.wire import read_wire
from newsdesk.model import NewsdeskError, Story
from newsdesk.store import NotFound, Store

IMPORTABLE_SUFFIXES = (".txt", ".md", ".markdown")
IMPORT_BATCH = 200


@dataclass
class ImportReport:
    imported: list[Story] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[tuple[Path, str]] = field(default_factory=list)


class ImportingMixin:
    store: Store
    actor: str

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
