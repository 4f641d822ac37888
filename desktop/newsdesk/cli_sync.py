"""The sync sub-commands of `newsdesk`: sync FOLDER, and conflicts (list, show, resolve).

Imported by cli.build_parser(), which registers them through cli.command.

Exit codes of `newsdesk sync`: 0 when the pass ran and nothing needs a person; 1 when it
ran but reported conflicts, missing or invalid files, skipped stories or a git error;
2 when it stopped before changing anything (missing workspace marker, many files gone)
or could not start.
"""

from __future__ import annotations

import argparse
import sys

from newsdesk.cli import Desk, command, emit_json
from newsdesk.model import NewsdeskError
from newsdesk.sync.report import ATTENTION_KINDS, SyncReport

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


@command("sync", _build_sync, "two-way sync of every story with a folder of Markdown files")
def cmd_sync(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.cli_progress import progress_bar, wanted

    with progress_bar("Syncing", "story", enabled=wanted(args.json)) as progress:
        report = desk.sync(args.folder, progress, restore_missing=args.restore_missing)
    if args.json:
        emit_json(_report_dict(report))
    else:
        _print_report(report, quiet=args.quiet)
    if report.stopped:
        return 2
    return 0 if report.ok else 1


def _print_report(report: SyncReport, *, quiet: bool) -> None:
    for entry in report.entries:
        attention = entry.kind in ATTENTION_KINDS
        if attention or not quiet:
            line = f"{entry.kind:<9}  {entry.message}"
            print(line, file=sys.stderr if attention else sys.stdout)
    print(report.summary(), file=sys.stderr if report.stopped else sys.stdout)


def _report_dict(report: SyncReport) -> dict[str, object]:
    return {
        "folder": report.folder,
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
    p.add_argument(
        "--take",
        choices=("local", "remote"),
        help="resolve the story's conflict by keeping this side whole",
    )
    p.add_argument("--json", action="store_true")


@command("conflicts", _build_conflicts, "list sync conflicts, or resolve one with --take")
def cmd_conflicts(desk: Desk, args: argparse.Namespace) -> int:
    story_id = _story_id(desk, args.ref) if args.ref else None
    conflicts = desk.conflicts(story_id)
    if args.take:
        if not story_id or not conflicts:
            raise NewsdeskError("give the story whose conflict to resolve (it has none open)")
        # "local" is the story as it is now (it may have been edited since the conflict).
        chosen = desk.get(story_id) if args.take == "local" else conflicts[-1].remote
        story = desk.resolve_conflict(story_id, chosen)
        print(f"{story.id}  {story.slug}: kept the {args.take} version; sync to send it out")
        return 0
    if args.json:
        emit_json(
            [
                {
                    "story_id": c.story_id,
                    "path": c.path,
                    "fields": list(c.fields),
                    "origin": c.origin,
                    "since": c.created_at,
                }
                for c in conflicts
            ]
        )
    elif not conflicts:
        print("no conflicts")
    else:
        for c in conflicts:
            print(f"{c.story_id[:8]}  {c.local.slug:<24}  {', '.join(c.fields)}  ({c.path})")
    return 0


def _story_id(desk: Desk, ref: str) -> str:
    try:
        return desk.find(ref).id
    except NewsdeskError:
        # A conflicted story may be in the trash here (deleted on one side).
        matches = [c.story_id for c in desk.conflicts() if c.story_id.startswith(ref)]
        if len(set(matches)) == 1:
            return matches[0]
        raise
