"""End to end: a desk chief exports approved copy with `newsdesk export`; receivers verify."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "ninjs-schema_2.2.json"

READY = """---
headline: "Night ferries return to the east pier"
slug: "night-ferries"
section: "News / Metro"
byline: "By Ada Writer"
dateline:
  place: "Harbour City"
  date: "2026-03-09"
tags: ["transport", "NO"]
ednote: "SECRET-DESK-NOTE do not print"
---
Boats leave every twenty minutes from the east pier after ten.

<script>alert("x")</script> stays text.
"""

DRAFT = """---
headline: "Unfinished draft about bridge tolls"
slug: "bridge-tolls"
section: "News / Metro"
---
Not ready yet.
"""


def set_up_desk(as_, tmp_path: Path):
    """The chief approved one story; another is still a draft. `as_(folder)` gives a
    runner of `newsdesk` with that person's config folder."""
    writer, chief = as_("writer"), as_("chief")
    writer("profile", "--name", "Ada Writer", "--role", "editor")
    chief("profile", "--name", "Xu Fang", "--role", "desk_chief")
    for name, text in (("ready.md", READY), ("draft.md", DRAFT)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    writer("import", str(tmp_path / "ready.md"), str(tmp_path / "draft.md"))
    writer("submit", "night-ferries")
    chief("approve", "night-ferries")
    return writer, chief


@pytest.fixture
def subprocess_desk(newsdesk, tmp_path):
    """Each command a real `newsdesk` process."""

    def as_(folder: str):
        env = {"NEWSDESK_CONFIG_DIR": str(tmp_path / folder)}
        return lambda *args, check=0: newsdesk(*args, env=env, check=check)

    return set_up_desk(as_, tmp_path)


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.returncode, self.stdout, self.stderr = code, out, err


@pytest.fixture
def desk_with_approved_story(monkeypatch, tmp_path, capsys):
    """The same commands through cli.main in this process (no interpreter start-up each)."""
    from newsdesk.cli import main

    def as_(folder: str):
        def run(*args: str, check: int | None = 0) -> Result:
            monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(tmp_path / folder))
            try:
                code = main(["--db", str(tmp_path / "desk.db"), *args])
            except SystemExit as exc:  # argparse refusing arguments
                code = int(exc.code or 0)
            captured = capsys.readouterr()
            assert check is None or code == check, (code, captured.out, captured.err)
            return Result(code, captured.out, captured.err)

        return run

    return set_up_desk(as_, tmp_path)


def files_of(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_export_marks_published_is_incremental_and_verifies(subprocess_desk, tmp_path):
    writer, chief = subprocess_desk
    out = tmp_path / "site"
    first = chief("export", "--format", "hugo", "--out", str(out))
    assert "1 story in" in first.stdout and "1 marked published" in first.stdout
    page = (out / "content/news/metro/night-ferries.md").read_text(encoding="utf-8")
    assert 'title: "Night ferries return to the east pier"' in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "SECRET-DESK-NOTE" not in page
    assert not (out / "content/news/metro/bridge-tolls.md").exists()
    story = json.loads(chief("history", "night-ferries", "--json").stdout)
    assert story["status"] == "published"
    publish = story["events"][-1]
    assert (publish["action"], publish["actor"]) == ("publish", "Xu Fang")
    assert "exported (hugo)" in publish["note"]

    before = files_of(out)
    again = chief("export", "--format", "hugo", "--out", str(out))
    assert "0 changed" in again.stdout and "0 files written" in again.stdout
    assert files_of(out) == before

    valid = writer("verify-export", str(out), "--keyring", str(_chief_key(chief, tmp_path)))
    assert "valid: 1 stories" in valid.stdout
    (out / "content/news/metro/night-ferries.md").write_text("defaced", encoding="utf-8")
    broken = chief("verify-export", str(out), check=1)
    assert "night-ferries.md (story night-ferries): changed since export" in broken.stdout


def test_only_a_desk_chief_exports_and_receivers_need_the_key(desk_with_approved_story,
                                                               tmp_path):
    writer, chief = desk_with_approved_story
    out = tmp_path / "site"
    refused = writer("export", "--format", "hugo", "--out", str(out), check=2)
    assert "only a desk chief can export" in refused.stderr
    assert not out.exists()
    assert json.loads(chief("history", "night-ferries", "--json").stdout)["status"] == "approved"
    chief("export", "--format", "hugo", "--out", str(out))
    untrusted = writer("verify-export", str(out), "--json", check=1)
    assert "not in the keyring" in json.dumps(json.loads(untrusted.stdout)["problems"])
    assert "valid: 1 stories" in chief("verify-export", str(out)).stdout  # own key


def _chief_key(chief, tmp_path: Path) -> Path:
    path = tmp_path / "xu-fang.key"
    path.write_text(chief("profile", "--export-key").stdout, encoding="utf-8")
    return path


def test_ninjs_export_is_valid_json_per_story(desk_with_approved_story, tmp_path):
    _writer, chief = desk_with_approved_story
    out = tmp_path / "wire"
    report = json.loads(chief("export", "--format", "ninjs", "--out", str(out), "--json").stdout)
    assert [e["slug"] for e in report["exported"]] == ["night-ferries"]
    [path] = [out / f for f in report["exported"][0]["files"]]
    doc = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [e.message for e in validator.iter_errors(doc)] == []
    assert doc["pubstatus"] == "usable" and doc["located"] == "Harbour City"
    assert "SECRET-DESK-NOTE" not in path.read_text(encoding="utf-8")
    # The story is published now; a second format elsewhere still exports it.
    html = json.loads(chief("export", "--format", "html", "--out", str(tmp_path / "h"),
                            "--json").stdout)
    assert html["published"] == [] and len(html["exported"]) == 1


def test_bad_folders_and_formats_are_clear_errors(desk_with_approved_story, tmp_path):
    _writer, chief = desk_with_approved_story
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    result = chief("export", "--format", "html", "--out", str(a_file), check=2)
    assert "is a file, not a folder" in result.stderr
    assert "invalid choice" in chief("export", "--format", "pdf", "--out", "x", check=2).stderr
    out = tmp_path / "one"
    chief("export", "--format", "html", "--out", str(out))
    mixed = chief("export", "--format", "ninjs", "--out", str(out), check=2)
    assert "holds a html export" in mixed.stderr
    missing = chief("verify-export", str(out), "--keyring", str(tmp_path / "nope.yaml"), check=2)
    assert "no such keyring file" in missing.stderr
