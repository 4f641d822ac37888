"""The workflow sub-commands of `newsdesk`: transitions, history, revert, verify.

With no saved profile, every command here works as a default editor named after the OS
user and says once, on stderr, how to set the profile (nothing asks questions: scripts
must not hang).

People are shown as "Name (key fingerprint)": the key is who they are, the name a label.
What only a synced file says (who edited it) is marked as its claim.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.commands.profile import default_profile_note
from newsdesk.cli.output import emit_json
from newsdesk.domain import model, workflow

if TYPE_CHECKING:
    from newsdesk.desk import Desk

TRANSITIONS = {
    "submit": "submit a draft for review",
    "approve": "approve a story in review (desk chief; signed with your key)",
    "request-changes": "send a story back to draft with a note (desk chief; --note required)",
    "publish": "mark an approved story published (desk chief)",
    "spike": "spike a story: kill it, keeping it on file (desk chief)",
    "restore": "bring a spiked story back as a draft (desk chief)",
}
DONE = {
    "submit": "submitted",
    "approve": "approved",
    "request_changes": "sent back to draft",
    "publish": "published",
    "spike": "spiked",
    "restore": "restored to draft",
}
# submit / approve / request-changes / publish / spike / restore


def _build_transition(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument("--note", default="", help="why (required for request-changes)")
    p.add_argument("--json", action="store_true")


def cmd_transition(desk: Desk, args: argparse.Namespace) -> int:
    default_profile_note(desk)
    action = workflow.normalize_action(args.command)
    slug = desk.find(args.ref).slug
    try:
        story = desk.transition(args.ref, action, args.note)
    except workflow.WorkflowError as exc:
        raise workflow.WorkflowError(f"{slug}: {exc}") from None  # which story, and why
    if args.json:
        emit_json(model.as_dict(story))
        return 0
    line = f"{DONE[action]}: {story.slug} (revision {story.revision}, now {story.status})"
    signed = story.actions[-1]
    print(f"{line}, signed by {model.person_label(signed.actor, signed.key_id)}")
    return 0


# history


def _build_history(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument(
        "--diff",
        nargs=2,
        type=int,
        metavar=("A", "B"),
        help="show what changed from revision A to revision B instead",
    )
    p.add_argument("--json", action="store_true")


def cmd_history(desk: Desk, args: argparse.Namespace) -> int:
    story = desk.find(args.ref)
    if args.diff:
        diff = desk.diff(story.id, *args.diff)
        if args.json:
            emit_json(diff.as_dict())
        else:
            sys.stdout.write(diff.text())
        return 0
    events = desk.history(story.id)
    revisions = desk.revisions(story.id)
    names = desk.identities(_keys_of(events, revisions))
    if args.json:
        emit_json(_history_dict(story, events, revisions, names))
        return 0
    _print_history(story, events, revisions, names)
    return 0


def _keys_of(events: list, revisions: list) -> list[str]:
    keys = {e.actor_key for e in events} | {r.author_key for r in revisions}
    return sorted(key for key in keys if key)


def _print_history(story: model.Story, events: list, revisions: list, names: list) -> None:
    print(f"{story.slug}  {story.headline}")
    print(f"status: {workflow.status_label(story)}    revision: {story.revision}")
    for approval in story.approvals:
        state = "current" if approval == story.current_approval else (
            f"VOIDED ({workflow.why_unapproved(story)})"
        )
        if approval != story.approvals[-1]:
            state = "superseded"
        who = model.person_label(approval.approver, model.key_fingerprint(approval.public_key))
        print(
            f"approval: revision {approval.revision} by {who} at "
            f"{model.format_datetime(approval.approved_at)} ({state})"
        )
    print("\nhistory:")
    for event in events:
        moved = f"{event.from_status or 'new'} -> {event.to_status}" if event.to_status else ""
        note = f"  “{event.note}”" if event.note else ""
        who = model.person_label(event.actor, event.actor_key, event.origin)
        print(
            f"  {model.format_datetime(event.at)}  rev {event.revision:<3} {event.action:<16}"
            f"{who:<28} {moved}{note}".rstrip()
        )
    print("\nrevisions:")
    for rev in revisions:
        who = model.person_label(rev.author, rev.author_key, rev.origin)
        print(
            f"  {rev.revision:>3}  {model.format_datetime(rev.saved_at)}  {who:<28}"
            f"  {rev.word_count:>5} words  {rev.headline}"
        )
    if names:
        print("\nnames of these keys on this desk:")
        for event in names:
            print(f"  {model.format_datetime(event.at)}  {event.actor_key}  {event.note}")


def _history_dict(
    story: model.Story, events: list, revisions: list, names: list
) -> dict[str, object]:
    data = model.as_dict(story)
    return {
        "id": story.id,
        "slug": story.slug,
        "status": story.status,
        "effective_status": workflow.effective_status(story),
        "needs_reapproval": workflow.needs_reapproval(story),
        "approval_voided": story.approval_voided,
        "revision": story.revision,
        "content_hash": story.content_hash,
        "approvals": data["approvals"],
        "actions": data["actions"],
        "events": [
            {
                "at": model.format_datetime(e.at),
                "actor": e.actor,
                "actor_key": e.actor_key,
                "origin": e.origin,
                "action": e.action,
                "revision": e.revision,
                "note": e.note,
                "from_status": e.from_status,
                "to_status": e.to_status,
            }
            for e in events
        ],
        "revisions": [
            {
                "revision": r.revision,
                "saved_at": model.format_datetime(r.saved_at),
                "author": r.author,
                "author_key": r.author_key,
                "origin": r.origin,
                "content_hash": r.content_hash,
                "headline": r.headline,
                "word_count": r.word_count,
            }
            for r in revisions
        ],
        "identities": [
            {
                "at": model.format_datetime(n.at),
                "name": n.actor,
                "key_id": n.actor_key,
                "action": n.action,
                "note": n.note,
            }
            for n in names
        ],
    }


# revert


def _build_revert(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument("revision", type=int, metavar="N", help="the revision whose text to bring back")


def cmd_revert(desk: Desk, args: argparse.Namespace) -> int:
    default_profile_note(desk)
    before = desk.find(args.ref)
    story = desk.restore_revision(before.id, args.revision)
    if story.revision == before.revision:
        print(f"{story.slug}: revision {args.revision} has the same text; nothing to do")
    else:
        print(f"{story.slug}: revision {story.revision} has the text of revision {args.revision}")
    if workflow.needs_reapproval(story):
        print(f"{story.slug}: {workflow.status_label(story)}", file=sys.stderr)
    return 0


# verify


def _build_verify(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument(
        "--keyring",
        type=Path,
        help="trusted keys (YAML/JSON name: key); default: your trusted keys and your own",
    )
    p.add_argument("--json", action="store_true")


def cmd_verify(desk: Desk, args: argparse.Namespace) -> int:
    story = desk.find(args.ref)
    result = desk.verify(story.id, args.keyring)
    checks = desk.verify_actions(story.id, args.keyring)
    forged = [check for check in checks if not check.signed]
    if args.json:
        emit_json({
            "id": story.id, "slug": story.slug, **result.as_dict(),
            "actions": [check.as_dict() for check in checks],
            "actions_valid": not forged,
        })
    else:
        print(f"{story.slug}: {result.reason}")
        if result.approval is not None and result.approval.public_key:
            key = model.key_fingerprint(result.approval.public_key)
            print(f"approval signed with key {key}")
        if checks:
            print("signed actions:")
            for check in checks:
                print(f"  {check.line()}")
        if forged:
            print(f"{story.slug}: {len(forged)} action(s) do not verify: altered or forged")
    return 0 if result.valid and not forged else 1


COMMANDS = (
    *(Command(name, help, _build_transition, cmd_transition)
      for name, help in TRANSITIONS.items()),
    Command("history", "a story's transitions and revisions, or a diff of two", _build_history,
            cmd_history),
    Command("revert", "save the text of an earlier revision as a new revision", _build_revert,
            cmd_revert),
    Command("verify",
            "check a story's approval and signed actions; exit 1 if the approval is not valid "
            "or an action's signature does not verify",
            _build_verify, cmd_verify),
)
