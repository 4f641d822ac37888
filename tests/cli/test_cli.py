"""End to end: the real `newsdesk` command on a temporary database."""

import json

import pytest

WIRE = """ date 2026-03-14 \x20
News\u00a0/\u00a0Business

Tram company orders forty new carriages

The city tram operator has ordered forty low-floor carriages to replace its oldest fleet.
Workers check a new carriage at the depot.

The city tram operator has ordered forty low-floor carriages to replace its oldest fleet.

The first carriages arrive next autumn, the operator said.



Source: Metro Wire   Editor: Ana Costa
"""


@pytest.fixture
def wire_file(tmp_path):
    path = tmp_path / "wire-tram.txt"
    path.write_text(WIRE, encoding="utf-8")
    return path


def test_version(newsdesk):
    from newsdesk import __version__

    assert newsdesk("--version").stdout.strip() == f"newsdesk {__version__}"


def test_import_list_show_search(newsdesk, wire_file):
    newsdesk("profile", "--name", "Ada Writer", "--role", "editor")
    out = newsdesk("import", str(wire_file)).stdout.split()
    story_id, slug = out[0], out[1]
    assert slug.startswith("tram-company")

    rows = newsdesk.json("list", "--json")
    assert [r["id"] for r in rows] == [story_id]

    shown = newsdesk.json("show", slug, "--json")
    assert shown["id"] == story_id
    assert shown["headline"] == "Tram company orders forty new carriages"
    assert shown["section"] == "News / Business"
    assert shown["dateline"] == {"place": "", "date": "2026-03-14"}
    assert shown["source"] == "Metro Wire"
    # The trailer's editor is the agency's; the desk's editor is whoever imported it.
    assert shown["editor"] == "Ada Writer"
    assert shown["extra"] == {"source_editor": "Ana Costa"}
    assert rows[0]["editor"] == "Ada Writer"
    assert shown["caption"] == "Workers check a new carriage at the depot."
    assert "Source:" not in shown["body"]
    for key in ("revision", "status", "word_count", "content_hash", "tags", "deck", "byline",
                "embargo", "ednote", "created_at", "updated_at", "approvals", "slug"):
        assert key in shown
    assert shown["status"] == "draft"
    assert shown["revision"] == 1

    hits = newsdesk.json("search", "carriages", "--json")
    assert [h["id"] for h in hits] == [story_id]
    assert newsdesk.json("search", "nonexistentword", "--json") == []


def test_show_markdown_imports_back_into_another_database(newsdesk, wire_file, tmp_path):
    newsdesk("import", str(wire_file))
    text = newsdesk("show", "tram-company-orders", "--markdown").stdout
    md = tmp_path / "story.md"
    md.write_text(text, encoding="utf-8")
    other = type(newsdesk)(tmp_path / "other.db", newsdesk.env)
    other("import", str(md))
    assert other.json("show", "tram-company-orders", "--json") == newsdesk.json(
        "show", "tram-company-orders", "--json"
    )


@pytest.mark.parametrize("query", ['"unbalanced', "AND OR", "NEAR(", "*", "a:b", "'", "(((", "-x"])
def test_hostile_search_queries_never_traceback(newsdesk, wire_file, query):
    newsdesk("import", str(wire_file))
    result = newsdesk("search", query, check=None)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2)
    if result.returncode == 0:
        json.loads(newsdesk("search", query, "--json").stdout)


def test_rejected_files_are_listed_and_others_still_imported(newsdesk, wire_file, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(WIRE, encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage\xff")
    (folder / "broken.md").write_text("---\nid: [unclosed\n---\nbody\n", encoding="utf-8")
    result = newsdesk("import", str(folder), check=1)
    assert len(result.stdout.strip().splitlines()) == 1
    assert "binary.txt" in result.stderr
    assert "broken.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(newsdesk.json("list", "--json")) == 1


def test_list_filters(newsdesk, wire_file):
    newsdesk("import", str(wire_file))
    assert len(newsdesk.json("list", "--status", "draft", "--json")) == 1
    assert newsdesk.json("list", "--status", "approved", "--json") == []
    assert len(newsdesk.json("list", "--section", "News / Business", "--json")) == 1
    assert newsdesk.json("list", "--section", "Sport", "--json") == []


def test_unknown_story_is_a_clear_error(newsdesk):
    result = newsdesk("show", "no-such-story", check=2)
    assert "no-such-story" in result.stderr
    assert "Traceback" not in result.stderr


def test_environment_variable_picks_the_database(newsdesk, wire_file, tmp_path):
    env_db = tmp_path / "from-env.db"
    import subprocess

    from tests.cli.conftest import newsdesk_executable

    subprocess.run([*newsdesk_executable(), "import", str(wire_file)], check=True,
                   env={**newsdesk.env, "NEWSDESK_DB": str(env_db)}, capture_output=True)
    assert env_db.exists()
