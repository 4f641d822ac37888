"""The after-publication sub-commands of `newsdesk`: correct, update, kill, corrections.

`correct` and `update` record, with its note, a change made to a published story; the
story then needs approving (four eyes) and publishing again, and goes out as a new version
carrying the note. Without --note, `correct` refuses and shows the note Newsdesk drafts
from the changes (`--draft` prints only the draft, for scripts). `kill` (desk chief) takes
a published story down for good: the exports replace it by the notice.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.commands.profile import default_profile_note
from newsdesk.cli.output import emit_json
from newsdesk.domain import model

if TYPE_CHECKING:
    from newsdesk.desk import Desk

DONE = {
    "correct": "correction recorded",
    "update": "update recorded",
    "kill": "killed",
}
NEXT = {
    "correct": "it goes out as a new version once a desk chief approves and publishes it",
    "update": "it goes out as a new version once a desk chief approves and publishes it",
    "kill": "the next export replaces it by the notice",
}


def _build_action(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument("--note", default="", help="the note that goes out with it (required)")
    p.add_argument("--json", action="store_true")


def _build_correct(p: argparse.ArgumentParser) -> None:
    _build_action(p)
    p.add_argument("--draft", action="store_true",
                   help="print the note drafted from the changes, record nothing")


def cmd_action(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.domain.workflow import WorkflowError

    default_profile_note(desk)
    story = desk.find(args.ref)
    if getattr(args, "draft", False):
        print(desk.draft_note(story.id))
        return 0
    note = args.note.strip()
    if not note and args.command == "correct":
        drafted = desk.draft_note(story.id)
        hint = f"; drafted from the changes: {drafted!r}" if drafted else ""
        raise WorkflowError(f"{story.slug}: a note is required (--note TEXT){hint}")
    try:
        story = desk.after_publication(story.id, args.command, note)
    except WorkflowError as exc:
        raise WorkflowError(f"{story.slug}: {exc}") from None
    if args.json:
        emit_json(model.as_dict(story))
        return 0
    signed = story.actions[-1]
    print(f"{DONE[args.command]}: {story.slug} (revision {story.revision}, now {story.status}), "
          f"signed by {model.person_label(signed.actor, signed.key_id)}; {NEXT[args.command]}")
    return 0


def _build_log(p: argparse.ArgumentParser) -> None:
    p.add_argument("--since", default="", metavar="DATE",
                   help="only those recorded on or after DATE (YYYY-MM-DD or a UTC time)")
    p.add_argument("--json", action="store_true")


def since_time(text: str) -> datetime | None:
    """--since as a UTC time: a date is its start; ValueError with a readable message."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 10:
        return datetime.combine(model.parse_date(text), time(), tzinfo=UTC)
    try:
        return model.parse_datetime(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD) or a time") from None


def cmd_log(desk: Desk, args: argparse.Namespace) -> int:
    try:
        since = since_time(args.since)
    except ValueError as exc:
        raise model.NewsdeskError(f"--since: {exc}") from None
    entries = desk.corrections_log(since)
    if args.json:
        emit_json([entry.as_dict() for entry in entries])
        return 0
    if not entries:
        print("no corrections, updates or kills" + (f" since {args.since}" if since else ""))
    for entry in entries:
        state = "" if entry.out else "  (awaiting approval)"
        who = model.person_label(entry.actor, entry.key_id)
        print(f"{model.format_datetime(entry.at)}  {entry.kind:<8} {entry.slug:<24} "
              f"rev {entry.revision:<3} {who}{state}\n    {entry.note}")
    return 0


COMMANDS = (
    Command("correct", "record a correction of a published story you edited, with its note "
            "(drafted from the changes: --draft)", _build_correct, cmd_action),
    Command("update", "record an update of a published story you edited, with its update "
            "line", _build_action, cmd_action),
    Command("kill", "kill a published story for good (desk chief; signed; --note is the "
            "notice the exports carry)", _build_action, cmd_action),
    Command("corrections", "the corrections log: corrections, updates and kills, newest "
            "first", _build_log, cmd_log),
)
