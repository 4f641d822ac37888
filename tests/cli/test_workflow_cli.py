"""End to end: two people (two config folders) work one database through `newsdesk`."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys

import pytest

STORY = """---
headline: "Ferry timetable changes in spring"
slug: "ferry-timetable"
section: "News / Metro"
---
Boats leave every twenty minutes from the north pier.

The last boat now leaves at midnight.
"""

# The window saves edits through Desk.save; no sub-command edits a story in place, so the
# edit step runs that same call in its own process, as the writer.
EDIT = """
import sys
from newsdesk.desk import Desk
with Desk.open(sys.argv[1]) as desk:
    story = desk.find("ferry-timetable")
    desk.save(story.replace(body=story.body + "\\n\\nNight boats run on Fridays."),
              story.revision)
"""


@pytest.fixture
def people(newsdesk, tmp_path):
    """Run `newsdesk` as the writer, the desk chief, or with no profile at all."""

    def as_(folder: str):
        env = {"NEWSDESK_CONFIG_DIR": str(tmp_path / folder)}
        return lambda *args, check=0: newsdesk(*args, env=env, check=check)

    writer, chief = as_("writer"), as_("chief")
    writer("profile", "--name", "Ada Writer", "--role", "editor")
    chief("profile", "--name", "Xu Fang", "--role", "desk_chief")
    return {"writer": writer, "chief": chief, "nobody": as_("nobody")}


def history(run) -> dict:
    return json.loads(run("history", "ferry-timetable", "--json").stdout)


@pytest.mark.slow
def test_written_approved_edited_reapproved_verified(people, newsdesk, tmp_path) -> None:
    writer, chief = people["writer"], people["chief"]
    key_file = tmp_path / "xu-fang.key"
    key_file.write_text(chief("profile", "--export-key").stdout, encoding="utf-8")
    assert "trusted: Xu Fang" in writer("profile", "--trust", str(key_file)).stderr
    story_file = tmp_path / "ferry.md"
    story_file.write_text(STORY, encoding="utf-8")
    writer("import", str(story_file))

    refused = writer("approve", "ferry-timetable", check=2)
    assert "only a desk chief can approve; Ada Writer is an editor" in refused.stderr
    writer("submit", "ferry-timetable")
    assert "approved: ferry-timetable (revision 1" in chief("approve", "ferry-timetable").stdout

    valid = writer("verify", "ferry-timetable")
    assert "valid: Xu Fang's approval of revision 1" in valid.stdout

    subprocess.run(
        [sys.executable, "-c", EDIT, str(newsdesk.db)],
        env={**newsdesk.env, "NEWSDESK_CONFIG_DIR": str(tmp_path / "writer")},
        check=True,
        timeout=60,
    )
    edited = history(chief)
    assert edited["revision"] == 2
    assert edited["status"] == "approved"
    assert edited["needs_reapproval"] and edited["approval_voided"]
    assert edited["effective_status"] == "in_review"
    voided = writer("verify", "ferry-timetable", check=1)
    assert "approval voided" in voided.stdout
    assert "it must be approved again" in chief("publish", "ferry-timetable", check=2).stderr

    chief("approve", "ferry-timetable")
    again = writer("verify", "ferry-timetable", "--json")
    assert json.loads(again.stdout)["valid"] is True
    assert json.loads(again.stdout)["revision"] == 2
    chief("publish", "ferry-timetable")

    final = history(writer)
    assert final["status"] == "published" and not final["needs_reapproval"]
    assert [(e["action"], e["actor"]) for e in final["events"]] == [
        ("created", "Ada Writer"),
        ("submit", "Ada Writer"),
        ("approve", "Xu Fang"),
        ("edited", "Ada Writer"),
        ("approve", "Xu Fang"),
        ("publish", "Xu Fang"),
    ]
    assert [a["revision"] for a in final["approvals"]] == [1, 2]
    diff = chief("history", "ferry-timetable", "--diff", "1", "2").stdout
    assert "body ¶3 added:\n  + Night boats run on Fridays." in diff


# The rest runs cli.main in this process: the same parser and handlers, without paying
# for a new interpreter per command.


@pytest.fixture
def run(monkeypatch, tmp_path, capsys):
    from newsdesk.cli import main

    def run_as(folder: str, *args: str, code: int = 0) -> tuple[str, str]:
        monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(tmp_path / folder))
        assert main(["--db", str(tmp_path / "desk.db"), *args]) == code
        captured = capsys.readouterr()
        return captured.out, captured.err

    story_file = tmp_path / "ferry.md"
    story_file.write_text(STORY, encoding="utf-8")
    run_as("chief", "profile", "--name", "Xu Fang", "--role", "desk chief")
    run_as("nobody", "import", str(story_file))
    return run_as


def test_default_profile_says_how_to_set_it(run, tmp_path) -> None:
    out, err = run("nobody", "submit", "ferry-timetable")
    assert "submitted: ferry-timetable" in out
    assert "no profile set up" in err and "newsdesk profile --name" in err
    shown = json.loads(run("nobody", "profile", "--json")[0])
    assert shown["is_default"] and shown["role"] == "editor"
    assert not (tmp_path / "nobody" / "profile.json").exists()
    assert "This is a default profile" in run("nobody", "profile")[0]


def test_refusals_exit_2_with_the_reason(run) -> None:
    assert "cannot approve: the story is a draft" in run(
        "chief", "approve", "ferry-timetable", code=2
    )[1]
    run("nobody", "submit", "ferry-timetable")
    assert "a note is required" in run("chief", "request-changes", "ferry-timetable", code=2)[1]
    run("chief", "request-changes", "ferry-timetable", "--note", "Which pier?")
    events = json.loads(run("chief", "history", "ferry-timetable", "--json")[0])["events"]
    assert (events[-1]["action"], events[-1]["note"]) == ("request_changes", "Which pier?")
    assert "unknown role" in run("chief", "profile", "--role", "boss", code=2)[1]
    assert "--as names a key" in run("chief", "profile", "--as", "X", code=2)[1]


def test_history_text_revert_spike_restore(run) -> None:
    assert "same text; nothing to do" in run("nobody", "revert", "ferry-timetable", "1")[0]
    assert "spiked: ferry-timetable" in run("chief", "spike", "ferry-timetable")[0]
    err = run("nobody", "submit", "ferry-timetable", code=2)[1]
    assert "cannot submit: the story is spiked" in err
    run("chief", "restore", "ferry-timetable")
    out = run("chief", "history", "ferry-timetable")[0]
    assert "status: draft" in out
    assert "spike" in out and "restore" in out and "revisions:" in out


def test_verify_json_and_keyring_errors(run, tmp_path) -> None:
    run("nobody", "submit", "ferry-timetable")
    run("chief", "approve", "ferry-timetable")
    result = json.loads(run("chief", "verify", "ferry-timetable", "--json")[0])
    assert result["valid"] and result["key_name"] == "Xu Fang"
    err = run("chief", "verify", "ferry-timetable", "--keyring", str(tmp_path / "no.yaml"),
              code=2)[1]
    assert "no such keyring file" in err
    assert "unknown key" in run("nobody", "verify", "ferry-timetable", code=1)[0]


def test_verify_lists_the_signed_actions_and_fails_on_a_forged_one(run, tmp_path) -> None:
    run("nobody", "submit", "ferry-timetable")
    run("chief", "approve", "ferry-timetable")
    out = run("chief", "verify", "ferry-timetable")[0]
    assert "signed actions:" in out
    assert re.search(r"submit +\S+ \([0-9a-f]{16}\) +draft -> in_review +\[signed by a key "
                     r"not in the keyring\]", out), out
    assert re.search(r"approve +Xu Fang \([0-9a-f]{16}\) +in_review -> approved +\[signed, "
                     r"trusted as Xu Fang\]", out), out
    # Someone with the database file rewrites a status in the actions: they no longer verify.
    with sqlite3.connect(tmp_path / "desk.db") as db:
        db.execute("UPDATE stories SET actions = replace(actions, '\"in_review\"', "
                   "'\"published\"')")
    out = run("chief", "verify", "ferry-timetable", code=1)[0]
    assert "[bad signature]" in out and "2 action(s) do not verify" in out
    shown = json.loads(run("chief", "verify", "ferry-timetable", "--json", code=1)[0])
    assert shown["valid"] and not shown["actions_valid"]
    assert [a["signature_valid"] for a in shown["actions"]] == [False, False]
