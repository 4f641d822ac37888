"""The `slug` sub-command of `newsdesk`: give a story a new slug.

A bad or taken slug is refused with one line on stderr and exit 2 (cli/main.py), and
nothing changes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json

if TYPE_CHECKING:
    from newsdesk.desk import Desk


def _build_slug(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG", help="the story (an id, id prefix or its slug)")
    p.add_argument("slug", metavar="NEW", help="the new slug: lower-case letters, digits, hyphens")
    p.add_argument("--json", action="store_true", help="the story's id, old and new slug")


def cmd_slug(desk: Desk, args: argparse.Namespace) -> int:
    story = desk.find(args.ref)
    changed = desk.change_slug(story.id, args.slug)
    if args.json:
        emit_json(
            {"id": changed.id, "slug": changed.slug, "old_slug": story.slug,
             "revision": changed.revision}
        )
    elif changed.slug == story.slug:
        print(f"{changed.id}  {changed.slug}: already its slug; nothing changed")
    else:
        print(
            f"{changed.id}  {story.slug} -> {changed.slug} (revision {changed.revision}); "
            "exports keep the old URL as an alias"
        )
    return 0


COMMANDS = (
    Command("slug", "give a story a new slug (the old one stays an alias in exports)",
            _build_slug, cmd_slug),
)
