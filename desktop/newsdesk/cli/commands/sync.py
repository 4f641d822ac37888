"""The sync sub-commands of `newsdesk`: sync FOLDER, and conflicts (list, show, resolve).

Exit codes of `newsdesk sync` (SyncReport.outcome, sync/report.OUTCOMES): 0 all well;
1 needs a person (conflicts, missing or invalid files); 3 not delivered (a push refused
after its retries, the remote unreachable, a git error, a story left for the next sync):
sync again; 2 stopped before changing anything (missing workspace marker, many files
gone) or could not start. Not delivered wins over needs a person: the next sync says
whether a person is still needed. The JSON report carries "outcome" and "delivered".
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.sync.conflicts import Conflict, Resolution
    from newsdesk.sync.report import SyncReport

# sync


def _build_sync(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", metavar="FOLDER", help="the shared folder or git clone")
    p.add_argument(
        "--restore-missing",
        action="store_true",
        help="write again the files of stories whose file vanished (default: only report)",
    )
    p.add_argument("--json", action="store_true", help="the report as JSON")
    p.add_argument("--quiet", action="store_true", help="only the summary and problems")
    p.epilog = (
        "Exit status: 0 all well; 1 needs a person (conflicts, missing or invalid files); "
        "3 not delivered (push refused after retries, remote unreachable): sync again; "
        "2 stopped before changing anything."
    )


def cmd_sync(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.cli.progress import progress_bar, wanted

    with progress_bar("Syncing", "story", enabled=wanted(args.json)) as progress:
        report = desk.sync(args.folder, progress, restore_missing=args.restore_missing)
    if args.json:
        emit_json(_report_dict(report))
    else:
        _print_report(report, quiet=args.quiet)
    return report.exit_code


def _print_report(report: SyncReport, *, quiet: bool) -> None:
    from newsdesk.sync.report import ATTENTION_KINDS

    for entry in report.entries:
        attention = entry.kind in ATTENTION_KINDS
        if attention or not quiet:
            line = f"{entry.kind:<9}  {entry.message}"
            print(line, file=sys.stderr if attention else sys.stdout)
    print(report.summary(), file=sys.stderr if report.stopped else sys.stdout)


def _report_dict(report: SyncReport) -> dict[str, object]:
    from newsdesk.sync.report import NEEDS_PERSON_KINDS

    return {
        "folder": report.folder,
        "outcome": report.outcome,
        "delivered": report.delivered,
        "needs_person": any(e.kind in NEEDS_PERSON_KINDS for e in report.entries),
        "stopped": report.stopped,
        "ok": report.ok,
        "counts": report.counts(),
        "entries": [
            {"kind": e.kind, "message": e.message, "story_id": e.story_id, "path": e.path}
            for e in report.entries
        ],
    }


# conflicts


def _build_conflicts(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", nargs="?", metavar="ID|SLUG", help="one story (default: all)")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--take",
        choices=("local", "remote"),
        help="resolve: keep everything that merged cleanly, and this side for the clashes",
    )
    how.add_argument(
        "--whole",
        choices=("local", "remote"),
        help="resolve: keep this side entirely (the other side's changes are dropped)",
    )
    p.add_argument(
        "--undelete",
        action="store_true",
        help="with --take or --whole, when a side deleted the story: bring it back on "
        "every laptop (default: the deletion stands)",
    )
    p.add_argument("--json", action="store_true")


def cmd_conflicts(desk: Desk, args: argparse.Namespace) -> int:
    side = args.take or args.whole
    if args.undelete and not side:
        raise NewsdeskError("--undelete goes with --take or --whole")
    story_id = _story_id(desk, args.ref) if args.ref else None
    conflicts = desk.conflicts(story_id)
    if side:
        if not story_id or not conflicts:
            raise NewsdeskError("give the story whose conflict to resolve (it has none open)")
        _resolve(desk, story_id, side, args)
    else:
        _print_conflicts(desk, conflicts, as_json=args.json)
    return 0


def _print_conflicts(desk: Desk, conflicts: list[Conflict], *, as_json: bool) -> None:
    if as_json:
        emit_json([_conflict_dict(desk, c) for c in conflicts])
    elif not conflicts:
        print("no conflicts")
    for c in conflicts if not as_json else ():
        clashes = ", ".join(clash.label for clash in desk.conflict_clashes(c))
        print(
            f"{c.story_id[:8]}  {c.local.slug:<24}  {clashes or ', '.join(c.fields)}"
            f"{_deleted_words(c)}  ({c.path})"
        )


def _resolve(desk: Desk, story_id: str, side: str, args: argparse.Namespace) -> None:
    """Resolve with `side` for the clashes (or whole), and say what was kept."""
    done = desk.take_side(story_id, side, whole=bool(args.whole), undelete=args.undelete)
    for line in _resolution_lines(done, side, whole=bool(args.whole)):
        print(line)
    if done.refused:
        # The chosen version's status or signed records this laptop does not take (as a
        # sync would not): said, and kept in the story's history.
        print(f"rejected   {done.story.slug}: {done.refused}", file=sys.stderr)


def _deleted_words(c: Conflict) -> str:
    if c.local_deleted and c.remote_deleted:
        return "; deleted on both sides"
    if c.local_deleted or c.remote_deleted:
        return f"; deleted {'here' if c.local_deleted else 'on the other side'}"
    return ""


def _conflict_dict(desk: Desk, c: Conflict) -> dict[str, object]:
    return {
        "story_id": c.story_id,
        "path": c.path,
        "fields": list(c.fields),
        "clashes": [clash.label for clash in desk.conflict_clashes(c)],
        "local_deleted": c.local_deleted,
        "remote_deleted": c.remote_deleted,
        "origin": c.origin,
        "since": c.created_at,
    }


def _resolution_lines(done: Resolution, side: str, *, whole: bool) -> list[str]:
    """What a resolution kept, in words."""
    story = done.story
    if whole:
        other = "remote" if side == "local" else "local"
        lines = [
            f"{story.id}  {story.slug}: kept the {side} version whole; the {other} "
            "version's changes were dropped (both stay in the story's history here)"
        ]
    elif done.clashes:
        lines = [
            f"{story.id}  {story.slug}: kept the {side} version of {', '.join(done.clashes)}; "
            "everything else merged from both sides"
        ]
    else:
        lines = [f"{story.id}  {story.slug}: nothing clashes any more; kept the merge of both"]
    if done.deleted:
        lines.append(
            "  the deletion stands: the story stays in the trash, and goes to the trash on "
            "every laptop (give --undelete to bring it back everywhere)"
        )
    elif done.undeleted:
        lines.append(
            "  undeleted: the story is back here, and will come back on every laptop "
            "when they sync"
        )
    lines.append("sync to send it out")
    return lines


def _story_id(desk: Desk, ref: str) -> str:
    try:
        return desk.find(ref).id
    except NewsdeskError:
        # A conflicted story may be in the trash here (deleted on one side).
        matches = [
            c.story_id
            for c in desk.conflicts()
            if c.story_id.startswith(ref) or ref in (c.local.slug, c.remote.slug)
        ]
        if len(set(matches)) == 1:
            return matches[0]
        raise


COMMANDS = (
    Command("sync", "two-way sync of every story with a folder of Markdown files", _build_sync,
            cmd_sync),
    Command("conflicts",
            "list sync conflicts, or resolve one with --take (the clashes) or --whole",
            _build_conflicts, cmd_conflicts),
)
