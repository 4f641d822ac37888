"""The `newsdesk` command: sub-commands for the desk, and the window when none is given."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from newsdesk import __version__, model, wording


def _sqlite_utils_without_numpy() -> None:
    """Import sqlite-utils with numpy hidden. It imports numpy (a tenth of the window's
    start) only to map numpy's number types to column types, and the store never hands it
    a numpy value; the dashboard's pyqtgraph imports numpy for itself when it is opened."""
    if "numpy" in sys.modules or "sqlite_utils" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  (`import numpy` raises ImportError)
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]


_sqlite_utils_without_numpy()

from newsdesk.cli_rows import limited_rows, note_cut, print_rows  # noqa: E402
from newsdesk.desk import Desk, NewsdeskError, StoryRow, default_db_path  # noqa: E402

Handler = Callable[[Desk, argparse.Namespace], int]

# Each sub-command registers here: name -> (parser builder, handler). The window needs no
# entry: it is what runs when no sub-command is given.
COMMANDS: dict[str, tuple[Callable[[argparse._SubParsersAction], None], Handler]] = {}
# Sub-commands that must run without opening the database (it may be damaged): their
# handler gets None for the desk and works on the file named by --db.
NO_DESK: set[str] = set()


def command(name: str, build: Callable[[argparse.ArgumentParser], None], help: str):
    """Register a sub-command: `build` adds its arguments, the decorated function runs it."""

    def register(handler: Handler) -> Handler:
        def add(sub: argparse._SubParsersAction) -> None:
            parser = sub.add_parser(name, help=help, description=help)
            build(parser)
            # `newsdesk list --db X` as well as `newsdesk --db X list`; SUPPRESS keeps the
            # global value when the option is not given here.
            parser.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                                help="database file (as the option before the command)")

        COMMANDS[name] = (add, handler)
        return handler

    return register


def emit_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# import


def _build_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help=".txt wire files, .md files, folders")


@command("import", _build_import, "import wire copy (.txt) and Markdown stories (.md)")
def cmd_import(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.cli_progress import progress_bar, wanted

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
    p.add_argument("--limit", type=int, default=1000,
                   help="at most this many stories (default 1000; 0 for all)")
    p.add_argument("--json", action="store_true")


@command("list", _build_list, "list stories, most recently updated first")
def cmd_list(desk: Desk, args: argparse.Namespace) -> int:
    filters = {"status": args.status,
               "section": model.normalize_section(args.section) if args.section else None}

    def fetch(limit: int, offset: int) -> list[StoryRow]:
        return desk.list_rows(**filters, limit=limit, offset=offset)

    def cut(shown: int) -> None:
        note_cut(desk.count(**filters), "list")(shown)

    print_rows(limited_rows(fetch, args.limit, cut), args.json)
    return 0


def _build_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true", help="the interchange Markdown file")


@command("show", _build_show, "show one story")
def cmd_show(desk: Desk, args: argparse.Namespace) -> int:
    story = desk.find(args.ref)
    if args.json:
        emit_json(model.as_dict(story))
    elif args.markdown:
        from newsdesk.formats.markdown import dumps

        sys.stdout.write(dumps(story))
    else:
        _print_story(story)
    return 0


def _print_story(story: model.Story) -> None:
    place = story.dateline.place
    when = story.dateline.date.isoformat() if story.dateline.date else ""
    dateline = ", ".join(part for part in (place, when) if part)
    lines = [
        story.headline,
        story.deck,
        "",
        f"slug: {story.slug}    status: {story.status}    revision: {story.revision}",
        f"section: {story.section or '-'}    dateline: {dateline or '-'}",
        f"byline: {story.byline or '-'}    editor: {story.editor or '-'}",
        f"source: {story.source or '-'}",
        f"tags: {', '.join(story.tags) or '-'}    words: {story.word_count}",
    ]
    if story.approval_voided:
        lines.append("approval VOIDED: content changed since it was approved")
    print("\n".join(lines).rstrip() + "\n")
    if story.caption:
        print(f"[caption] {story.caption}\n")
    print(story.body)


def _build_search(p: argparse.ArgumentParser) -> None:
    # Optional here so that a query of only words that start with "-" (which argparse takes
    # for unknown options) reaches main(), which adds them to the query.
    p.add_argument("query", nargs="?", default="", metavar="QUERY",
                   help='the words to find; "-bridge" is a word too (so is anything after --)')
    p.add_argument("--limit", type=int, default=50,
                   help="at most this many stories, best first (default 50; 0 for all)")
    p.add_argument("--json", action="store_true")


@command("search", _build_search, "full-text search over headline, deck, body, tags, byline")
def cmd_search(desk: Desk, args: argparse.Namespace) -> int:
    found = 0

    def fetch(limit: int, offset: int) -> list[StoryRow]:
        nonlocal found
        rows = desk.search(args.query, limit=limit, offset=offset)
        found += len(rows)
        return rows

    def cut(shown: int) -> None:
        note_cut(desk.count(query=args.query), "search")(shown)

    print_rows(limited_rows(fetch, args.limit, cut), args.json)
    if not found and not args.json:
        print(f"no stories match {args.query!r}", file=sys.stderr)
    return 0


# check / stats (issue 7)


def _build_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("ref", metavar="ID|SLUG")
    p.add_argument("--json", action="store_true")
    p.epilog = (
        "Exit status: 0 when no finding is an error (warnings and notes do not fail), "
        "1 when at least one is (no headline, an unresolved placeholder), 2 when the "
        "story cannot be found."
    )


@command("check", _build_check, "run the copy-desk checks on a story")
def cmd_check(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.checks import has_errors, locate, reading_minutes

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


@command("stats", _build_stats, "desk figures: status, sections, throughput, time to approval")
def cmd_stats(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.stats import format_text

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


# entry points


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; with commands=False only the options of the window (no help)."""
    if not commands:
        parser = argparse.ArgumentParser(prog="newsdesk", add_help=False, exit_on_error=False)
        _add_global_options(parser)
        parser.set_defaults(command=None)
        return parser
    from newsdesk import (  # noqa: F401  (registers commands)
        cli_backup,
        cli_export,
        cli_slug,
        cli_sync,
        cli_workflow,
    )

    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Offline newsroom editor. With no command, opens the window.",
    )
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add, _handler in COMMANDS.values():
        add(sub)
    return parser


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window on a temporary database, save a story through it, exit 0 if "
        "all worked (offscreen when there is no display)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"database file (default: $NEWSDESK_DB, else {default_db_path()})",
    )


def read_command_line(
    argv: Sequence[str] | None = None,
) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """The parser and the arguments. A command line that names no command (the window)
    is read without importing the commands' modules: export's alone loads the publishing
    code, a tenth of the window's start."""
    argv = sys.argv[1:] if argv is None else list(argv)
    window = build_parser(commands=False)
    try:
        args, extra = window.parse_known_args(argv)
    except argparse.ArgumentError:
        extra = ["(the full parser says what is wrong)"]
    if not extra:
        return window, args
    parser = build_parser()
    return parser, parse_args(parser, argv)


def main(argv: Sequence[str] | None = None) -> int:
    parser, args = read_command_line(argv)
    if args.db is not None:
        args.db = args.db.expanduser()
        if problem := explicit_db_problem(args.db):
            print(f"newsdesk: --db {args.db}: {problem}", file=sys.stderr)
            return 2
    if args.self_test:
        if args.command is not None:
            parser.error("--self-test takes no command")
        from newsdesk.ui import self_test

        return self_test.run()
    if args.command is None:
        return open_window(args)
    from newsdesk.cli_backup import damage_hint
    from newsdesk.store.backup import DatabaseDamaged

    desk = None
    try:
        if args.command in NO_DESK:
            return COMMANDS[args.command][1](None, args)  # type: ignore[arg-type]
        with Desk.open(args.db) as desk:
            return COMMANDS[args.command][1](desk, args)
    except NewsdeskError as exc:
        # Opening failed, or a backup found damage: say which backup would bring it back.
        hint = damage_hint(args.db) if desk is None or isinstance(exc, DatabaseDamaged) else ""
        print(f"newsdesk: {exc}{hint}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:
        print(f"newsdesk: the database cannot be read ({exc}){damage_hint(args.db)}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`newsdesk list | head`): stop quietly, and keep Python's
        # final flush of stdout from raising the same error again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def parse_args(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; words after `search` that start with "-" (`newsdesk search -bridge`)
    are part of the query, where argparse alone would take them for unknown options."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args, extra = parser.parse_known_args(argv)
    after_search = argv[argv.index("search") + 1 :] if args.command == "search" else []
    if any(word not in after_search for word in extra):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "search":
        args.query = " ".join(word for word in (args.query, *extra) if word)
        if not args.query:
            parser.error("search: give the words to search for")
    return args


def explicit_db_problem(db: Path) -> str:
    """Why a database path given with --db cannot be used, or "". Unlike the default path,
    its folder is not created: a typo must not leave a new folder and an empty database."""
    if db.is_dir():
        return "is a folder, not a database file"
    if not db.parent.is_dir():
        return f"the folder {db.parent} does not exist"
    return ""


def open_window(args: argparse.Namespace) -> int:
    from newsdesk.cli_backup import damage_hint
    from newsdesk.ui.app import recover, run

    try:
        desk = Desk.open(args.db, seed=True)
    except NewsdeskError as exc:
        # A damaged file: the window offers its last good backup before giving up.
        desk = recover(args.db, exc)
        if desk is None:
            print(f"newsdesk: {exc}{damage_hint(args.db)}", file=sys.stderr)
            return 2
    try:
        return run(desk)
    finally:
        desk.close()


def gui_main() -> int:
    return main([])


if __name__ == "__main__":
    sys.exit(main())
