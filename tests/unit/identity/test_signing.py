"""Signed approvals: valid, tampered content, tampered signature, unknown key, keyrings."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsdesk.domain.model import Approval, Story
from newsdesk.domain.workflow import apply
from newsdesk.identity import signing
from newsdesk.identity.signing import Keyring, SigningError, verify_story

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Chief:
    name = "Xu Fang"
    role = "desk_chief"


@pytest.fixture(scope="module")
def key():
    return signing.generate_key()


@pytest.fixture
def approved(key) -> Story:
    story = Story(
        slug="night-market",
        headline="Night market reopens on the river bank",
        body="Stalls are back.\n\nSo are the crowds.",
        revision=2,
        modified_by="Ada Writer",
        status="in_review",
    )
    return apply(
        story, "approve", Chief(), now=NOW, sign=signing.signer_for(key),
        sign_action=signing.action_signer_for(key),
    ).story


@pytest.fixture
def keyring(key) -> Keyring:
    return Keyring({"Xu Fang": signing.public_key_text(key)})


def test_message_is_canonical_json() -> None:
    approval = Approval("Xu Fang", 2, "sha256:ab", NOW)
    message = signing.approval_message("id-1", approval)
    assert message == (
        b'{"approved_at":"2026-03-02T09:30:00+00:00","approver":"Xu Fang",'
        b'"content_hash":"sha256:ab","revision":2,"story_id":"id-1"}'
    )


def test_the_same_instant_in_another_offset_still_verifies(approved: Story, keyring) -> None:
    approval = approved.approvals[-1]
    shanghai = timezone(timedelta(hours=8))
    shifted = replace(approval, approved_at=approval.approved_at.astimezone(shanghai))
    assert verify_story(approved.replace(approvals=(shifted,)), keyring).valid
    later = replace(approval, approved_at=approval.approved_at + timedelta(seconds=1))
    assert not verify_story(approved.replace(approvals=(later,)), keyring).valid


def test_valid_approval(approved: Story, keyring: Keyring) -> None:
    result = verify_story(approved, keyring)
    assert result.valid, result.reason
    assert result.key_name == "Xu Fang"
    assert "revision 2" in result.reason
    assert result.as_dict()["valid"] is True


def test_tampered_content_at_the_same_revision(approved: Story, keyring: Keyring) -> None:
    tampered = approved.replace(body=approved.body.replace("crowds", "rats"))
    result = verify_story(tampered, keyring)
    assert not result.valid
    assert result.reason.startswith("tampered content")


def test_tampered_hash_and_content_together(approved: Story, keyring: Keyring) -> None:
    tampered = approved.replace(headline="Night market closes for good")
    forged = replace(approved.approvals[-1], content_hash=tampered.content_hash)
    result = verify_story(tampered.replace(approvals=(forged,)), keyring)
    assert not result.valid
    assert result.reason.startswith("bad signature")


def test_edit_voids(approved: Story, keyring: Keyring) -> None:
    edited = approved.replace(deck="New deck", revision=3)
    result = verify_story(edited, keyring)
    assert not result.valid
    assert result.reason.startswith("approval voided")
    assert "revision 3" in result.reason


def test_tampered_signature(approved: Story, keyring: Keyring) -> None:
    approval = approved.approvals[-1]
    raw = bytearray(base64.b64decode(approval.signature))
    raw[0] ^= 0x01
    bad = replace(approval, signature=base64.b64encode(bytes(raw)).decode())
    result = verify_story(approved.replace(approvals=(bad,)), keyring)
    assert not result.valid
    assert result.reason.startswith("bad signature")


@pytest.mark.parametrize("signature", ["not base64 at all!", "", "AAAA"])
def test_garbage_signature(approved: Story, keyring: Keyring, signature: str) -> None:
    bad = replace(approved.approvals[-1], signature=signature)
    assert not verify_story(approved.replace(approvals=(bad,)), keyring).valid


def test_approver_name_changed_after_signing(approved: Story, keyring: Keyring) -> None:
    renamed = replace(approved.approvals[-1], approver="Li Wei")
    result = verify_story(approved.replace(approvals=(renamed,)), keyring)
    assert not result.valid
    assert result.reason.startswith("bad signature")


def test_unknown_key(approved: Story) -> None:
    stranger = Keyring({"Xu Fang": signing.public_key_text(signing.generate_key())})
    result = verify_story(approved, stranger)
    assert not result.valid
    assert result.reason.startswith("unknown key")
    assert not verify_story(approved, Keyring()).valid


def test_key_trusted_under_another_name(approved: Story, key) -> None:
    result = verify_story(approved, Keyring({"Li Wei": signing.public_key_text(key)}))
    assert not result.valid
    assert "trusted as Li Wei" in result.reason


def test_no_approval_and_unsigned_approval(approved: Story, keyring: Keyring) -> None:
    assert verify_story(approved.replace(approvals=()), keyring).reason.endswith("has no approval")
    unsigned = replace(approved.approvals[-1], signature="", public_key="")
    assert "not signed" in verify_story(approved.replace(approvals=(unsigned,)), keyring).reason


def test_only_the_latest_approval_counts(approved: Story, keyring: Keyring) -> None:
    edited = approved.replace(body="Entirely new text.", revision=3)
    assert not verify_story(edited, keyring).valid
    older = approved.approvals[-1]
    assert verify_story(approved.replace(approvals=(older, older)), keyring).valid


def test_private_key_pem_round_trip(key) -> None:
    again = signing.load_private_key_pem(signing.private_key_pem(key))
    assert signing.public_key_text(again) == signing.public_key_text(key)
    with pytest.raises(SigningError):
        signing.load_private_key_pem(b"-----BEGIN PRIVATE KEY-----\nnope\n")


def test_keyring_reads_yaml_and_json(key) -> None:
    text = signing.public_key_text(key)
    assert Keyring.parse(f'"Xu  Fang": "{text}"\n').keys == {"Xu Fang": text}
    assert Keyring.parse(json.dumps({"Xu Fang": text})).keys == {"Xu Fang": text}
    assert Keyring.parse("").keys == {}


@pytest.mark.parametrize(
    "text",
    ["- a list\n", '"Xu Fang": 12\n', '"Xu Fang": "c2hvcnQ="\n', "key: [unclosed\n"],
)
def test_keyring_rejects_bad_files(text: str) -> None:
    with pytest.raises(SigningError):
        Keyring.parse(text, "trusted.yaml")


def test_keyring_dump_keeps_odd_names_as_text(key) -> None:
    keyring = Keyring({"NO": signing.public_key_text(key), "Ōno Yui": signing.public_key_text(key)})
    assert Keyring.parse(keyring.dumps()).keys == keyring.keys


def test_keyring_file(tmp_path, key) -> None:
    assert Keyring.load(tmp_path / "missing.yaml").keys == {}
    path = tmp_path / "keyring.yaml"
    path.write_text(Keyring({"Xu Fang": signing.public_key_text(key)}).dumps(), encoding="utf-8")
    assert Keyring.load(path).name_for(signing.public_key_text(key)) == "Xu Fang"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SigningError, match="cannot read keyring"):
        Keyring.load(path)


def test_bad_public_key_text() -> None:
    with pytest.raises(SigningError, match="not an Ed25519 public key"):
        signing.load_public_key("hello")


def test_an_approval_survives_the_markdown_file(approved: Story, keyring: Keyring) -> None:
    from newsdesk.formats.markdown import dumps, loads

    story = approved.replace(slug="night-market", revision=2)
    again = loads(dumps(story))
    assert again.approvals == story.approvals
    assert verify_story(again, keyring).valid
    edited = loads(dumps(story).replace("So are the crowds.", "So are the rats."))
    assert verify_story(edited, keyring).reason.startswith("tampered content")


# Signed workflow actions


def signed_spike(key, story: Story) -> Story:
    return apply(
        story.replace(status="published"), "spike", Chief(), now=NOW, note="legal",
        sign_action=signing.action_signer_for(key),
    ).story


def test_an_action_message_covers_every_field_and_the_story(approved: Story, key) -> None:
    action = signed_spike(key, approved).actions[-1]
    message = json.loads(signing.action_message(approved.id, action))
    assert message == {
        "action": "spike", "actor": "Xu Fang", "at": "2026-03-02T09:30:00+00:00",
        "content_hash": approved.content_hash, "from_status": "published", "note": "legal",
        "revision": 2, "signed": "newsdesk workflow action", "story_id": approved.id,
        "to_status": "spiked",
    }
    assert signing.action_signature_valid(approved.id, action)
    for change in ({"to_status": "published"}, {"note": ""}, {"actor": "Li Wei"},
                   {"at": NOW + timedelta(seconds=1)}, {"from_status": "approved"},
                   {"revision": 3}, {"content_hash": "sha256:00"}):
        assert not signing.action_signature_valid(approved.id, replace(action, **change))
    assert not signing.action_signature_valid("another-story", action)


def test_an_approval_signature_does_not_pass_for_an_action(approved: Story) -> None:
    approval = approved.approvals[-1]
    action = approved.actions[-1]
    assert action.action == "approve" and action.records(approval)
    borrowed = replace(action, signature=approval.signature)
    assert not signing.action_signature_valid(approved.id, borrowed)


def test_verify_reports_each_action_and_a_spike_voids_the_approval(
    approved: Story, key, keyring: Keyring
) -> None:
    spiked = signed_spike(key, approved)
    result = verify_story(spiked, keyring)
    assert not result.valid
    assert result.reason.startswith("approval voided: Xu Fang's approval of revision 2 was "
                                    "followed by spike by Xu Fang")
    checks = signing.check_actions(spiked, keyring)
    assert [(c.action.action, c.signed, c.key_name) for c in checks] == [
        ("approve", True, "Xu Fang"), ("spike", True, "Xu Fang"),
    ]
    forged = spiked.replace(actions=(replace(spiked.actions[-1], note="changed"),))
    (check,) = signing.check_actions(forged, keyring)
    assert not check.signed and "bad signature" in check.line()
    assert "not in the keyring" in signing.check_actions(spiked, Keyring())[0].line()
