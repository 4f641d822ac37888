"""The kill notices of an export: each killed story's signed kill checked, its notice
rendered at the paths of the version that went out, and listed in the manifest
(publish/lifecycle.py says what a notice is)."""

from __future__ import annotations

from collections.abc import Sequence, Set

from newsdesk.domain.lifecycle import kill_of
from newsdesk.formats.html import story_language
from newsdesk.publish.batches import Context
from newsdesk.publish.files import sha256_hex
from newsdesk.publish.lifecycle import KillNotice, kill_problem
from newsdesk.publish.manifest import KilledEntry
from newsdesk.publish.report import ExportReport
from newsdesk.publish.selection import StoryHead
from newsdesk.publish.writer import Writer


def place_kills(
    rows: Sequence[StoryHead],
    context: Context,
    out: Writer,
    report: ExportReport,
    taken: Set[str],
    hugo_rule: str,
) -> dict[str, KilledEntry]:
    """Write the notice of each killed story in `rows` whose kill holds; `taken`: the
    paths the live stories and shared files claimed (a live story keeps its page)."""
    wanted = {row.id: (row.id, _went_out(row)) for row in rows}
    versions = context.source.revisions(list(wanted.values())) if wanted else {}
    entries: dict[str, KilledEntry] = {}
    for row in rows:
        action = kill_of(row.actions)
        problem = kill_problem(row.id, action, context.keyring)
        version = versions.get(wanted[row.id])
        if not problem and version is None:
            problem = "killed, but the version that went out cannot be read"
        if problem or action is None or version is None:
            report.skipped.append((row.id, row.slug, problem))
            continue
        notice = KillNotice(row.id, version.slug, version.headline, version.section,
                            story_language(version), action, hugo_rule)
        files = context.layout.kill_files(notice)
        clash = next((path for path in files if path in taken), None)
        if clash is not None:
            report.skipped.append((row.id, row.slug, f"{clash} belongs to another story"))
            continue
        if out.add(files):
            report.changed.append(row.id)
        entries[row.id] = KilledEntry(notice, {p: sha256_hex(d) for p, d in files.items()})
        report.killed.append(row.id)
    out.flush()
    return entries


def _went_out(row: StoryHead) -> int:
    """The revision whose names the notice takes: the last one approved (what went out)."""
    return row.approvals[-1].revision if row.approvals else row.revision
