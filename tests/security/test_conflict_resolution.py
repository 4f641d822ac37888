"""Resolving a sync conflict sets no status and adds no record by itself: the chosen
version's status, approvals and actions count only as far as a sync would take them.

The attack: while Sam's paragraph and Chief Ann's clash, someone with write access to
the folder writes a forged approval of Ann's (her public key, a made-up signature) and
an approve action into the file, and sets its status to approved. Ann's sync keeps both
versions in a conflict; she then takes the other side (`newsdesk conflicts --take
remote`, or `--whole remote`). Syncs, resolutions and exports run as the real `newsdesk`
command with each person's own profile and key; the two text edits, which the command
line does not make, are saves to each laptop's database.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.store import Store
from tests.security.workflow_laptops import (
    SLUG,
    Laptop,
    events,
    exported_ids,
    forge_approval,
    story_file,
    write_story,
)


def edit(laptop: Laptop, words: str) -> None:
    """An edit of the story's first paragraph, saved on this laptop."""
    with Store.open(laptop.db) as store:
        story = store.find(SLUG)
        body = story.body.replace("nine to two", words)
        store.save(story.replace(body=body), story.revision, actor=laptop.name)


@pytest.mark.parametrize("how", ["--take", "--whole"])
def test_a_forged_approval_taken_with_the_other_side_does_not_count(
    tmp_path: Path, how: str
) -> None:
    sam = Laptop(tmp_path, "Sam Reporter", "editor")
    ann = Laptop(tmp_path, "Chief Ann", "desk_chief")
    folder, out = str(tmp_path / "shared"), tmp_path / "out"
    write_story(sam, tmp_path)
    sam("submit", SLUG)
    sam("sync", folder)
    ann("sync", folder)
    edit(sam, "nine votes to two")
    sam("sync", folder)
    edit(ann, "9-2")
    forge_approval(story_file(Path(folder)), ann)  # the attacker, in the shared folder

    synced = ann("sync", folder, code=1)
    assert "conflict" in synced.stderr
    resolved = ann("conflicts", SLUG, how, "remote")

    shown = ann.json("show", SLUG)
    assert "nine votes to two" in shown["body"]  # the other side's words were taken
    assert shown["status"] == "in_review" and shown["approvals"] == []
    assert "approve" not in [e["action"] for e in events(ann)]
    rejected = [e for e in events(ann) if e["action"] == "rejected"]
    assert [(e["from_status"], e["to_status"]) for e in rejected] == [("in_review", "approved")]
    assert "not accepted" in resolved.stdout + resolved.stderr
    ann("export", "--format", "html", "--out", str(out))
    assert exported_ids(out) == []
    # Nor does the next sync take it, nor send an approval out as Ann's.
    ann("sync", folder, code=None)
    assert ann.json("show", SLUG)["status"] == "in_review"
