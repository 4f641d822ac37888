"""End to end regressions from QA: duplicate imports, --db paths, search words with "-",
and the messages of `conflicts` when there are none."""

import subprocess

import pytest

from tests.cli.conftest import newsdesk_executable
from tests.cli.test_cli import WIRE


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*newsdesk_executable(), *args], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def wire_file(tmp_path):
    path = tmp_path / "wire-tram.txt"
    path.write_text(WIRE, encoding="utf-8")
    return path


def test_the_same_wire_file_imported_twice_is_refused(newsdesk, wire_file):
    story_id, slug = newsdesk("import", str(wire_file)).stdout.split()
    again = newsdesk("import", str(wire_file), check=1)
    assert again.stdout == ""
    assert f"already imported as '{slug}' ({story_id[:8]})" in again.stderr
    assert len(newsdesk.json("list", "--json")) == 1


def test_junk_text_is_not_imported_as_a_story(newsdesk, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_text("hello there\nthis is not wire copy\n", encoding="utf-8")
    result = newsdesk("import", str(junk), check=1)
    assert f"{junk}, line 1: not wire copy" in result.stderr
    assert newsdesk.json("list", "--json") == []


def test_db_in_a_missing_folder_is_refused_and_nothing_is_created(newsdesk, tmp_path):
    db = tmp_path / "no-such-folder" / "desk.db"
    result = run(newsdesk.env, "--db", str(db), "list")
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not db.parent.exists()


def test_db_that_is_a_folder_is_named_as_such_not_as_damaged(newsdesk, tmp_path):
    result = run(newsdesk.env, "--db", str(tmp_path), "list")
    assert result.returncode == 2
    assert "is a folder, not a database file" in result.stderr
    assert "damaged" not in result.stderr and "backup" not in result.stderr


def test_default_database_that_is_a_folder_is_not_called_damaged(newsdesk, tmp_path):
    result = run({**newsdesk.env, "NEWSDESK_DB": str(tmp_path)}, "list")
    assert result.returncode == 2
    assert "is a folder, not a database file" in result.stderr
    assert "damaged" not in result.stderr and "backup" not in result.stderr


def test_a_file_that_is_not_sqlite_is_not_called_damaged(newsdesk, tmp_path):
    other = tmp_path / "notes.db"
    other.write_bytes(b"shopping list: milk, bread\n" * 100)
    result = run(newsdesk.env, "--db", str(other), "list")
    assert result.returncode == 2
    assert "not a Newsdesk database" in result.stderr
    assert "damaged" not in result.stderr and "no backup" not in result.stderr


def test_a_database_overwritten_with_other_bytes_still_gets_its_backup_offered(newsdesk):
    newsdesk("backup")
    newsdesk.db.write_bytes(b"not a database any more\n" * 100)
    result = newsdesk("list", check=2)
    assert "not a Newsdesk database" in result.stderr and "damaged" not in result.stderr
    assert "The last good backup is" in result.stderr and "restore-backup" in result.stderr


def test_db_option_after_the_command(newsdesk, wire_file, tmp_path):
    newsdesk("import", str(wire_file))
    after = run(newsdesk.env, "list", "--db", str(newsdesk.db), "--json")
    assert after.returncode == 0, after.stderr
    assert "tram-company" in after.stdout
    # Given before the command, --db is not reset by the sub-command's own option.
    before = run(newsdesk.env, "--db", str(newsdesk.db), "list", "--json")
    assert before.stdout == after.stdout


@pytest.mark.parametrize("args", [("-carriages",), ("-carriages", "--json"),
                                  ("--json", "-carriages"), ("--", "-carriages")])
def test_search_words_may_start_with_a_dash(newsdesk, wire_file, args):
    story_id = newsdesk("import", str(wire_file)).stdout.split()[0]
    result = newsdesk("search", *args)
    assert story_id[:8] in result.stdout
    assert "unrecognized" not in result.stderr


def test_unknown_options_are_still_errors(newsdesk):
    assert "unrecognized arguments: -x" in newsdesk("list", "-x", check=2).stderr
    assert "unrecognized arguments: -x" in newsdesk("-x", "search", "y", check=2).stderr
    assert "search" in newsdesk("search", check=2).stderr


def test_conflicts_says_when_there_are_none(newsdesk):
    assert newsdesk("conflicts").stdout.strip() == "no conflicts"
    assert newsdesk.json("conflicts", "--json") == []
