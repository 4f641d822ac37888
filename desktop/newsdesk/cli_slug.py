"""The `slug` sub-command of `newsdesk`: give a story a new slug.

Imported by cli.build_parser(), which registers it through cli.command. A bad or taken
slug is refused with one line on stderr and exit 2 (cli.main), and nothing changes.
"""

from __future__ import annotations

import argparse

from newsdesk.cli import Desk, command, emit_json


def _build_slug(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG", help="the story (an id, id prefix or its slug)")
    p.add_argument("slug", metavar="NEW", help="the new slug: lower-case letters, digits, hyphens")
    p.add_argument("--json", action="store_true", help="the story's id, old and new slug")


@command("slug", _build_slug, "give a story a new slug (the old one stays an alias in exports)")
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
