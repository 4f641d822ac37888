"""Laptops for the workflow attacks: each one a person's own config folder (profile, key,
keyring) and database, driven only through the `newsdesk` command in a subprocess, as
people and attackers meet the product. The attacker edits story files with plain text
tools, as anyone with write access to the folder or the git remote can."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

from tests.cli.conftest import newsdesk_executable

STORY = """---
headline: "Council approves harbour tunnel"
slug: "harbour-tunnel"
section: "News / Metro"
---
The council voted nine to two for the tunnel on Monday night.

Work starts in the spring and takes three years.
"""
SLUG = "harbour-tunnel"


class Laptop:
    """One person's laptop: `laptop("sync", folder)` runs `newsdesk --db ... sync folder`
    with their config folder, and asserts the exit code (`code=None`: any)."""

    def __init__(self, root: Path, name: str, role: str) -> None:
        self.name = name
        self.db = root / f"{name.split()[0].lower()}.db"
        self.config = root / f"config-{name.split()[0].lower()}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        self.env["NEWSDESK_CONFIG_DIR"] = str(self.config)
        self("profile", "--name", name, "--role", role)

    def __call__(self, *args: str, code: int | None = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [*newsdesk_executable(), "--db", str(self.db), *args],
            capture_output=True, text=True, timeout=120, env=self.env,
        )
        if code is not None:
            assert done.returncode == code, (
                f"{self.name}: newsdesk {' '.join(args)} exited {done.returncode}\n"
                f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
            )
        return done

    def json(self, *args: str) -> dict:
        return json.loads(self(*args, "--json").stdout)

    def status(self, ref: str = SLUG) -> str:
        return self.json("show", ref)["status"]

    def key_id(self) -> str:
        """The fingerprint of this person's key, as README defines it: the first 16 hex
        digits of the sha256 of the raw public key (made here if there is none yet)."""
        key = self("profile", "--export-key").stdout.split(": ")[1].strip().strip('"')
        return hashlib.sha256(base64.b64decode(key)).hexdigest()[:16]

    def key_file(self) -> Path:
        """This person's public key as a keyring entry, for others to trust."""
        path = self.config.parent / f"{self.config.name}.key"
        path.write_text(self("profile", "--export-key").stdout, encoding="utf-8")
        return path

    def trusts(self, other: Laptop) -> None:
        self("profile", "--trust", str(other.key_file()))


def write_story(laptop: Laptop, root: Path) -> None:
    source = root / "story.md"
    source.write_text(STORY, encoding="utf-8")
    laptop("import", str(source))


def story_file(folder: Path) -> Path:
    (path,) = sorted((folder / "stories").rglob("*.md"))
    return path


def edit_file(path: Path, **fields: str) -> None:
    """Set front-matter keys of a story file by hand, as a text editor would."""
    text = path.read_text(encoding="utf-8")
    for name, value in fields.items():
        text, count = re.subn(rf'^{name}: ".*"$', f'{name}: "{value}"', text, flags=re.M)
        assert count == 1, f"{name} not found in {path}"
    path.write_text(text, encoding="utf-8")


def exported_ids(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [entry["id"] for entry in manifest["stories"]]


def events(laptop: Laptop, ref: str = SLUG) -> list[dict]:
    return laptop.json("history", ref)["events"]


def forge_approval(path: Path, chief: Laptop, ref: str = SLUG) -> None:
    """Write into a story file an approval and an approve action that name the chief and
    carry her public key, with a made-up signature (no one else has her private key),
    and set its status to approved: the file as an attacker leaves it."""
    key = chief.json("profile")["public_key"]
    shown = chief.json("show", ref)
    forged = "A" * 86 + "=="
    text = path.read_text(encoding="utf-8").replace(
        "approvals: []\n",
        "approvals:\n"
        f'- approver: "{chief.name}"\n  revision: {shown["revision"]}\n'
        f'  content_hash: "{shown["content_hash"]}"\n'
        f'  approved_at: "2030-01-01T09:00:00+00:00"\n  public_key: "{key}"\n'
        f'  signature: "{forged}"\n',
    ).replace(
        "\n---\n",
        "\n"
        f'- action: "approve"\n  actor: "{chief.name}"\n  public_key: "{key}"\n'
        f'  at: "2030-01-01T09:00:00.000001+00:00"\n  revision: {shown["revision"]}\n'
        f'  content_hash: "{shown["content_hash"]}"\n  from_status: "in_review"\n'
        f'  to_status: "approved"\n  note: ""\n  signature: "{forged}"\n---\n',
        1,
    )
    path.write_text(text, encoding="utf-8")
    edit_file(path, status="approved")
