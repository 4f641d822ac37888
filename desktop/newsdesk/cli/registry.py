"""The sub-commands of `newsdesk`: an explicit list of the command modules, each of which
lists its commands in a COMMANDS tuple (nothing registers itself by being imported).

The command modules import little at their top (argparse, the model): what a command
needs beyond that it imports when it runs, so that `newsdesk list` does not load the
publishing code that only `export` uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsdesk.cli.command import Command


def commands() -> dict[str, Command]:
    """Every sub-command by name, in the order `newsdesk --help` lists them."""
    from newsdesk.cli.commands import (
        backup,
        desk_tools,
        export,
        lifecycle,
        media,
        profile,
        slug,
        stories,
        story_type,
        sync,
        wire,
        workflow,
    )

    modules = (
        stories, desk_tools, backup, export, slug, story_type, sync, profile, workflow,
        lifecycle, wire, media,
    )
    return {command.name: command for module in modules for command in module.COMMANDS}
