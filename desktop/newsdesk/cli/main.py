"""The `newsdesk` command: reads the command line, opens the desk and runs a sub-command
(cli/registry.py lists them), or opens the window when none is given."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import __version__

if TYPE_CHECKING:
    from newsdesk.store import Store

# Reading the command line imports only argparse and the command modules (which import
# what they need when they run): the desk, the store with sqlite-utils and click, the
# publishing and sync code are loaded once a command runs (issue 23: any command starts
# in under 60 ms before its own work; tests/project/test_startup_imports.py).


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; with commands=False only the options of the window (no help)."""
    if not commands:
        parser = argparse.ArgumentParser(prog="newsdesk", add_help=False, exit_on_error=False)
        _add_global_options(parser, db_help="")
        parser.set_defaults(command=None)
        return parser
    from newsdesk.cli.registry import commands as all_commands

    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Offline newsroom editor. With no command, opens the window.",
    )
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in all_commands().values():
        command.add_to(sub)
    return parser


def _add_global_options(parser: argparse.ArgumentParser, db_help: str | None = None) -> None:
    """--version, --self-test, --db; `db_help` None: the help names the default database
    (which costs platformdirs, so the window's parser, which prints no help, gives "")."""
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
        help=_db_help() if db_help is None else db_help,
    )


def _db_help() -> str:
    from newsdesk.paths import default_db_path

    return f"database file (default: $NEWSDESK_DB, else {default_db_path()})"


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
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    """Run the sub-command named in `args`; its exit status (errors: one line, 2)."""
    import newsdesk.store  # noqa: F401  the store first: sqlite-utils without numpy
    from newsdesk.cli.commands.backup import damage_hint
    from newsdesk.cli.registry import commands
    from newsdesk.domain.model import NewsdeskError
    from newsdesk.store.backup import DatabaseDamaged
    from newsdesk.store.errors import DatabaseError

    command = commands()[args.command]
    desk = None
    try:
        if not command.opens_desk:
            return command.run(None, args)  # type: ignore[arg-type]
        if command.reads_only:
            with open_store(args.db) as desk:
                return command.run(desk, args)  # type: ignore[arg-type]
        from newsdesk.desk import Desk

        with Desk.open(args.db) as desk:
            return command.run(desk, args)
    except NewsdeskError as exc:
        # Opening failed, or a backup found damage: say which backup would bring it back.
        hint = damage_hint(args.db) if desk is None or isinstance(exc, DatabaseDamaged) else ""
        print(f"newsdesk: {exc}{hint}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
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


def open_store(db: Path | None) -> Store:
    """The store of the database the desk would open (--db, else the default path), for
    a command that only reads the list: the same opening (created if missing, migrated,
    checked), without the desk's code and profile."""
    from newsdesk.paths import default_db_path
    from newsdesk.store import Store

    return Store.open(db if db is not None else default_db_path())


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
    import newsdesk.store  # noqa: F401  the store first: sqlite-utils without numpy
    from newsdesk.cli.commands.backup import damage_hint
    from newsdesk.desk import Desk, NewsdeskError
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
