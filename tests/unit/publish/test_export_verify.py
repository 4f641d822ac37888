"""publish/verify: every change to an exported tree is found, named and explained (a table)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from newsdesk.identity.signing import generate_key
from newsdesk.publish import html
from newsdesk.publish.export import export
from newsdesk.publish.manifest import MANIFEST_NAME, parse_manifest
from newsdesk.publish.record import record_path
from newsdesk.publish.render import Job, story_files
from newsdesk.publish.trust import ManifestSigner
from newsdesk.publish.verify import verify_export
from tests.unit.publish.export_corpus import KEYRING, NOW, SIGNER, approve, make_story
from tests.unit.publish.export_source import MemorySource

PAGE = "news/metro/story-1.html"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_of(root: Path) -> dict:
    return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))


def rewrite(root: Path, doc: dict, signer: ManifestSigner | None = None) -> None:
    """What an attacker does to the manifest after a change: edit the JSON (and, with a
    key, sign it again)."""
    if signer is None:
        (root / MANIFEST_NAME).write_text(json.dumps(doc, indent=2), encoding="utf-8")
        return
    doc.pop("signature", None)
    manifest = parse_manifest(json.dumps(doc).encode())
    (root / MANIFEST_NAME).write_bytes(manifest.dumps(signer))


def set_hash(doc: dict, path: str, digest: str) -> None:
    for entry in doc["stories"]:
        for item in entry["files"]:
            if item["path"] == path:
                item["sha256"] = digest


def append_script(root: Path) -> None:
    with (root / PAGE).open("ab") as page:
        page.write(b"<script>alert(1)</script>\n")


def script_and_hash(root: Path) -> None:
    append_script(root)
    doc = manifest_of(root)
    set_hash(doc, PAGE, sha((root / PAGE).read_bytes()))
    rewrite(root, doc)


def script_hash_and_a_trusted_signature(root: Path) -> None:
    """Even a manifest signed again by a trusted key cannot make a page say what its
    approver did not approve."""
    append_script(root)
    doc = manifest_of(root)
    set_hash(doc, PAGE, sha((root / PAGE).read_bytes()))
    rewrite(root, doc, SIGNER)


def rewrite_the_approved_content_too(root: Path) -> None:
    """The record and the page both say the new text, the hashes match, a trusted key
    signs the manifest: the approval's content hash still gives it away."""
    doc = manifest_of(root)
    [entry] = [e for e in doc["stories"] if e["slug"] == "story-1"]
    record = json.loads((root / record_path(entry["id"])).read_text(encoding="utf-8"))
    record["content"]["body"] = "The minister resigned."
    data = (json.dumps(record, indent=2) + "\n").encode()
    (root / record_path(entry["id"])).write_bytes(data)
    set_hash(doc, record_path(entry["id"]), sha(data))
    rewrite(root, doc, SIGNER)


def remove_the_entry(root: Path) -> None:
    doc = manifest_of(root)
    doc["stories"] = [e for e in doc["stories"] if e["slug"] != "story-1"]
    rewrite(root, doc)


def sign_with_a_stranger_key(root: Path) -> None:
    append_script(root)
    doc = manifest_of(root)
    set_hash(doc, PAGE, sha((root / PAGE).read_bytes()))
    rewrite(root, doc, ManifestSigner("Mei Lin", generate_key()))


def link_a_page(root: Path) -> None:
    (root / PAGE).unlink()
    (root / PAGE).symlink_to(root / "news/metro/story-2.html")


def debris(root: Path) -> None:
    (root / ".newsdesk/tmp").mkdir(parents=True)
    (root / ".newsdesk/tmp/.newsdesk-tmp-x-1-story-1.html").write_bytes(b"<p>draft</p>")


ATTACKS: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "a page changed": (append_script, [
        f"{PAGE} (story story-1): changed since export (sha256 does not match the manifest)",
    ]),
    "a page changed and its hash in the manifest": (script_and_hash, [
        "manifest.json: changed after it was signed (its signature is not where Newsdesk "
        "writes it)",
        f"{PAGE} (story story-1): not what Newsdesk renders from the approved content",
    ]),
    "a page changed, manifest signed again by a trusted key": (
        script_hash_and_a_trusted_signature,
        [f"{PAGE} (story story-1): not what Newsdesk renders from the approved content"],
    ),
    "the approved content rewritten with its page": (rewrite_the_approved_content_too, [
        "story-1 ({id}): the approved content in .newsdesk/approved/{id}.json does not hash "
        "to {hash}, the content the approval covers",
    ]),
    "a manifest signed with a key nobody trusts": (sign_with_a_stranger_key, [
        "manifest.json: signed by Mei Lin with a key that is not in the keyring",
        f"{PAGE} (story story-1): not what Newsdesk renders from the approved content",
    ]),
    "a file added": (lambda root: (root / "extra.html").write_text("<script>x</script>"), [
        "extra.html: not listed in the manifest (added after the export)",
    ]),
    "a story's entry removed, its files left": (remove_the_entry, [
        "manifest.json: changed after it was signed (its signature is not where Newsdesk "
        "writes it)",
        ".newsdesk/approved/{id}.json: not listed in the manifest (added after the export)",
        f"{PAGE}: not listed in the manifest (added after the export)",
        "index.html (shared by the stories): not what Newsdesk renders from the approved "
        "content",
    ]),
    "a listed file deleted": (lambda root: (root / PAGE).unlink(), [
        f"{PAGE} (story story-1): missing",
    ]),
    "a page replaced by a link": (link_a_page, [
        f"{PAGE}: a symbolic link (an export writes none)",
        f"{PAGE} (story story-1): changed since export (sha256 does not match the manifest)",
    ]),
    "a killed export's temporary file": (debris, [
        ".newsdesk/tmp/.newsdesk-tmp-x-1-story-1.html: a temporary file (in .newsdesk/tmp) "
        "left by an export that did not finish: export again to clear it",
    ]),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_change_to_the_tree_is_found_and_explained(tmp_path, attack):
    stories = [approve(make_story(1)), approve(make_story(2))]
    export(MemorySource(stories), "html", tmp_path, NOW, signer=SIGNER)
    assert verify_export(tmp_path, KEYRING).ok
    tamper, expected = ATTACKS[attack]
    tamper(tmp_path)
    check = verify_export(tmp_path, KEYRING)
    story = stories[0]
    assert check.problems == [
        line.format(id=story.id, hash=story.content_hash) for line in expected
    ]
    assert not check.ok


def test_the_publishing_systems_own_files_can_be_ignored_but_never_newsdesks(tmp_path):
    export(MemorySource([approve(make_story(1))]), "hugo", tmp_path, NOW, signer=SIGNER)
    (tmp_path / "hugo.toml").write_text('title = "site"\n')
    (tmp_path / "themes/plain").mkdir(parents=True)
    (tmp_path / "themes/plain/theme.toml").write_text("")
    (tmp_path / ".newsdesk/approved/planted.json").write_text("{}")
    (tmp_path / "content/.newsdesk-tmp-x-1-old.md").write_text("old page")
    check = verify_export(tmp_path, KEYRING, ignore=["hugo.toml", "themes/", ".newsdesk/",
                                                      "content/*"])
    assert check.problems == [
        ".newsdesk/approved/planted.json: not listed in the manifest (added after the export)",
        "content/.newsdesk-tmp-x-1-old.md: a temporary file (beside its target) left by an "
        "export that did not finish: export again to clear it",
    ]
    assert not verify_export(tmp_path, KEYRING, ignore=["hugo.toml"]).ok


def test_what_verify_renders_is_what_the_export_wrote(tmp_path):
    """The check re-renders from the record: the same function the export runs."""
    story = approve(make_story(1))
    export(MemorySource([story]), "html", tmp_path, NOW, signer=SIGNER)
    files = story_files(html, Job(story, story.approvals[-1], now=NOW), NOW)
    for path, data in files.items():
        assert (tmp_path / path).read_bytes() == data
    assert os.listdir(tmp_path / ".newsdesk") == ["approved"]  # no temporary folder left
