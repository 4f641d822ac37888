"""Whoever can write to an export tree cannot change it unseen (issue 16, item 3).

The desk chief exports; the attacker edits the tree with ordinary file tools (a page, the
manifest, a file of their own); the receiver runs `newsdesk verify-export` with the
chief's public key, in another process, and must get exit 1 with a line per problem
that names the file or story and says why. The desk and the receiver are separate
profiles: the receiver has no key of its own, only the keyring the chief handed over.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import newsdesk_executable

STORIES = {
    "ferries": '---\nheadline: "Night ferries return"\nslug: "night-ferries"\n'
               'section: "News / Metro"\n---\nBoats leave every twenty minutes.\n',
    "bridge": '---\nheadline: "Bridge reopens"\nslug: "bridge-reopens"\n'
              'section: "News / Metro"\n---\nThe bridge reopens on Monday.\n',
}
PAGE = "news/metro/night-ferries.html"


def run(config: Path, db: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
           "NEWSDESK_CONFIG_DIR": str(config)}
    result = subprocess.run([*newsdesk_executable(), "--db", str(db), *args],
                            capture_output=True, text=True, env=env, timeout=120)
    assert check is None or result.returncode == check, (args, result.stdout, result.stderr)
    return result


@pytest.fixture
def exported(tmp_path):
    """An html tree of two approved stories, and the receiver's verify-export."""
    db = tmp_path / "desk.db"
    writer, chief = tmp_path / "writer", tmp_path / "chief"
    run(writer, db, "profile", "--name", "Ada Writer", "--role", "editor")
    run(chief, db, "profile", "--name", "Xu Fang", "--role", "desk_chief")
    for name, text in STORIES.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    run(writer, db, "import", *(str(tmp_path / f"{name}.md") for name in STORIES))
    for slug in ("night-ferries", "bridge-reopens"):
        run(writer, db, "submit", slug)
        run(chief, db, "approve", slug)
    site = tmp_path / "site"
    run(chief, db, "export", "--format", "html", "--out", str(site))
    keyring = tmp_path / "xu-fang.key"
    keyring.write_text(run(chief, db, "profile", "--export-key").stdout, encoding="utf-8")

    def verify(*extra: str, check: int) -> list[str]:
        result = run(tmp_path / "receiver", tmp_path / "receiver.db", "verify-export",
                     str(site), "--keyring", str(keyring), *extra, check=check)
        return [line.removeprefix("problem: ") for line in result.stdout.splitlines()
                if line.startswith("problem: ")]

    assert verify(check=0) == []
    return site, verify


def edit_manifest(site: Path, change) -> None:
    """The attacker's edit: load the JSON, change it, write it back."""
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    (site / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def test_a_script_added_to_a_page_with_its_hash_rewritten_and_an_extra_file(exported):
    site, verify = exported
    with (site / PAGE).open("a", encoding="utf-8") as page:
        page.write('<script>document.location="https://evil.example"</script>\n')
    digest = hashlib.sha256((site / PAGE).read_bytes()).hexdigest()

    def rewrite_hash(manifest):
        for entry in manifest["stories"]:
            for item in entry["files"]:
                if item["path"] == PAGE:
                    item["sha256"] = digest

    edit_manifest(site, rewrite_hash)
    (site / "extra.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    problems = verify(check=1)
    assert problems == [
        "manifest.json: changed after it was signed (its signature is not where Newsdesk "
        "writes it)",
        "extra.html: not listed in the manifest (added after the export)",
        f"{PAGE} (story night-ferries): not what Newsdesk renders from the approved content",
    ]


def test_a_story_removed_from_the_manifest_while_its_page_stays(exported):
    site, verify = exported
    edit_manifest(site, lambda m: m.update(
        stories=[e for e in m["stories"] if e["slug"] != "night-ferries"]))
    problems = verify(check=1)
    assert problems[0].startswith("manifest.json: changed after it was signed")
    assert f"{PAGE}: not listed in the manifest (added after the export)" in problems
    assert any(p.startswith(".newsdesk/approved/") and "not listed" in p for p in problems)


def test_a_page_and_its_approved_content_rewritten_together(exported):
    """The attacker changes what the story says everywhere it is written down: the page,
    the record of approved content and both hashes. The approval's signed content hash
    no longer matches."""
    site, verify = exported
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    [entry] = [e for e in manifest["stories"] if e["slug"] == "night-ferries"]
    record_file = site / ".newsdesk" / "approved" / f"{entry['id']}.json"
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["content"]["body"] = "Boats are cancelled until further notice.\n"
    record_file.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    page = (site / PAGE).read_text(encoding="utf-8")
    (site / PAGE).write_text(page.replace("Boats leave every twenty minutes.",
                                          "Boats are cancelled until further notice."),
                             encoding="utf-8")
    for item in entry["files"]:
        item["sha256"] = hashlib.sha256((site / item["path"]).read_bytes()).hexdigest()
    (site / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    problems = verify(check=1)
    assert problems[0].startswith("manifest.json: changed after it was signed")
    assert problems[1] == (
        f"night-ferries ({entry['id']}): the approved content in "
        f".newsdesk/approved/{entry['id']}.json does not hash to {entry['content_hash']}, "
        "the content the approval covers")


def test_the_publishing_systems_own_files_are_ignored_only_when_asked(exported):
    site, verify = exported
    (site / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    assert verify(check=1) == ["robots.txt: not listed in the manifest (added after the "
                               "export)"]
    assert verify("--ignore", "robots.txt", check=0) == []
