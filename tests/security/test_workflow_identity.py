"""Attacks on identity (issue 16, item 5): a name is a label anyone can type; the key is
who someone is. Four eyes compares keys, and a new name is recorded, not forgotten."""

from __future__ import annotations

import re
from pathlib import Path

from tests.security.workflow_laptops import SLUG, Laptop, edit_file, story_file, write_story


def test_renaming_yourself_does_not_let_you_approve_your_own_story(tmp_path: Path) -> None:
    root = Laptop(tmp_path, "root", "editor")
    write_story(root, tmp_path)
    root("submit", SLUG)

    root("profile", "--name", "Sam Newcomer", "--role", "desk_chief")
    refused = root("approve", SLUG, code=2)
    key = root.key_id()
    assert refused.stderr.startswith(f"newsdesk: {SLUG}: root last edited revision 1")
    assert "four-eyes rule: someone else must approve it" in refused.stderr
    assert f"saved with your key {key}" in refused.stderr
    assert root.status() == "in_review"

    # History shows each name with the key, and the new name as an event of its own.
    history = root.json("history", SLUG)
    assert {(e["actor"], e["actor_key"]) for e in history["events"]} == {("root", key)}
    assert [(n["name"], n["action"]) for n in history["identities"]] == [
        ("root", "first_used"), ("Sam Newcomer", "renamed"),
    ]
    text = root("history", SLUG).stdout
    assert f"submit          root ({key})" in text
    assert f"root is now called Sam Newcomer (key {key}, unchanged)" in text


def test_your_own_text_back_from_the_folder_under_another_name_is_still_yours(
    tmp_path: Path,
) -> None:
    """The desk chief wrote the story; the file then claims someone else edited it (their
    name and key), and a later edit puts her exact text back. The last editor the file
    names is not her, but the text is what her key saved: she may not approve it."""
    ann = Laptop(tmp_path, "Chief Ann", "desk_chief")
    sam = Laptop(tmp_path, "Sam Reporter", "editor")
    folder = tmp_path / "shared"
    write_story(ann, tmp_path)
    ann("submit", SLUG)
    ann("sync", str(folder))
    sam_key = sam.key_id()

    path = story_file(folder)
    original = path.read_text(encoding="utf-8")
    edit_file(path, modified_by="Sam Reporter")
    path.write_text(
        re.sub(r"^modified_key: .*$", f'modified_key: "{sam_key}"',
               path.read_text(encoding="utf-8"), flags=re.M) + "\nA late line.\n",
        encoding="utf-8",
    )
    ann("sync", str(folder))
    path.write_text(path.read_text(encoding="utf-8").removesuffix("\nA late line.\n"),
                    encoding="utf-8")
    ann("sync", str(folder))

    refused = ann("approve", SLUG, code=2)
    assert "holds text your key" in refused.stderr and "four-eyes rule" in refused.stderr
    shown = ann.json("show", SLUG)
    assert (shown["modified_by"], shown["modified_key"]) == ("Sam Reporter", sam_key)
    assert shown["body"] == original.split("\n---\n", 1)[1]
