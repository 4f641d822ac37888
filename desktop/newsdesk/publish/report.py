"""What an export did: the stories now in the tree, written, skipped and withdrawn, the
files written and removed, and notes (`newsdesk export` prints it, `--json` as JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.publish.manifest import StoryEntry, Withdrawn
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

    @property
    def exported_ids(self) -> list[str]:
        return [entry.id for entry in self.exported]

    def summary(self) -> str:
        text = (
            f"{len(self.exported)} {plural(len(self.exported), 'story', 'stories')} in "
            f"{self.out_dir} ({self.format}): {len(self.changed)} changed, "
            f"{len(self.skipped)} skipped, {len(self.withdrawn)} withdrawn; "
            f"{len(self.written)} {plural(len(self.written), 'file', 'files')} written, "
            f"{len(self.removed)} removed"
        )
        if self.published:
            text += f"; {len(self.published)} marked published"
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
        }


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many
