"""The `newsdesk` command line: main.py reads it and runs a sub-command (registry.py lists
the command modules in commands/), or opens the window when none is given."""

from newsdesk.cli.main import build_parser, gui_main, main, read_command_line

__all__ = ["build_parser", "gui_main", "main", "read_command_line"]
