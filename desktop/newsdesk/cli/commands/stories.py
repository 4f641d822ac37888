"""The story sub-commands of `newsdesk`: import, list, show, search, and the trash
(trash lists it, purge deletes stories in it for good)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import (
    emit_json,
    limited_rows,
    match_trash,
    note_cut,
    print_printed,
    print_rows,
    print_trash,
)
from newsdesk.domain import model, wording
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.store import Store
    from newsdesk.store.records import StoryRow


# import


def _build_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt wire files, .md files, folders")


def cmd_import(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.cli.progress import progress_bar, wanted

    with progress_bar("Importing", "file", enabled=wanted()) as progress:
        report = desk.import_paths(args.paths, progress=progress)
    for story in report.imported:
        print(f"{story.id}  {story.slug}")
    for path, note in report.notes:
        print(f"note: {path}: {note}", file=sys.stderr)
    for _path, reason in report.rejected:
        print(f"rejected: {reason}", file=sys.stderr)
    return 1 if report.rejected else 0


# list / show / search


def _build_list(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=model.STATUSES)
    p.add_argument("--section")
    p.add_argument("--type", dest="story_type", metavar="TYPE",
                   help="only stories of this type (news, brief, opinion...)")
    p.add_argument("--limit", type=int, default=1000,
                   help="at most this many stories (default 1000; 0 for all)")
    p.add_argument("--json", action="store_true")


def cmd_list(store: Store, args: argparse.Namespace) -> int:
    story_type = None
    if args.story_type:
        from newsdesk.copydesk.rules import load_rules
        from newsdesk.copydesk.story_types import known_type

        story_type = known_type(args.story_type, load_rules())
    filters = {"status": args.status,
               "section": model.normalize_section(args.section) if args.section else None,
               "story_type": story_type}

    def fetch(limit: int, offset: int) -> list[StoryRow]:
        return store.list_rows(**filters, limit=limit, offset=offset)

    def cut(shown: int) -> None:
        note_cut(store.count(**filters), "list")(shown)

    # Every story (--limit 0) from one query: each page would skip the ones before it.
    if args.limit == 0 and args.json:
        from newsdesk.store.listing import PRINTED

        print_printed(PRINTED, store.list_all_printed(**filters))
        return 0
    rows = store.list_all(**filters) if args.limit == 0 else limited_rows(fetch, args.limit, cut)
    print_rows(rows, args.json)
    return 0


def _build_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true", help="the interchange Markdown file")


def cmd_show(desk: Desk, args: argparse.Namespace) -> int:
    story = desk.find(args.ref)
    from newsdesk.cli.commands.wire import agency_update_json  # only for wire copy's drafts

    wire = agency_update_json(desk, story)
    if args.json:
        emit_json({**model.as_dict(story), **_pictures_json(story), **wire})
    elif args.markdown:
        from newsdesk.formats.markdown import dumps

        sys.stdout.write(dumps(story))
    else:
        _print_story(story, [wire["agency_update"]["line"]] if wire.get("agency_update") else [])
    return 0


def _pictures_json(story: model.Story) -> dict[str, object]:
    """The story's pictures for `show --json`; a list someone broke by hand is reported
    (`pictures_problem`), never a reason not to show the story."""
    from newsdesk.media.attached import pictures_of

    try:
        return {"pictures": [picture.as_json() for picture in pictures_of(story.extra)]}
    except NewsdeskError as exc:
        return {"pictures": [], "pictures_problem": str(exc)}


def _print_story(story: model.Story, notes: list[str] | None = None) -> None:
    place = story.dateline.place
    when = story.dateline.date.isoformat() if story.dateline.date else ""
    dateline = ", ".join(part for part in (place, when) if part)
    lines = [
        story.headline,
        story.deck,
        "",
        f"slug: {story.slug}    status: {story.status}    revision: {story.revision}",
        f"type: {story.type}    section: {story.section or '-'}    dateline: {dateline or '-'}",
        f"byline: {story.byline or '-'}    editor: {story.editor or '-'}",
        f"source: {story.source or '-'}",
        f"tags: {', '.join(story.tags) or '-'}    words: {story.word_count}",
    ]
    if story.approval_voided:
        lines.append("approval VOIDED: content changed since it was approved")
    lines.extend(notes or [])
    print("\n".join(lines).rstrip() + "\n")
    if story.caption:
        print(f"[caption] {story.caption}\n")
    from newsdesk.cli.commands.media import story_picture_lines

    pictures = story_picture_lines(story.extra)
    if pictures:
        print("\n".join(pictures) + "\n")
    print(story.body)


def _build_search(p: argparse.ArgumentParser) -> None:
    # Optional here so that a query of only words that start with "-" (which argparse takes
    # for unknown options) reaches main(), which adds them to the query.
    p.add_argument("query", nargs="?", default="", metavar="QUERY",
                   help='the words to find; "-bridge" is a word too (so is anything after --)')
    p.add_argument("--limit", type=int, default=50,
                   help="at most this many stories, best first (default 50; 0 for all)")
    p.add_argument("--json", action="store_true")


def cmd_search(store: Store, args: argparse.Namespace) -> int:
    found = 0

    def fetch(limit: int, offset: int) -> list[StoryRow]:
        nonlocal found
        rows = store.search(args.query, limit=limit, offset=offset)
        found += len(rows)
        return rows

    def counted(rows: Iterator[StoryRow]) -> Iterator[StoryRow]:
        nonlocal found
        for row in rows:
            found += 1
            yield row

    def cut(shown: int) -> None:
        note_cut(store.count(query=args.query), "search")(shown)

    # Every match (--limit 0) from one query: pages would rank the matches again each.
    if args.limit == 0 and args.json:
        from newsdesk.store.listing import PRINTED

        print_printed(PRINTED, store.search_all_printed(args.query))
        return 0
    rows = (counted(store.search_all(args.query)) if args.limit == 0
            else limited_rows(fetch, args.limit, cut))
    print_rows(rows, args.json)
    if not found and not args.json:
        print(f"no stories match {args.query!r}", file=sys.stderr)
    return 0


# the trash


def _build_trash(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def cmd_trash(desk: Desk, args: argparse.Namespace) -> int:
    rows = trash_rows(desk)
    print_trash(rows, args.json)
    if not rows and not args.json:
        print("the trash is empty", file=sys.stderr)
    return 0


def _build_purge(p: argparse.ArgumentParser) -> None:
    p.add_argument("refs", nargs="+", metavar="ID|SLUG",
                   help="stories in the trash: an id, an id prefix or a slug")
    p.add_argument("--yes", action="store_true",
                   help="do not ask (needed when not at a terminal: nothing to ask there)")
    p.epilog = (
        "A purged story is gone from this database for good, with its revisions and "
        "history. A sync never brings it back from an old file; other laptops keep their "
        "own copy. Exit status: 0 purged, 1 not confirmed (nothing purged), 2 a story not "
        "in the trash (nothing purged)."
    )


def cmd_purge(desk: Desk, args: argparse.Namespace) -> int:
    rows = trash_rows(desk)
    chosen: dict[str, StoryRow] = {}
    for ref in args.refs:
        found = match_trash(rows, ref)
        if isinstance(found, str):
            live = _live_story(desk, ref)
            if live is not None:
                found = f"{live.slug} is not in the trash (delete it first)"
            raise NewsdeskError(f"{found}; nothing was purged")
        chosen[found.id] = found
    if not args.yes and not _confirmed(list(chosen.values())):
        print("nothing was purged", file=sys.stderr)
        return 1
    for row in chosen.values():
        desk.purge(row.id)
        print(f"purged {row.id}  {row.slug}")
    return 0


def trash_rows(desk: Desk) -> list[StoryRow]:
    """Every story in the trash, most recently deleted first."""

    def fetch(limit: int, offset: int) -> list[StoryRow]:
        return desk.list_rows(deleted=True, sort="deleted_at", limit=limit, offset=offset)

    return list(limited_rows(fetch, 0, lambda _shown: None))


def _live_story(desk: Desk, ref: str) -> model.Story | None:
    try:
        return desk.find(ref)
    except NewsdeskError:
        return None


def _confirmed(rows: list[StoryRow]) -> bool:
    """Whether the person at the terminal says yes; refused outright when there is none
    (a script must say --yes: nothing is deleted for good unasked)."""
    if not sys.stdin.isatty():
        raise NewsdeskError(
            "purge deletes stories for good: give --yes to confirm (no terminal to ask); "
            "nothing was purged"
        )
    for row in rows:
        print(f"  {row.id[:8]}  {row.slug}  {row.headline}", file=sys.stderr)
    noun = wording.count(len(rows), "story")
    # On stderr, with the list: stdout carries only what was purged.
    print(f"Delete {noun} for good? This cannot be undone. [y/N] ", end="", file=sys.stderr,
          flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


COMMANDS = (
    Command("import", "import wire copy (.txt) and Markdown stories (.md)", _build_import,
            cmd_import),
    Command("list", "list stories, most recently updated first", _build_list, cmd_list,
            reads_only=True),
    Command("show", "show one story", _build_show, cmd_show),
    Command("search", "full-text search over headline, deck, body, tags, byline",
            _build_search, cmd_search, reads_only=True),
    Command("trash", "list the stories in the trash, most recently deleted first",
            _build_trash, cmd_trash),
    Command("purge", "delete stories in the trash for good (asks first)", _build_purge,
            cmd_purge),
)
