"""publish/manifest and publish/trust: what the manifest lists, and the exporter's signature."""

import hashlib
import json
from pathlib import Path

import pytest

from newsdesk.identity.signing import Keyring, generate_key, public_key_text
from newsdesk.publish.export import FORMATS, export
from newsdesk.publish.manifest import MANIFEST_NAME, RENDERER, read_manifest
from newsdesk.publish.record import read_record, record_path
from newsdesk.publish.trust import ManifestSigner, signature_problem, untrusted
from newsdesk.publish.verify import verify_export
from tests.unit.publish.export_corpus import (
    CHIEF,
    EDNOTE,
    KEY,
    KEYRING,
    NOW,
    SIGNER,
    approve,
    corpus,
    make_story,
)
from tests.unit.publish.export_source import MemorySource


def load(root: Path) -> dict:
    return json.loads((root / MANIFEST_NAME).read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_fresh_export_verifies(tmp_path, fmt):
    stories = corpus()
    export(MemorySource(stories), fmt, tmp_path, NOW, signer=SIGNER)
    check = verify_export(tmp_path, KEYRING)
    assert check.problems == []
    assert check.ok and check.stories == len(stories) and check.signer == CHIEF
    assert check.files >= 2 * len(stories)  # each story's page(s) and its record
    assert set(check.approvers.values()) == {CHIEF}


def test_the_manifest_lists_each_story_with_hash_approval_record_and_files(tmp_path):
    story = approve(make_story(1))
    export(MemorySource([story]), "html", tmp_path, NOW, signer=SIGNER)
    manifest = load(tmp_path)
    assert manifest["format"] == "html" and manifest["manifest_version"] == 2
    assert manifest["renderer"] == RENDERER
    assert manifest["exported_at"] == "2026-03-10T12:00:00+00:00"
    [entry] = manifest["stories"]
    approval = story.approvals[-1]
    assert entry["id"] == story.id and entry["slug"] == "story-1" and entry["revision"] == 1
    assert entry["content_hash"] == story.content_hash
    assert entry["rendered_at"] == "2026-03-10T12:00:00+00:00"
    assert entry["approval"] == {
        "approver": CHIEF,
        "revision": 1,
        "content_hash": story.content_hash,
        "approved_at": "2026-03-10T11:00:00+00:00",
        "public_key": approval.public_key,
        "signature": approval.signature,
    }
    assert [f["path"] for f in entry["files"]] == [record_path(story.id),
                                                   "news/metro/story-1.html"]
    assert [f["path"] for f in manifest["shared_files"]] == ["index.html"]
    assert list(manifest)[-1] == "signature"
    assert manifest["signature"]["signer"] == CHIEF
    assert manifest["signature"]["public_key"] == KEYRING.keys[CHIEF]


def test_the_record_carries_the_approved_content_and_never_the_ednote(tmp_path):
    story = approve(make_story(1, tags=("zebra", "Apple")))  # the order typed, not sorted
    export(MemorySource([story]), "ninjs", tmp_path, NOW, signer=SIGNER)
    data = (tmp_path / record_path(story.id)).read_bytes()
    assert EDNOTE.encode() not in data
    record = read_record(data, "record")
    assert record.story.content() == story.content()
    assert record.story.content_hash == story.approvals[-1].content_hash
    assert record.story.tags == ("zebra", "Apple")
    assert record.story.approvals == story.approvals
    assert record.rendered_at == NOW and record.former == ()


def test_a_signed_manifest_is_the_canonical_text_plus_a_last_member(tmp_path):
    export(MemorySource([approve(make_story(1))]), "ninjs", tmp_path, NOW, signer=SIGNER)
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert signature_problem(manifest.data, manifest.signature, KEYRING) == (None, CHIEF)
    assert manifest.data.startswith(manifest.canonical()[:-2])
    # Any change to the text, even one JSON does not see, breaks the signature.
    for changed in (manifest.data.replace(b'"format"', b'"format" '),
                    manifest.data.replace(b"story-1", b"story-2"),
                    manifest.data + b"\n"):
        problem, _key = signature_problem(changed, manifest.signature, KEYRING)
        assert problem and problem.startswith("changed after it was signed"), changed[-40:]


@pytest.mark.parametrize(("keyring", "signer", "member", "expected"), [
    (KEYRING, None, "as written", None),
    (Keyring(), SIGNER, "as written", None),  # the exporter trusts its own key
    (Keyring(), None, "as written", "signed by Mei Lin with a key that is not in the keyring"),
    (Keyring({"Someone Else": public_key_text(KEY)}), None, "as written",
     "names Mei Lin as signer but was signed with the key trusted as Someone Else"),
    (KEYRING, None, None, "not signed: anybody could have written it"),
    (KEYRING, None, {"signer": CHIEF}, "changed after it was signed (its signature is not "
                                       "where Newsdesk writes it)"),
])
def test_who_is_trusted_to_sign(tmp_path, keyring, signer, member, expected):
    export(MemorySource([approve(make_story(1))]), "ninjs", tmp_path, NOW, signer=SIGNER)
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    member = manifest.signature if member == "as written" else member
    assert untrusted(manifest.data, member, keyring, signer) == expected


def test_a_manifest_signed_by_a_stranger_is_not_trusted(tmp_path):
    mallory = ManifestSigner("Mallory", generate_key())
    export(MemorySource([approve(make_story(1))]), "html", tmp_path, NOW, signer=mallory)
    check = verify_export(tmp_path, KEYRING)
    assert check.problems == ["manifest.json: signed by Mallory with a key that is not in "
                              "the keyring"]
    assert check.signer == ""


def test_an_unsigned_manifest_is_not_valid_and_is_not_built_on(tmp_path):
    story = approve(make_story(1))
    export(MemorySource([story]), "ninjs", tmp_path, NOW)  # the library, called without a signer
    assert verify_export(tmp_path, KEYRING).problems == [
        "manifest.json: not signed: anybody could have written it"]
    report = export(MemorySource([story]), "ninjs", tmp_path, NOW, signer=SIGNER)
    assert report.notes == ["manifest.json: not signed: anybody could have written it; every "
                            "story was rendered again and its files checked"]
    assert report.manifest_written and verify_export(tmp_path, KEYRING).ok


def test_an_untrusted_manifest_never_lends_its_entries_to_an_export(tmp_path):
    """A forged entry (the page's hash rewritten after a defacement) must not be kept by
    the next export and signed over: every story is rendered and written again."""
    story = approve(make_story(1))
    export(MemorySource([story]), "html", tmp_path, NOW, signer=SIGNER)
    page = tmp_path / "news/metro/story-1.html"
    original = page.read_bytes()
    page.write_bytes(original + b"<script>alert(1)</script>")
    manifest = load(tmp_path)
    for item in manifest["stories"][0]["files"]:
        if item["path"] == "news/metro/story-1.html":
            item["sha256"] = hashlib.sha256(page.read_bytes()).hexdigest()
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    report = export(MemorySource([story]), "html", tmp_path, NOW, signer=SIGNER)
    assert "news/metro/story-1.html" in report.written
    assert page.read_bytes() == original
    assert verify_export(tmp_path, KEYRING).ok


def test_missing_or_broken_manifest_is_a_problem_not_a_crash(tmp_path):
    assert verify_export(tmp_path, KEYRING).problems == [f"{tmp_path}: no {MANIFEST_NAME}"]
    (tmp_path / MANIFEST_NAME).write_text("[1, 2]")
    [problem] = verify_export(tmp_path, KEYRING).problems
    assert "not a Newsdesk manifest" in problem
