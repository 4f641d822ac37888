"""The desk-tools sub-commands of `newsdesk`: check (the copy-desk checks on a story)
and stats (the desk's figures)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json
from newsdesk.domain import model, wording
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.desk import Desk


def _build_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument("--json", action="store_true")
    p.epilog = (
        "Exit status: 0 when no finding is an error (warnings and notes do not fail), "
        "1 when at least one is (no headline, an unresolved placeholder), 2 when the "
        "story cannot be found."
    )


def cmd_check(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.copydesk.checks import has_errors, locate, reading_minutes

    story = desk.find(args.ref)
    findings = desk.check_story(story)
    minutes = reading_minutes(story, desk.rules())
    if args.json:
        emit_json(
            {
                "id": story.id,
                "slug": story.slug,
                "words": story.word_count,
                "reading_minutes": minutes,
                "errors": sum(f.severity == "error" for f in findings),
                "findings": [{**f.to_dict(), **locate(story, f)} for f in findings],
            }
        )
    else:
        for f in findings:
            where = locate(story, f)
            place = f"{f.field}:{where['line']}:{where['column']}" if f.field else "rules"
            excerpt = f"  [{where['text']}]" if where["text"].strip() else ""
            print(f"{f.severity:<7}  {place:<16}  {f.message}{excerpt}")
        errors = sum(f.severity == "error" for f in findings)
        print(
            f"{story.slug}: {wording.count(story.word_count, 'word')}, {minutes} min read; "
            f"{wording.count(len(findings), 'finding')}, {wording.count(errors, 'error')}"
        )
    return 1 if has_errors(findings) else 0


def _build_stats(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")
    p.add_argument("--section", help="only this section and its sub-sections")
    p.add_argument("--editor", help="only stories with this editor")
    p.add_argument("--days", type=int, default=30, help="period for throughput (default 30)")


def cmd_stats(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.copydesk.stats import format_text

    section = model.normalize_section(args.section) if args.section else None
    try:
        figures = desk.stats(section=section, editor=args.editor, days=args.days)
    except ValueError as exc:
        raise NewsdeskError(f"--days: {exc}") from None
    if args.json:
        emit_json(figures.to_dict())
    else:
        print(format_text(figures))
    return 0


COMMANDS = (
    Command("check", "run the copy-desk checks on a story", _build_check, cmd_check),
    Command("stats", "desk figures: status, sections, throughput, time to approval",
            _build_stats, cmd_stats),
)
