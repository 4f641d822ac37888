"""The kill notices of an export: each killed story's signed kill checked, its notice
rendered at the paths of the version that went out, listed in the manifest and in the
format's listings (Hugo's section lists, the HTML index; publish/lifecycle.py says what a
notice is)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set

from newsdesk.domain.lifecycle import kill_of
from newsdesk.formats.html import story_language
from newsdesk.publish.batches import Context
from newsdesk.publish.files import sha256_hex
from newsdesk.publish.lifecycle import KillNotice, kill_problem
from newsdesk.publish.manifest import KilledEntry, StoryEntry
from newsdesk.publish.report import ExportReport
from newsdesk.publish.selection import StoryHead
from newsdesk.publish.writer import Writer


def kill_notices(
    rows: Sequence[StoryHead], context: Context, report: ExportReport, hugo_rule: str
) -> dict[str, KillNotice]:
    """The notice of each killed story in `rows` whose kill holds (signed; a trusted
    chief's with a keyring), named as the version that went out; the others are skipped
    and reported. Read before the stories are placed, so the listings can show them."""
    wanted = {row.id: (row.id, _went_out(row)) for row in rows}
    versions = context.source.revisions(list(wanted.values())) if wanted else {}
    notices: dict[str, KillNotice] = {}
    for row in rows:
        action = kill_of(row.actions)
        problem = kill_problem(row.id, action, context.keyring)
        version = versions.get(wanted[row.id])
        if not problem and version is None:
            problem = "killed, but the version that went out cannot be read"
        if problem or action is None or version is None:
            report.skipped.append((row.id, row.slug, problem))
            continue
        notices[row.id] = KillNotice(row.id, version.slug, version.headline, version.section,
                                     story_language(version), action, hugo_rule)
    return notices


def place_kills(
    notices: Mapping[str, KillNotice],
    context: Context,
    out: Writer,
    report: ExportReport,
    taken: Set[str],
) -> dict[str, KilledEntry]:
    """Write each notice at the paths of the version that went out; `taken`: the paths
    the live stories and shared files claimed (a live story keeps its page)."""
    entries: dict[str, KilledEntry] = {}
    for story_id, notice in notices.items():
        files = context.layout.kill_files(notice)
        clash = next((path for path in files if path in taken), None)
        if clash is not None:
            report.skipped.append((story_id, notice.slug, f"{clash} belongs to another story"))
            continue
        if out.add(files):
            report.changed.append(story_id)
        entries[story_id] = KilledEntry(notice, {p: sha256_hex(d) for p, d in files.items()})
        report.killed.append(story_id)
    out.flush()
    return entries


def listed_again(
    context: Context,
    stories: Iterable[StoryEntry],
    listed: Mapping[str, KillNotice],
    killed: Mapping[str, KilledEntry],
    shared: dict[str, bytes],
    out: Writer,
) -> dict[str, bytes]:
    """The shared files (Hugo's section lists, the HTML index) as they must be: listing
    the notices that were placed. They were written listing every notice that holds
    (`listed`); only when one was left out after all (its page belongs to another
    story) are they rendered and written again."""
    if set(listed) == set(killed):
        return shared
    shared = context.layout.shared_files(stories, [entry.notice for entry in killed.values()])
    out.add(shared)
    out.flush()
    return shared
def _went_out(row: StoryHead) -> int:
    """The revision whose names the notice takes: the last one approved (what went out)."""
    return row.approvals[-1].revision if row.approvals else row.revision
