"""End to end through `newsdesk`: a story's type comes from its file, is changed with
`newsdesk type`, filters the list, and gates submit and approve under each person's
house rules, every failure named in one line."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

OPINION = """---
headline: "Why the ferry must stay public"
slug: "ferry-opinion"
section: "News / Metro"
type: "opinion"
---
The ferry is a public good and should stay one, whatever the council decides next week.
Fares must stay low and the night boats must run.
"""


@pytest.fixture
def people(newsdesk, tmp_path):
    def as_(folder: str):
        env = {"NEWSDESK_CONFIG_DIR": str(tmp_path / folder)}
        return lambda *args, check=0: newsdesk(*args, env=env, check=check)

    writer, chief = as_("writer"), as_("chief")
    writer("profile", "--name", "Ada Writer", "--role", "editor")
    chief("profile", "--name", "Xu Fang", "--role", "desk_chief")
    return {"writer": writer, "chief": chief}


def status_and_revision(newsdesk) -> tuple[str, int]:
    with closing(sqlite3.connect(newsdesk.db)) as db:
        return db.execute(
            "SELECT status, revision FROM stories WHERE slug = 'ferry-opinion'"
        ).fetchone()


@pytest.mark.slow
def test_the_type_gates_submit_and_approve_naming_every_failure(people, newsdesk, tmp_path):
    writer, chief = people["writer"], people["chief"]
    story_file = tmp_path / "opinion.md"
    story_file.write_text(OPINION, encoding="utf-8")
    writer("import", str(story_file))
    assert writer("type", "ferry-opinion").stdout == "opinion\n"

    refused = writer("submit", "ferry-opinion", check=2)
    message = refused.stderr.strip()
    assert "\n" not in message
    assert message.startswith("newsdesk: ferry-opinion: cannot submit: the story breaks the rules "
                              "of its type (opinion): "), message
    for failure in ("Opinion needs a byline", "Opinion is 26 words (at least 300)",
                    "Opinion is filed in 'News / Metro' (it goes in Opinion)"):
        assert failure in message
    assert status_and_revision(newsdesk) == ("draft", 1)  # refused: nothing changed

    checked = writer("check", "ferry-opinion", check=1)
    assert "Opinion needs a byline." in checked.stdout

    assert "opinion -> brief (revision 2)" in writer("type", "ferry-opinion", "brief").stdout
    writer("submit", "ferry-opinion")

    # The chief's own house rules make briefs shorter: approving is refused there.
    strict = "types:\n  brief: {min_words: 0, max_words: 10}\n"
    (tmp_path / "chief" / "rules.yaml").write_text(strict, encoding="utf-8")
    refused = chief("approve", "ferry-opinion", check=2)
    assert "Brief is 26 words (at most 10, 16 over)" in refused.stderr
    assert status_and_revision(newsdesk) == ("in_review", 2)
    (tmp_path / "chief" / "rules.yaml").unlink()
    chief("approve", "ferry-opinion")

    [row] = json.loads(writer("list", "--type", "brief", "--json").stdout)
    assert (row["slug"], row["type"], row["status"]) == ("ferry-opinion", "brief", "approved")
    assert json.loads(writer("list", "--type", "opinion", "--json").stdout) == []
    # Every story (--limit 0, one streamed query) keeps the type filter too.
    assert json.loads(writer("list", "--type", "opinion", "--limit", "0", "--json").stdout) == []
    [every] = json.loads(writer("list", "--type", "brief", "--limit", "0", "--json").stdout)
    assert every["slug"] == "ferry-opinion"
    assert json.loads(writer("show", "ferry-opinion", "--json").stdout)["type"] == "brief"
    assert 'type: "brief"\n' in writer("show", "ferry-opinion", "--markdown").stdout


def test_an_unknown_type_is_refused_in_one_line_and_changes_nothing(people, newsdesk, tmp_path):
    writer = people["writer"]
    story_file = tmp_path / "opinion.md"
    story_file.write_text(OPINION, encoding="utf-8")
    writer("import", str(story_file))
    refused = writer("type", "ferry-opinion", "feature", check=2)
    assert refused.stderr.strip() == (
        "newsdesk: 'feature' is not a story type here; one of news, brief, analysis, opinion, "
        "obituary, live, correction"
    )
    refused = writer("list", "--type", "feature", check=2)
    assert "'feature' is not a story type here" in refused.stderr
    assert status_and_revision(newsdesk) == ("draft", 1)
    types = json.loads(writer("type", "--list", "--json").stdout)
    assert [t["type"] for t in types][:3] == ["news", "brief", "analysis"]


def test_the_seeded_samples_carry_their_types_and_pass_their_gates(newsdesk, tmp_path):
    """The first-run samples: the opinion piece is of type opinion (it was news, and its
    57 words would have failed the opinion gate), and every sample passes its type's
    gate through the commands: each draft is submitted, each story in review approved."""
    seed = ("import sys; from newsdesk.desk import Desk; "
            "Desk.open(sys.argv[1], seed=True).close()")
    subprocess.run([sys.executable, "-c", seed, str(newsdesk.db)], check=True,
                   env=newsdesk.env, timeout=60)
    people = {who: lambda *args, who=who: newsdesk(
        *args, env={"NEWSDESK_CONFIG_DIR": str(tmp_path / who)}) for who in ("writer", "chief")}
    people["writer"]("profile", "--name", "Ada Writer", "--role", "editor")
    people["chief"]("profile", "--name", "Xu Fang", "--role", "desk_chief")
    rows = {row["slug"]: row for row in newsdesk.json("list", "--json")}
    assert len(rows) == 6
    assert rows["opinion-night-buses"]["type"] == "opinion"
    assert {row["type"] for slug, row in rows.items() if slug != "opinion-night-buses"} == {
        "news"}
    for slug, row in sorted(rows.items()):  # each exits 0, or the test shows its stderr
        if row["status"] == "draft":
            people["writer"]("submit", slug)
        else:
            people["chief"]("approve", slug)
