"""What a sub-command of `newsdesk` is: its name, help, arguments, what runs it, and
whether it opens the database. The command modules (cli/commands/) list theirs."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.desk import Desk


@dataclass(frozen=True)
class Command:
    """One sub-command: its name and help, `build` adds its arguments, `run` runs it and
    returns the exit status. `opens_desk=False`: it runs without opening the database
    (which may be damaged), on the file named by --db, and `run` gets None for the desk."""

    name: str
    help: str
    build: Callable[[argparse.ArgumentParser], None]
    run: Callable[[Desk, argparse.Namespace], int]
    opens_desk: bool = True

    def add_to(self, sub: argparse._SubParsersAction) -> None:
        parser = sub.add_parser(self.name, help=self.help, description=self.help)
        self.build(parser)
        # `newsdesk list --db X` as well as `newsdesk --db X list`; SUPPRESS keeps the
        # global value when the option is not given here.
        parser.add_argument("--db", type=Path, default=argparse.SUPPRESS,
                            help="database file (as the option before the command)")
