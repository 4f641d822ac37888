"""The publishing sub-commands of `newsdesk`: export, and verify-export for receivers.

The publishing code is imported when one of them runs, not when another command starts.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:
    from newsdesk.desk import Desk

# The formats of publish/render.py's WRITERS, named here so that building the command
# line does not import the publishing code; a test keeps the two lists the same.
FORMATS = ("hugo", "ninjs", "html")

# export


def _build_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", dest="fmt", required=True, choices=FORMATS,
                   help="hugo content tree, IPTC ninjs JSON, or sanitized HTML pages")
    p.add_argument("--out", required=True, type=Path, metavar="DIR",
                   help="the publish folder (created if needed; one format per folder)")
    p.add_argument("--full", action="store_true",
                   help="render every story again and repair files changed by hand")
    p.add_argument("--json", action="store_true")


def cmd_export(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.cli.progress import progress_bar, wanted

    with progress_bar("Exporting", "story", enabled=wanted(args.json)) as progress:
        report = desk.export(args.fmt, args.out, full=args.full, progress=progress)
    if args.json:
        emit_json(report.as_dict())
        return 0
    print(report.summary())
    for _id, slug, reason in report.skipped:
        print(f"  held back {slug}: {reason}")
    for gone in report.withdrawn:
        print(f"  withdrawn {gone.slug}: {gone.reason}")
    for note in report.notes:
        print(f"  note: {note}")
    return 0


# verify-export


def _build_verify_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", type=Path, metavar="DIR", help="a folder written by newsdesk export")
    p.add_argument("--keyring", type=Path, metavar="FILE",
                   help="trusted keys (default: your profile's keyring and your own key)")
    p.add_argument("--ignore", action="append", default=[], metavar="PATTERN",
                   help="an unlisted path of the publishing system's own to leave alone: a "
                        "glob (`config.toml`, `*.lock`) or a folder ending in / (`themes/`); "
                        "repeat for more")
    p.add_argument("--json", action="store_true")


def cmd_verify_export(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.identity.signing import Keyring
    from newsdesk.publish.verify import verify_export

    if args.keyring is not None:
        if not args.keyring.is_file():
            raise NewsdeskError(f"{args.keyring}: no such keyring file")
        keyring = Keyring.load(args.keyring)
    else:
        keyring = desk.profile.keyring()
    check = verify_export(args.dir, keyring, ignore=args.ignore)
    if args.json:
        emit_json({
            "valid": check.ok,
            "stories": check.stories,
            "files": check.files,
            "signer": check.signer,
            "approvers": check.approvers,
            "problems": check.problems,
        })
    else:
        for problem in check.problems:
            print(f"problem: {problem}")
        verdict = "valid" if check.ok else f"NOT valid ({len(check.problems)} problems)"
        signed = f", manifest signed by {check.signer}" if check.signer else ""
        print(f"{args.dir}: {verdict}: {check.stories} stories, {check.files} files "
              f"checked{signed}")
    return 0 if check.ok else 1


COMMANDS = (
    Command("export",
            "export approved stories for publishing and mark them published (desk chief)",
            _build_export, cmd_export),
    Command("verify-export",
            "check an export folder: signed manifest, every file, and each page against its "
            "approved content (exit 1 if not valid)",
            _build_verify_export, cmd_verify_export),
)
