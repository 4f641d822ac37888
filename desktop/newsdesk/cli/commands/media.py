"""The `media` sub-command of `newsdesk`: attach pictures to a story, list, remove them.

    newsdesk media add ID|SLUG FILE... [--caption T] [--alt T] [--credit T] [--lead]
    newsdesk media list ID|SLUG [--json]
    newsdesk media remove ID|SLUG MEDIA_ID
    newsdesk media renditions [--all]
    newsdesk media purge [--dry-run]

A file that is not a picture Newsdesk takes (or is damaged, too large, a bomb, SVG, or
holds HTML in its metadata) is refused with one line on stderr and exit 2 (cli/main.py),
and nothing is stored: not that file, nor the others given with it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.media import Picture
    from newsdesk.media.purge import PurgePlan


def _build_media(p: argparse.ArgumentParser) -> None:
    actions = p.add_subparsers(dest="media_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="attach picture files (JPEG, PNG, WebP)")
    add.add_argument("ref", metavar="ID|SLUG", help="the story")
    add.add_argument("files", nargs="+", type=Path, metavar="FILE", help="picture files")
    add.add_argument("--caption", help="the caption (the file's own fills it otherwise)")
    add.add_argument("--alt", help="alt text: what the picture shows, for who cannot see it")
    add.add_argument("--credit", help="the credit line (the file's own fills it otherwise)")
    add.add_argument("--lead", action="store_true", help="make the (first) picture the lead")
    add.add_argument("--json", action="store_true", help="the pictures added, as JSON")
    listing = actions.add_parser("list", help="the pictures of a story")
    listing.add_argument("ref", metavar="ID|SLUG", help="the story")
    listing.add_argument("--json", action="store_true", help="as JSON")
    remove = actions.add_parser("remove", help="take a picture off a story")
    remove.add_argument("ref", metavar="ID|SLUG", help="the story")
    remove.add_argument("media_id", metavar="MEDIA_ID", help="the picture's id (or 6+ hex)")
    renditions = actions.add_parser(
        "renditions", help="make the thumbnails and web renditions not made yet")
    renditions.add_argument("--all", action="store_true",
                            help="also the pictures of every revision in the history")
    purge = actions.add_parser(
        "purge", help="remove stored pictures and renditions no story or revision uses")
    purge.add_argument("--dry-run", action="store_true",
                       help="list what would be removed, remove nothing")


def _line(picture: Picture) -> str:
    size = f"{picture.width}x{picture.height}"
    caption = picture.caption.replace("\n", " ")[:60] or "(no caption)"
    return f"{picture.id[:19]}  {picture.role:<7} {size:>11}  {picture.file_name}  {caption}"


def story_picture_lines(extra: Mapping[str, object]) -> list[str]:
    """A story's pictures for `newsdesk show`: what `--json` lists, one picture a few
    lines; a list someone broke by hand is named, never a reason not to show the story."""
    if not extra.get("pictures"):
        return []  # most stories: no need to load the picture code (and Pillow)
    from newsdesk.domain.model import NewsdeskError
    from newsdesk.media.attached import pictures_of

    try:
        pictures = pictures_of(extra)
    except NewsdeskError as exc:
        return [f"pictures: cannot be read ({exc})"]
    lines = [f"pictures: {len(pictures)}"]
    for picture in pictures:
        lines.append(f"  {picture.role:<7} {picture.file_name}  "
                     f"{picture.width}x{picture.height}  {picture.id[:19]}")
        for name in ("caption", "credit", "alt"):
            value = getattr(picture, name).replace("\n", " ")
            lines.append(f"    {name}: {value or '(none)'}")
    return lines


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.1f} kB"


def purge_lines(plan: PurgePlan, dry_run: bool) -> list[str]:
    """What `media purge` prints: each picture removed, then the count and bytes freed."""
    verb = "would remove" if dry_run else "removed"
    lines = [f"{verb} {blob.picture_id[:19]}  {blob.media_type:<10} {megabytes(blob.size):>9}"
             f"  ({plan.renditions_of(blob.picture_id)} renditions)" for blob in plan.originals]
    freed = plan.bytes_freed
    lines.append(
        f"{len(plan.originals)} picture(s) and {len(plan.renditions)} rendition(s) "
        f"{'would be ' if dry_run else ''}removed: {freed:,} bytes ({megabytes(freed)}) "
        f"{'would be ' if dry_run else ''}freed"
    )
    return lines


def make_renditions(
    desk: Desk, pictures: Sequence[Picture], *, as_json: bool = False, out: TextIO = sys.stdout
) -> int:
    """Make the pictures' renditions ahead, with a progress bar at a terminal (not with
    `--json`); the count on `out`; exit 1 if one could not be made (each named on stderr)."""
    from newsdesk.cli.progress import progress_bar, wanted

    enabled = wanted(as_json) and bool(pictures)
    with progress_bar("renditions", "picture", enabled=enabled) as bar:
        run = desk.media.make_renditions(pictures, bar)
    for picture, reason in run.failed:
        print(f"{picture.id[:19]} {picture.file_name}: no renditions: {reason}",
              file=sys.stderr)
    print(f"renditions: {run.made} made for {run.pictures - len(run.failed)} picture(s)"
          + (f", {len(run.failed)} failed" if run.failed else ""), file=out)
    return 1 if run.failed else 0


def cmd_media(desk: Desk, args: argparse.Namespace) -> int:
    if args.media_action == "renditions":
        return make_renditions(desk, desk.media.missing_renditions(everywhere=args.all))
    if args.media_action == "purge":
        plan = desk.media.purge_unused(dry_run=args.dry_run)
        print("\n".join(purge_lines(plan, args.dry_run)))
        return 0
    story = desk.find(args.ref)
    if args.media_action == "add":
        saved, added = desk.media.add_pictures(
            story.id, args.files, caption=args.caption, alt=args.alt, credit=args.credit,
            lead=args.lead,
        )
        if args.json:
            emit_json([p.as_json() for p in added])
        else:
            for picture in added:
                print(_line(picture))
            print(f"{saved.slug}: revision {saved.revision}, {len(added)} picture(s) added")
        # The picture is stored; its thumbnail and web rendition are made now, so that
        # neither the window nor the first export pays for them. One that fails is named
        # on stderr; the picture stays added (the export makes it, or says why not).
        make_renditions(desk, added, as_json=args.json, out=sys.stderr)
    elif args.media_action == "list":
        pictures = desk.media.pictures(story.id)
        if args.json:
            emit_json([p.as_json() for p in pictures])
        else:
            for picture in pictures:
                print(_line(picture))
    else:
        saved, gone = desk.media.remove_picture(story.id, args.media_id)
        print(f"{saved.slug}: {gone.file_name} ({gone.id[:19]}) removed, "
              f"revision {saved.revision}")
    return 0


COMMANDS = (
    Command("media", "attach pictures to a story, list them, remove one", _build_media,
            cmd_media),
)
