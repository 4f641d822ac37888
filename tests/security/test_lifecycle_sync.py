"""Attacks on a killed story through the sync folder (issue 21): a kill is final, and
nothing a file says brings the story back without a new signed action.

The attacker has write access to the shared folder and edits the story file with a text
editor; the desk chief's laptop syncs and exports, and the receiving side verifies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.security.workflow_laptops import (
    SLUG,
    Laptop,
    edit_file,
    exported_ids,
    story_file,
    write_story,
)


# Each about 35 s: two laptops, each step a run of the real command in its own process.
@pytest.mark.slow
def test_a_killed_story_edited_through_the_folder_stays_killed(tmp_path: Path) -> None:
    sam = Laptop(tmp_path, "Sam Reporter", "editor")
    ann = Laptop(tmp_path, "Chief Ann", "desk_chief")
    folder, out = tmp_path / "shared", tmp_path / "out"
    write_story(sam, tmp_path)
    sam("submit", SLUG)
    sam("sync", str(folder))
    ann("sync", str(folder))
    ann("approve", SLUG)
    ann("export", "--format", "ninjs", "--out", str(out))
    ann("kill", SLUG, "--note", "Withdrawn on legal advice.")
    ann("export", "--format", "ninjs", "--out", str(out))
    ann("sync", str(folder))
    story_id = ann.json("show", SLUG)["id"]
    assert exported_ids(out) == []
    assert json.loads((out / f"{story_id}.json").read_text("utf-8"))["pubstatus"] == "canceled"

    # Sam trusts Ann: her kill reaches his laptop as what it is.
    sam.trusts(ann)
    sam("sync", str(folder))
    assert sam.status() == "killed"

    # The attack: the status line back to published, the chief's name, and the text.
    path = story_file(folder)
    edit_file(path, status="published", modified_by="Chief Ann")
    path.write_text(path.read_text(encoding="utf-8") + "\nThe mayor welcomed it.\n",
                    encoding="utf-8")
    synced = ann("sync", str(folder), code=1)
    assert re.search(rf"rejected +{SLUG}: status killed -> published not applied",
                     synced.stderr), synced.stderr
    assert ann.status() == "killed"
    # An edit is not a signed action: the text arrives, the story stays killed, the
    # export still carries only the notice.
    assert ann.json("show", SLUG)["body"].endswith("The mayor welcomed it.\n")
    ann("export", "--format", "ninjs", "--out", str(out))
    doc = json.loads((out / f"{story_id}.json").read_text("utf-8"))
    assert doc["pubstatus"] == "canceled" and "mayor welcomed" not in json.dumps(doc)
    keyring = tmp_path / "ann.keyring"
    keyring.write_text(ann.key_file().read_text("utf-8"), encoding="utf-8")
    ann("verify-export", str(out), "--keyring", str(keyring))

    # Nor does an approval, a publish or a restore get it back, here or there.
    for action in ("approve", "publish", "restore"):
        refused = ann(action, SLUG, code=2)
        assert "a killed story stays killed" in refused.stderr
    sam("sync", str(folder), code=None)
    assert sam.status() == "killed"


@pytest.mark.slow
def test_a_kill_signed_by_an_untrusted_key_is_refused(tmp_path: Path) -> None:
    """Sam makes himself a desk chief and kills the published story on his laptop; Ann's
    laptop refuses the kill (his key is not a trusted chief's) and keeps it published."""
    sam = Laptop(tmp_path, "Sam Reporter", "editor")
    ann = Laptop(tmp_path, "Chief Ann", "desk_chief")
    folder = tmp_path / "shared"
    write_story(sam, tmp_path)
    sam("submit", SLUG)
    sam("sync", str(folder))
    ann("sync", str(folder))
    ann("approve", SLUG)
    ann("publish", SLUG)
    ann("sync", str(folder))
    sam.trusts(ann)
    sam("sync", str(folder))
    sam("profile", "--role", "desk_chief", "--four-eyes", "off")
    sam("kill", SLUG, "--note", "Gone.")
    sam("sync", str(folder))
    synced = ann("sync", str(folder), code=1)
    assert "status published -> killed not applied: the kill: signed by Sam Reporter" in (
        synced.stderr), synced.stderr
    assert ann.status() == "published"
