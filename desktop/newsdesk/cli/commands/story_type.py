"""The `type` sub-command of `newsdesk`: show or change a story's type, and list the types.

`newsdesk type REF` prints the story's type; `newsdesk type REF opinion` makes it an
opinion piece (a new revision; an approval is voided like any content change);
`newsdesk type --list` prints the house's types and their rules. An unknown type is
refused with one line on stderr and exit 2 (cli/main.py), and nothing changes; so is a
new type for a killed story (workflow.type_refusal: it stays as it went out).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json
from newsdesk.domain import workflow
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.copydesk.type_rules import TypeRule
    from newsdesk.desk import Desk


def _build_type(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG", nargs="?", help="the story")
    p.add_argument("type", metavar="TYPE", nargs="?", help="its new type (news, brief...)")
    p.add_argument("--list", action="store_true", help="the house's story types and rules")
    p.add_argument("--json", action="store_true")


def cmd_type(desk: Desk, args: argparse.Namespace) -> int:
    if args.list:
        _print_types(desk.rules().types, args.json)
        return 0
    if not args.ref:
        raise NewsdeskError("give a story (ID or slug), or --list for the types")
    story = desk.find(args.ref)
    refused = workflow.type_refusal(story) if args.type else None
    if refused:
        raise workflow.WorkflowError(refused)
    changed = desk.change_type(story.id, args.type) if args.type else story
    if args.json:
        emit_json({"id": changed.id, "slug": changed.slug, "type": changed.type,
                   "old_type": story.type, "revision": changed.revision})
    elif not args.type:
        print(changed.type)
    elif changed.revision == story.revision:
        print(f"{changed.id}  {changed.slug}: already of type {changed.type}; nothing changed")
    else:
        print(f"{changed.id}  {changed.slug}: {story.type} -> {changed.type} "
              f"(revision {changed.revision})")
    return 0


def _print_types(types: tuple[TypeRule, ...], as_json: bool) -> None:
    if as_json:
        emit_json([
            {"type": t.name, "label": t.label, "required": list(t.required),
             "min_words": t.min_words, "max_words": t.max_words, "target": t.target,
             "sections": list(t.sections)}
            for t in types
        ])
        return
    for t in types:
        words = f"{t.min_words or 0}-{t.max_words or '∞'} words"
        target = f"target {t.target}" if t.target else "house target"
        where = f"  in {', '.join(t.sections)}" if t.sections else ""
        print(f"{t.name:<12} {words:<16} {target:<12} needs {', '.join(t.required)}{where}")


COMMANDS = (
    Command("type", "show or change a story's type (news, brief, opinion...), or --list them",
            _build_type, cmd_type),
)
