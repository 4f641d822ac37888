"""`newsdesk sync FOLDER --restore-missing` writes a vanished file back (issue 15).

Before, a file deleted by hand was reported as missing at every sync and written back
only if its story had also changed since.
"""

from __future__ import annotations

from newsdesk.formats.markdown import loads


def test_restore_missing_writes_back_a_file_whose_story_did_not_change(newsdesk, tmp_path):
    folder = tmp_path / "shared"
    source = tmp_path / "wall.md"
    source.write_text('---\nheadline: "Harbour wall repaired"\n---\nThe wall is up.\n',
                      encoding="utf-8")
    newsdesk("import", str(source))
    newsdesk("sync", str(folder))
    (path,) = (folder / "stories").rglob("*.md")
    path.unlink()

    missing = newsdesk("sync", str(folder), check=1)
    assert "missing" in missing.stdout + missing.stderr
    newsdesk("sync", str(folder), "--restore-missing", check=None)
    assert path.exists(), "the vanished file was not written back"
    assert loads(path.read_text(encoding="utf-8")).headline == "Harbour wall repaired"
    quiet = newsdesk("sync", str(folder), "--json")  # nothing is missing any more
    assert '"missing"' not in quiet.stdout
