"""The `profile` sub-command of `newsdesk`: show or set who you are (name, role, the
four-eyes rule), export your key, trust a desk chief's; and the note every workflow
command prints while no profile is set."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json
from newsdesk.domain import model

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.identity.profile import Profile

SET_PROFILE_HINT = 'newsdesk profile --name "Your Name" --role editor|desk_chief'


def default_profile_note(desk: Desk) -> None:
    """Say on stderr, while no profile is saved, who the command acts as and how to set it."""
    if desk.profile.is_default:
        print(
            f"newsdesk: no profile set up; acting as {desk.profile.name!r} (editor). "
            f"Set yours with: {SET_PROFILE_HINT}",
            file=sys.stderr,
        )


def _build_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="your name as history and approvals show it")
    p.add_argument("--role", help="editor or desk_chief")
    p.add_argument(
        "--four-eyes",
        choices=("on", "off"),
        help="refuse to approve a revision you last edited yourself (default on)",
    )
    p.add_argument(
        "--export-key",
        action="store_true",
        help="print your public key as a keyring entry, for others to --trust",
    )
    p.add_argument(
        "--trust", metavar="FILE|KEY", help="trust a desk chief's key: an exported file or base64"
    )
    p.add_argument("--as", dest="as_name", metavar="NAME", help="the name to trust the key as")
    p.add_argument("--json", action="store_true")


def cmd_profile(desk: Desk, args: argparse.Namespace) -> int:
    profile = desk.profile
    if args.as_name and not args.trust:
        raise model.NewsdeskError("--as names a key given with --trust")
    if args.name is not None or args.role is not None or args.four_eyes is not None:
        four_eyes = None if args.four_eyes is None else args.four_eyes == "on"
        profile = profile.updated(name=args.name, role=args.role, four_eyes=four_eyes).save()
        desk.use_profile(profile)
        print(f"profile saved: {profile.name} ({profile.role_label})", file=sys.stderr)
    if args.trust:
        added = profile.trust(args.trust, args.as_name)
        for name in added:
            print(f"trusted: {name}", file=sys.stderr)
    if args.export_key:
        sys.stdout.write(profile.export_key())
        return 0
    _show_profile(profile, args.json)
    return 0


def _show_profile(profile: Profile, as_json: bool) -> None:
    key = profile.public_key() if profile.has_key() else ""
    fingerprint = model.key_fingerprint(key)
    trusted = sorted(profile.keyring().keys)
    if as_json:
        emit_json(
            {
                "name": profile.name,
                "role": profile.role,
                "four_eyes": profile.four_eyes,
                "is_default": profile.is_default,
                "config_dir": str(profile.folder),
                "public_key": key,
                "key_id": fingerprint,
                "trusted": trusted,
            }
        )
        return
    print(f"name: {profile.name}")
    print(f"role: {profile.role_label}")
    print(f"four-eyes rule: {'on' if profile.four_eyes else 'off'}")
    print(f"config folder: {profile.folder}")
    print(f"public key: {key or 'none yet (made on first save, approval or --export-key)'}")
    if fingerprint:
        print(f"key fingerprint: {fingerprint} (who you are; a new name keeps it)")
    print(f"trusted keys: {', '.join(trusted) or 'none'}")
    if profile.is_default:
        print(f"\nThis is a default profile. Set yours with: {SET_PROFILE_HINT}")


COMMANDS = (
    Command("profile", "show or set your name, role, signing key and trusted keys",
            _build_profile, cmd_profile),
)
