"""`newsdesk sync FOLDER` and `newsdesk conflicts` on two databases and one folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsdesk.cli import main
from newsdesk.domain.model import Story
from newsdesk.formats.markdown import dumps, loads
from newsdesk.store import Store

STORY = Story(
    slug="ferry-timetable",
    headline="Ferry timetable changes",
    body="Ferries leave every hour.\n\nThe last one is at ten.\n",
)


def newsdesk(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_real_command_syncs(tmp_path: Path):
    source = tmp_path / "ferry.md"
    source.write_text(dumps(STORY), encoding="utf-8")
    db, folder = tmp_path / "a.db", tmp_path / "shared"
    command = [sys.executable, "-m", "newsdesk", "--db", str(db)]
    subprocess.run([*command, "import", str(source)], check=True, capture_output=True)
    done = subprocess.run([*command, "sync", str(folder)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "sync done: 1 exported" in done.stdout


def test_sync_conflicts_and_exit_codes(tmp_path: Path, capsys):
    a, b, folder = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "shared"
    with Store.open(a) as store:
        store.insert(STORY)
    assert newsdesk(capsys, a, "sync", str(folder))[0] == 0
    code, out, _ = newsdesk(capsys, b, "sync", str(folder), "--json")
    assert code == 0 and json.loads(out)["counts"] == {"imported": 1}

    # The same paragraph changed in the folder and in A: exit 1, listed, resolved.
    (path,) = (folder / "stories").rglob("*.md")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("every hour", "every half hour"), encoding="utf-8")
    with Store.open(a) as store:
        current = store.get(STORY.id)
        body = current.body.replace("every hour", "twice an hour")
        store.save(current.replace(body=body), current.revision)
    code, _, err = newsdesk(capsys, a, "sync", str(folder))
    assert code == 1 and "conflict" in err
    code, out, _ = newsdesk(capsys, a, "conflicts", "--json")
    assert [c["fields"] for c in json.loads(out)] == [["body"]]
    code, out, _ = newsdesk(capsys, a, "conflicts", STORY.slug, "--take", "remote")
    assert code == 0 and "kept the remote version" in out
    assert newsdesk(capsys, a, "sync", str(folder))[0] == 0
    assert "every half hour" in loads(path.read_text(encoding="utf-8")).body

    # An unmounted share: the pass stops, exit 2, nothing written.
    (folder / ".newsdesk-workspace").unlink()
    code, _, err = newsdesk(capsys, a, "sync", str(folder))
    assert code == 2 and "marker" in err
