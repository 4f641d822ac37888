"""What an export did: the stories now in the tree, written, skipped and withdrawn, the
files written and removed, and notes (`newsdesk export` prints it, `--json` as JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.publish.manifest import StoryEntry, Withdrawn, read_manifest
from newsdesk.publish.record import record_path


@dataclass
class ExportReport:
    """What an export did. `exported` is every story now in the tree."""

    format: str
    out_dir: Path
    exported: list[StoryEntry] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # ids whose files were written
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # id, slug, reason
    withdrawn: list[Withdrawn] = field(default_factory=list)  # removed by this export
    written: list[str] = field(default_factory=list)  # relative paths
    removed: list[str] = field(default_factory=list)
    manifest_written: bool = False
    conflicted: list[str] = field(default_factory=list)  # ids held for a sync conflict
    published: list[str] = field(default_factory=list)  # ids the desk then marked published
    notes: list[str] = field(default_factory=list)  # what the desk could not do afterwards
    killed: list[str] = field(default_factory=list)  # ids whose kill notice is in the tree

    @property
    def exported_ids(self) -> list[str]:
        return [entry.id for entry in self.exported]

    @property
    def story_count(self) -> int:
        """How many stories the tree holds."""
        return len(self.exported)

    def summary(self) -> str:
        count = self.story_count
        text = (
            f"{count} {plural(count, 'story', 'stories')} in "
            f"{self.out_dir} ({self.format}): {len(self.changed)} changed, "
            f"{len(self.skipped)} skipped, {len(self.withdrawn)} withdrawn; "
            f"{len(self.written)} {plural(len(self.written), 'file', 'files')} written, "
            f"{len(self.removed)} removed"
        )
        if self.published:
            text += f"; {len(self.published)} marked published"
        if self.killed:
            text += f"; {len(self.killed)} kill {plural(len(self.killed), 'notice', 'notices')}"
        return text

    def as_dict(self) -> dict[str, object]:
        """The report as JSON values (for `newsdesk export --json`)."""
        return {
            "format": self.format,
            "out_dir": str(self.out_dir),
            "exported": [
                {"id": e.id, "slug": e.slug, "revision": e.revision,
                 "files": sorted(p for p in e.files if p != record_path(e.id)),
                 "record": record_path(e.id)}
                for e in self.exported
            ],
            "changed": self.changed,
            "skipped": [{"id": i, "slug": s, "reason": r} for i, s, r in self.skipped],
            "withdrawn": [w.as_dict() for w in self.withdrawn],
            "written": self.written,
            "removed": self.removed,
            "manifest_written": self.manifest_written,
            "conflicted": self.conflicted,
            "published": self.published,
            "notes": self.notes,
            "killed": self.killed,
        }


class QuietReport(ExportReport):
    """The report of a re-export that found nothing changed since the last export to its
    folder (publish/quiet.py): nothing written, and the last outcome. `exported` is read
    from the tree's manifest only when asked (the count is known without it)."""

    def __init__(self, *args: object, stories: int = 0, **fields: object) -> None:
        self._entries: list[StoryEntry] | None = None
        super().__init__(*args, **fields)  # type: ignore[arg-type]
        self.stories = stories

    @property  # type: ignore[override]
    def exported(self) -> list[StoryEntry]:
        if self._entries is None:
            manifest = read_manifest(self.out_dir)
            entries = manifest.stories if manifest is not None else {}
            self._entries = [entries[key] for key in sorted(entries)]
        return self._entries

    @exported.setter
    def exported(self, entries: list[StoryEntry]) -> None:
        self._entries = entries or None  # empty: read when asked

    @property
    def story_count(self) -> int:
        return self.stories


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many
