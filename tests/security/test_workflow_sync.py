"""Attacks on the workflow through the sync folder (issue 16, item 1): a status is earned
by a signed action from a trusted desk chief, never copied from a file.

Each test is the attack as someone with write access to the shared folder performs it:
they edit a story file (its status line, its `modified_by`, its approvals and actions)
with a text editor, and the desk chief's laptop syncs and exports.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.security.workflow_laptops import (
    SLUG,
    Laptop,
    edit_file,
    events,
    exported_ids,
    forge_approval,
    story_file,
    write_story,
)


@pytest.fixture
def desk(tmp_path: Path) -> SimpleNamespace:
    """Sam (editor) and Ann (desk chief) on their own laptops, one shared folder; Sam
    wrote and submitted the story, and it reached Ann."""
    sam = Laptop(tmp_path, "Sam Reporter", "editor")
    ann = Laptop(tmp_path, "Chief Ann", "desk_chief")
    folder = tmp_path / "shared"
    write_story(sam, tmp_path)
    sam("submit", SLUG)
    sam("sync", str(folder))
    ann("sync", str(folder))
    assert ann.status() == "in_review"
    return SimpleNamespace(sam=sam, ann=ann, folder=folder, out=tmp_path / "out")


def test_a_killed_story_edited_back_to_published_stays_killed(desk) -> None:
    sam, ann, folder, out = desk.sam, desk.ann, desk.folder, desk.out
    ann("approve", SLUG)
    ann("export", "--format", "html", "--out", str(out))
    ann("spike", SLUG, "--note", "legal: kill this story")
    ann("export", "--format", "html", "--out", str(out))
    ann("sync", str(folder))
    story_id = ann.json("show", SLUG)["id"]
    assert story_id not in exported_ids(out)

    # The attack: one line of the file, and the chief's name as its editor; plus an edit
    # of the text, which is Sam's to make and must still arrive.
    path = story_file(folder)
    edit_file(path, status="published", modified_by="Chief Ann")
    path.write_text(path.read_text(encoding="utf-8") + "\nThe mayor welcomed it.\n",
                    encoding="utf-8")

    synced = ann("sync", str(folder), code=1)
    assert re.search(
        rf"rejected +{SLUG}: status spiked -> published not applied: no signed action by a "
        r"trusted desk chief leads there", synced.stderr,
    ), synced.stderr
    shown = ann.json("show", SLUG)
    assert shown["status"] == "spiked"
    assert shown["body"].endswith("The mayor welcomed it.\n")  # the rest merged
    exported = ann("export", "--format", "html", "--out", str(out))
    assert story_id not in exported_ids(out)
    assert not list(out.rglob(f"{SLUG}.html")), exported.stdout
    ann("verify-export", str(out))

    # Kept in the history as a rejected change, with who the file claims: not the chief.
    rejected = [e for e in events(ann) if e["action"] == "rejected"]
    assert [(e["from_status"], e["to_status"], e["actor"], e["origin"]) for e in rejected] == [
        ("spiked", "published", "Chief Ann", "file")
    ]
    text = ann("history", SLUG).stdout
    # The name is the file's claim; the key it claims is Sam's, which gives him away.
    sam_key = sam.json("profile")["key_id"]
    assert re.search(
        rf"rejected +Chief Ann \({sam_key}, claimed by a synced file\) +spiked -> published",
        text,
    ), text
    # Reported once: the next sync has nothing to say about it.
    again = ann("sync", str(folder))
    assert "rejected" not in again.stdout + again.stderr


def test_changes_requested_then_edited_back_to_approved_is_not_exported(desk) -> None:
    sam, ann, folder, out = desk.sam, desk.ann, desk.folder, desk.out
    sam.trusts(ann)
    ann("approve", SLUG)
    ann("request-changes", SLUG, "--note", "Which council? Name the vote.")
    ann("sync", str(folder))
    sam("sync", str(folder))
    assert sam.status() == "draft"

    edit_file(story_file(folder), status="approved")
    sam("sync", str(folder), code=1)  # Sam's own laptop refuses it as well
    assert sam.status() == "draft"
    synced = ann("sync", str(folder), code=1)
    assert f"{SLUG}: status draft -> approved not applied" in synced.stderr
    assert ann.status() == "draft"
    ann("export", "--format", "html", "--out", str(out))
    assert exported_ids(out) == []


def test_an_editor_who_makes_themselves_desk_chief_signs_nothing_the_desk_accepts(desk) -> None:
    """A valid signature by an untrusted key: Sam turns his own profile into a desk chief
    with four eyes off and approves his story; the signature verifies, the key is Sam's."""
    sam, ann, folder, out = desk.sam, desk.ann, desk.folder, desk.out
    sam("profile", "--role", "desk_chief", "--four-eyes", "off")
    sam("approve", SLUG)
    sam("sync", str(folder))

    synced = ann("sync", str(folder), code=1)
    assert f"{SLUG}: status in_review -> approved not applied: the approve: signed by " \
        "Sam Reporter with key" in synced.stderr
    assert "which this laptop does not trust as a desk chief" in synced.stderr
    shown = ann.json("show", SLUG)
    assert shown["status"] == "in_review" and shown["approvals"] == []
    ann("export", "--format", "html", "--out", str(out))
    assert exported_ids(out) == []


def test_a_forged_approval_in_the_file_is_refused(desk) -> None:
    """The attacker copies the chief's key into an approve action and an approval they
    write themselves: the signatures cannot be made without her private key."""
    ann, folder, out = desk.ann, desk.folder, desk.out
    ann("sync", str(folder))
    forge_approval(story_file(folder), ann)

    synced = ann("sync", str(folder), code=1)
    assert f"{SLUG}: status in_review -> approved not applied: the approve by Chief Ann is " \
        "unsigned or its signature does not verify" in synced.stderr
    assert "the approval of revision 1 by Chief Ann is unsigned" in synced.stderr
    shown = ann.json("show", SLUG)
    assert shown["status"] == "in_review" and shown["approvals"] == []
    ann("export", "--format", "html", "--out", str(out))
    assert exported_ids(out) == []


def test_a_spike_cut_out_of_the_file_is_put_back_and_the_story_stays_killed(desk) -> None:
    """Withholding: the attacker deletes the spike action itself, so the file reads as
    if the story had only been published. The chief's laptop keeps the actions it has,
    refuses the status and writes the spike back into the folder."""
    sam, ann, folder, out = desk.sam, desk.ann, desk.folder, desk.out
    sam.trusts(ann)
    ann("approve", SLUG)
    ann("export", "--format", "html", "--out", str(out))
    ann("spike", SLUG, "--note", "legal: kill this story")
    ann("sync", str(folder))
    path = story_file(folder)
    text = path.read_text(encoding="utf-8")
    spike = re.search(r'^- action: "spike"\n(?:  .*\n)+', text, flags=re.M)
    path.write_text(text.replace(spike[0], "") if spike else text, encoding="utf-8")
    edit_file(path, status="published")

    synced = ann("sync", str(folder), code=1)
    assert f"{SLUG}: status spiked -> published not applied" in synced.stderr
    assert spike is not None  # it was there to cut out
    assert ann.status() == "spiked"
    assert 'action: "spike"' in path.read_text(encoding="utf-8")
    assert 'status: "spiked"' in path.read_text(encoding="utf-8")
    sam("sync", str(folder))
    assert sam.status() == "spiked"
    ann("export", "--format", "html", "--out", str(out))
    assert exported_ids(out) == []
