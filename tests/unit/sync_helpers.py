"""Shared pieces of the sync tests: two laptops (databases) and the stories they write."""

from __future__ import annotations

from pathlib import Path

from newsdesk.model import Story
from newsdesk.store import Store
from newsdesk.sync.engine import sync_folder
from newsdesk.sync.report import SyncReport

BODY = (
    "The harbour bridge opened again on Monday after eight weeks of repairs.\n\n"
    "Engineers replaced the expansion joints on the northern span.\n\n"
    "Buses return to their usual routes from Tuesday morning.\n"
)


def new_story(store: Store, slug: str = "harbour-bridge", **fields: object) -> Story:
    values: dict[str, object] = {
        "slug": slug,
        "headline": f"Story {slug}",
        "body": BODY,
        "section": "News / Metro",
        "tags": ("transport",),
    }
    values.update(fields)
    return store.insert(Story(**values), actor="Reporter One")  # type: ignore[arg-type]


def edit(store: Store, story_id: str, actor: str = "Editor", **changes: object) -> Story:
    current = store.get(story_id)
    return store.save(current.replace(**changes), expected_revision=current.revision, actor=actor)


def sync(store: Store, folder: Path, **options: object) -> SyncReport:
    report = sync_folder(store, folder, actor="tester", **options)  # type: ignore[arg-type]
    assert not report.stopped, report.stopped
    return report


def story_files(folder: Path) -> list[Path]:
    return sorted((folder / "stories").rglob("*.md"))


def only_file(folder: Path) -> Path:
    (path,) = story_files(folder)
    return path


def kinds(report: SyncReport) -> dict[str, int]:
    return report.counts()
