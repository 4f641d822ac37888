"""End to end through `newsdesk`: a published story corrected (the note drafted from the
diff), updated and killed, by a writer and a desk chief with their own profiles."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

STORY = """---
headline: "Ferry timetable changes in spring"
slug: "ferry-timetable"
section: "News / Metro"
---
Boats leave every twenty minutes from the north pier, said Jon Smyth.

The last boat now leaves at midnight on 9 March.
"""

# No sub-command edits a story in place (the window saves through Desk.save): the edit
# runs that same call in its own process, as the writer.
EDIT = """
import sys
from newsdesk.desk import Desk
with Desk.open(sys.argv[1]) as desk:
    story = desk.find("ferry-timetable")
    desk.save(story.replace(body=story.body.replace(sys.argv[2], sys.argv[3])),
              story.revision)
"""


@pytest.fixture
def people(newsdesk, tmp_path):
    def as_(folder: str):
        env = {"NEWSDESK_CONFIG_DIR": str(tmp_path / folder)}
        return lambda *args, check=0: newsdesk(*args, env=env, check=check)

    writer, chief = as_("writer"), as_("chief")
    writer("profile", "--name", "Ada Writer", "--role", "editor")
    chief("profile", "--name", "Xu Fang", "--role", "desk_chief")
    story_file = tmp_path / "ferry.md"
    story_file.write_text(STORY, encoding="utf-8")
    writer("import", str(story_file))
    writer("submit", "ferry-timetable")
    chief("approve", "ferry-timetable")
    chief("publish", "ferry-timetable")

    def edit(old: str, new: str) -> None:
        subprocess.run(
            [sys.executable, "-c", EDIT, str(newsdesk.db), old, new],
            env={**newsdesk.env, "NEWSDESK_CONFIG_DIR": str(tmp_path / "writer")},
            check=True, timeout=60,
        )

    return writer, chief, edit


# About 40 s: the whole path is some thirty runs of the command, each a new process.
@pytest.mark.slow
def test_correct_update_kill_through_the_command(people) -> None:
    writer, chief, edit = people
    refused = writer("correct", "ferry-timetable", "--note", "x", check=2)
    assert "the text is the one published; edit it first" in refused.stderr

    edit("Smyth", "Smith")
    edit("9 March", "10 March")
    refused = chief("approve", "ferry-timetable", check=2)
    assert "record the change as a correction or an update" in refused.stderr
    drafted = writer("correct", "ferry-timetable", "--draft").stdout.strip()
    assert drafted == (
        "An earlier version of this story misspelled Smith as Smyth. An earlier version of "
        "this story gave the date as 9 March; it was 10 March."
    )
    missing = writer("correct", "ferry-timetable", check=2)
    assert "a note is required (--note TEXT); drafted from the changes" in missing.stderr
    done = writer("correct", "ferry-timetable", "--note", drafted).stdout
    assert done.startswith("correction recorded: ferry-timetable (revision 3, now published)")
    assert "signed by Ada Writer (" in done

    log = json.loads(writer("corrections", "--json").stdout)
    assert [(e["kind"], e["note"], e["out"]) for e in log] == [("correct", drafted, False)]
    chief("approve", "ferry-timetable")
    chief("publish", "ferry-timetable")
    log = json.loads(writer("corrections", "--since", "2000-01-01", "--json").stdout)
    assert [e["out"] for e in log] == [True]
    assert json.loads(writer("corrections", "--since", "2999-01-01", "--json").stdout) == []
    assert "awaiting" not in writer("corrections").stdout

    edit("midnight", "one in the morning")
    writer("update", "ferry-timetable", "--note", "adds the night boat")
    chief("approve", "ferry-timetable")
    chief("publish", "ferry-timetable")

    assert "only a desk chief can kill" in writer(
        "kill", "ferry-timetable", "--note", "Withdrawn.", check=2).stderr
    assert "a note is required to kill" in chief("kill", "ferry-timetable", check=2).stderr
    killed = chief("kill", "ferry-timetable", "--note", "This story has been withdrawn for "
                   "legal reasons.").stdout
    assert killed.startswith("killed: ferry-timetable (revision 4, now killed)")
    # Nothing brings it back without a new signed action, and none leaves killed.
    for action in ("approve", "publish", "restore", "spike"):
        refused = chief(action, "ferry-timetable", check=2)
        assert "the story was killed; a killed story stays killed" in refused.stderr
    # Nor does a new type (the window's Type field is disabled for the same reason).
    refused = writer("type", "ferry-timetable", "opinion", check=2)
    assert refused.stderr.strip() == (
        "newsdesk: cannot change the type: the story was killed; a killed story stays killed")
    assert writer("type", "ferry-timetable").stdout.strip() == "news"
    kinds = [e["kind"] for e in json.loads(chief("corrections", "--json").stdout)]
    assert kinds == ["kill", "update", "correct"]
    assert chief("verify", "ferry-timetable").returncode == 0


def test_bad_since_is_one_line(people) -> None:
    writer, _chief, _edit = people
    bad = writer("corrections", "--since", "yesterday", check=2)
    assert bad.stderr.strip().count("\n") == 0 and "--since" in bad.stderr
