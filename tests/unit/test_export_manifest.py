"""publish/manifest: the receiving side verifies files and who approved each story."""

import json
from pathlib import Path

import pytest

from newsdesk.publish.export import FORMATS, export
from newsdesk.publish.manifest import MANIFEST_NAME, verify_manifest
from newsdesk.signing import Keyring, generate_key, public_key_text
from tests.unit.export_corpus import CHIEF, KEYRING, NOW, approve, corpus, make_story


def load(root: Path) -> dict:
    return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))


def save(root: Path, manifest: dict) -> None:
    (root / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fresh_export_verifies(tmp_path, fmt):
    stories = corpus()
    export(stories, fmt, tmp_path, NOW)
    check = verify_manifest(tmp_path, KEYRING)
    assert check.problems == []
    assert check.ok and check.stories == len(stories)
    assert check.files >= len(stories)
    assert set(check.approvers.values()) == {CHIEF}


def test_the_manifest_lists_each_story_with_hash_approval_and_files(tmp_path):
    story = approve(make_story(1))
    export([story], "html", tmp_path, NOW)
    manifest = load(tmp_path)
    assert manifest["format"] == "html" and manifest["manifest_version"] == 1
    assert manifest["exported_at"] == "2026-03-10T12:00:00+00:00"
    [entry] = manifest["stories"]
    approval = story.approvals[-1]
    assert entry["id"] == story.id and entry["slug"] == "story-1" and entry["revision"] == 1
    assert entry["content_hash"] == story.content_hash
    assert entry["approval"] == {
        "approver": CHIEF,
        "revision": 1,
        "content_hash": story.content_hash,
        "approved_at": "2026-03-10T11:00:00+00:00",
        "public_key": approval.public_key,
        "signature": approval.signature,
    }
    assert [f["path"] for f in entry["files"]] == ["news/metro/story-1.html"]
    assert [f["path"] for f in manifest["shared_files"]] == ["index.html"]


def test_a_changed_file_is_detected(tmp_path):
    export(corpus(), "hugo", tmp_path, NOW)
    page = tmp_path / "content/news/metro/story-1.md"
    page.write_text(page.read_text(encoding="utf-8").replace("6:15", "7:15"), encoding="utf-8")
    check = verify_manifest(tmp_path, KEYRING)
    assert not check.ok
    assert check.problems == ["content/news/metro/story-1.md: changed since export "
                              "(sha256 does not match)"]


def test_a_missing_file_is_detected(tmp_path):
    export(corpus(), "ninjs", tmp_path, NOW)
    victim = next(tmp_path.glob("*-*.json"))
    victim.unlink()
    assert verify_manifest(tmp_path, KEYRING).problems == [f"{victim.name}: missing"]


def test_a_forged_approval_is_detected(tmp_path):
    export([approve(make_story(1))], "ninjs", tmp_path, NOW)
    manifest = load(tmp_path)
    manifest["stories"][0]["approval"]["approved_at"] = "2026-03-10T11:30:00+00:00"
    save(tmp_path, manifest)
    [problem] = verify_manifest(tmp_path, KEYRING).problems
    assert "bad signature" in problem


def test_content_hash_swapped_for_another_is_detected(tmp_path):
    export([approve(make_story(1))], "ninjs", tmp_path, NOW)
    manifest = load(tmp_path)
    manifest["stories"][0]["content_hash"] = "sha256:" + "0" * 64
    save(tmp_path, manifest)
    [problem] = verify_manifest(tmp_path, KEYRING).problems
    assert "for other content" in problem


def test_an_untrusted_key_and_an_unsigned_approval_are_reported(tmp_path):
    export([approve(make_story(1))], "ninjs", tmp_path, NOW)
    stranger = Keyring({CHIEF: public_key_text(generate_key())})
    [problem] = verify_manifest(tmp_path, stranger).problems
    assert "not in the keyring" in problem
    manifest = load(tmp_path)
    manifest["stories"][0]["approval"]["signature"] = ""
    save(tmp_path, manifest)
    [problem] = verify_manifest(tmp_path, KEYRING).problems
    assert "not signed" in problem


def test_a_key_trusted_under_another_name_is_reported(tmp_path):
    export([approve(make_story(1))], "ninjs", tmp_path, NOW)
    renamed = Keyring({"Someone Else": KEYRING.keys[CHIEF]})
    [problem] = verify_manifest(tmp_path, renamed).problems
    assert "trusted as Someone Else" in problem


def test_missing_or_broken_manifest_is_a_problem_not_a_crash(tmp_path):
    assert verify_manifest(tmp_path, KEYRING).problems == [f"{tmp_path}: no {MANIFEST_NAME}"]
    (tmp_path / MANIFEST_NAME).write_text("[1, 2]")
    [problem] = verify_manifest(tmp_path, KEYRING).problems
    assert "not a Newsdesk manifest" in problem
