"""A story with an open sync conflict never leaves the desk (issue 16, item 2).

Chief Ann approves a story whose paragraph Chief Cy rewrote another way on his laptop;
Ann's next sync reports a conflict on that paragraph. (Two chiefs' status changes never
conflict: the status comes from their signed actions, test_workflow_concurrent.py.)
Syncs, approvals, exports and resolutions run as the real `newsdesk` command, each laptop
with its own database and profile, through one shared folder; the text edits, which the
command line does not make, are saves to each laptop's database.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from newsdesk.store import Store
from tests.cli.conftest import newsdesk_executable

STORY = """---
headline: "Council votes on harbour budget"
slug: "harbour-budget"
section: "News / Metro"
---
The council votes tonight on the HARBOUR-BUDGET-TOKEN plan.
"""


class Laptop:
    """One person's `newsdesk` on one laptop: a database and a profile folder."""

    def __init__(self, tmp_path: Path, name: str, db: str):
        self.db = tmp_path / db
        self.env = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
                    "NEWSDESK_CONFIG_DIR": str(tmp_path / f"config-{name}")}

    def __call__(self, *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
        result = subprocess.run([*newsdesk_executable(), "--db", str(self.db), *args],
                                capture_output=True, text=True, env=self.env, timeout=120)
        assert check is None or result.returncode == check, (args, result.stdout,
                                                             result.stderr)
        return result


@pytest.fixture
def desk(tmp_path):
    """Wendy (editor) and Ann (desk chief) share Ann's laptop; Cy (desk chief) has his
    own. The story is in review on both, synced through `shared`."""
    wendy, ann = Laptop(tmp_path, "wendy", "ann.db"), Laptop(tmp_path, "ann", "ann.db")
    cy = Laptop(tmp_path, "cy", "cy.db")
    wendy("profile", "--name", "Wendy", "--role", "editor")
    ann("profile", "--name", "Ann", "--role", "desk_chief")
    cy("profile", "--name", "Cy", "--role", "desk_chief")
    (tmp_path / "story.md").write_text(STORY, encoding="utf-8")
    wendy("import", str(tmp_path / "story.md"))
    wendy("submit", "harbour-budget")
    shared = str(tmp_path / "shared")
    ann("sync", shared)
    cy("sync", shared)
    return ann, cy, shared


def edit(laptop: Laptop, **changes: str) -> None:
    """An edit saved on this laptop (the window's autosave does the same)."""
    with Store.open(laptop.db) as store:
        story = store.find("harbour-budget")
        if "body" in changes:
            changes["body"] = story.body.replace("tonight", changes["body"])
        store.save(story.replace(**changes), story.revision, actor="Editor")


def changed_by_cy_meanwhile(ann: Laptop, cy: Laptop, shared: str, field: str) -> None:
    """Cy's laptop writes `field` its own way and syncs; Ann's sync finds the clash."""
    edit(cy, **{field: "on Thursday" if field == "body" else "Legal has read it."})
    cy("sync", shared)
    synced = ann("sync", shared, check=1)
    assert "conflict" in synced.stdout
    assert field in ann("conflicts").stdout


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_story_in_conflict_is_not_exported(desk, tmp_path):
    ann, cy, shared = desk
    edit(ann, body="at seven")
    ann("approve", "harbour-budget")
    changed_by_cy_meanwhile(ann, cy, shared, "body")
    site = tmp_path / "site"
    out = ann("export", "--format", "html", "--out", str(site))
    assert ("held back harbour-budget: unresolved sync conflict (body): not exported; "
            "resolve it first (newsdesk conflicts)") in out.stdout
    assert "0 stories in" in out.stdout and "marked published" not in out.stdout
    written = b"".join(tree(site).values())
    assert b"HARBOUR-BUDGET-TOKEN" not in written and b"Council votes" not in written
    assert json.loads(ann("show", "harbour-budget", "--json").stdout)["status"] == "approved"
    report = json.loads(ann("export", "--format", "html", "--out", str(site), "--json").stdout)
    assert [(s["slug"], s["reason"].split(":")[0]) for s in report["skipped"]] == [
        ("harbour-budget", "unresolved sync conflict (body)")]
    assert report["exported"] == [] and report["published"] == []
    # Once Ann resolves it (keeping her approved words), the story goes out.
    ann("conflicts", "harbour-budget", "--take", "local")
    assert "1 marked published" in ann("export", "--format", "html", "--out", str(site)).stdout
    assert b"HARBOUR-BUDGET-TOKEN" in b"".join(tree(site).values())


def test_a_story_exported_before_its_conflict_keeps_its_files(desk, tmp_path):
    ann, cy, shared = desk
    ann("approve", "harbour-budget")
    site = tmp_path / "site"
    ann("export", "--format", "html", "--out", str(site))  # out, and published
    before = tree(site)
    edit(ann, ednote="Check the vote count first.")  # not the approved content
    changed_by_cy_meanwhile(ann, cy, shared, "ednote")
    again = ann("export", "--format", "html", "--out", str(site), "--full")
    assert ("held back harbour-budget: unresolved sync conflict (ednote): not exported "
            "again; the files exported earlier stay as they were until it is resolved"
            ) in again.stdout
    assert ", 0 withdrawn;" in again.stdout and "  withdrawn " not in again.stdout
    assert tree(site) == before
    checked = ann("verify-export", str(site))
    assert "valid: 1 stories" in checked.stdout
