"""Signed approvals and actions: Ed25519 signatures over canonical messages, and keyrings.

An approval's signed message is the canonical JSON (sorted keys, no spaces, UTF-8) of
{story_id, revision, content_hash, approver, approved_at}. Because content_hash covers
every content field, a valid signature on the latest approval plus a matching hash means
"this exact text was approved by that key". Keys travel as base64 of the raw 32 bytes.

A workflow action's message is the canonical JSON of every field of the action but the
signature and key, plus the story id and `"signed": "newsdesk workflow action"`, so that
no approval signature can pass for an action's or the other way round. New kinds of
action (correct, kill) need no new message: the action's name is one of its fields.

A keyring is a YAML (or JSON, which YAML reads) mapping of trusted names to public keys:

    "Xu Fang": "mC0m...="

`verify_story()` answers what the publishing side asks: is the approval on this story
valid, and whose trusted key made it?
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import yaml
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from newsdesk.domain.model import (
    ACTION_FIELDS,
    Approval,
    NewsdeskError,
    Story,
    WorkflowAction,
    format_datetime,
    key_fingerprint,
    voided_by,
)
from newsdesk.domain.workflow import ACTION_LABELS, ActionSigner, Signer, same_person

KEYRING_MAX_BYTES = 1_000_000


class SigningError(NewsdeskError):
    """A key or keyring that cannot be read or used."""


def approval_message(story_id: str, approval: Approval) -> bytes:
    """The exact bytes an approval signature covers."""
    payload = {
        "story_id": story_id,
        "revision": approval.revision,
        "content_hash": approval.content_hash,
        "approver": approval.approver,
        # The instant, not how a file happened to write it: a copy that shows the time
        # with another offset is the same approval.
        "approved_at": format_datetime(_utc(approval.approved_at)),
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


ACTION_DOMAIN = "newsdesk workflow action"


def action_message(story_id: str, action: WorkflowAction) -> bytes:
    """The exact bytes an action's signature covers."""
    payload: dict[str, object] = {
        name: getattr(action, name)
        for name in ACTION_FIELDS
        if name not in ("public_key", "signature")
    }
    payload.update(signed=ACTION_DOMAIN, story_id=story_id, at=format_datetime(_utc(action.at)))
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def generate_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Base64 of the raw 32-byte public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key from its base64 text; SigningError if it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except (binascii.Error, ValueError):
        shown = text.strip()[:20] + ("…" if len(text.strip()) > 20 else "")
        raise SigningError(
            f"{shown!r} is not an Ed25519 public key (expected base64 of 32 bytes)"
        ) from None


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key_pem(data: bytes, source: str = "key file") -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"{source}: not a readable private key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"{source}: not an Ed25519 private key")
    return key


def sign_approval(story_id: str, approval: Approval, key: Ed25519PrivateKey) -> Approval:
    """The approval with public_key and signature filled in."""
    signature = key.sign(approval_message(story_id, approval))
    return replace(
        approval,
        public_key=public_key_text(key),
        signature=base64.b64encode(signature).decode("ascii"),
    )


def signer_for(key: Ed25519PrivateKey) -> Signer:
    """A workflow.apply `sign` callback that signs with this key."""
    return lambda story_id, approval: sign_approval(story_id, approval, key)


def sign_action(story_id: str, action: WorkflowAction, key: Ed25519PrivateKey) -> WorkflowAction:
    """The action with public_key and signature filled in."""
    signature = key.sign(action_message(story_id, action))
    return replace(
        action,
        public_key=public_key_text(key),
        signature=base64.b64encode(signature).decode("ascii"),
    )


def action_signer_for(key: Ed25519PrivateKey) -> ActionSigner:
    """A workflow.apply `sign_action` callback that signs with this key."""
    return lambda story_id, action: sign_action(story_id, action, key)


def signature_valid(story_id: str, approval: Approval) -> bool:
    """Whether the approval's signature was made by its own public_key over its fields."""
    return _verifies(approval.public_key, approval.signature, approval_message, story_id, approval)


def action_signature_valid(story_id: str, action: WorkflowAction) -> bool:
    """Whether the action's signature was made by its own public_key over its fields."""
    return _verifies(action.public_key, action.signature, action_message, story_id, action)


def _verifies(key: str, signature: str, message: object, story_id: str, record: object) -> bool:
    if not signature or not key:
        return False
    try:
        public = load_public_key(key)
        raw = base64.b64decode(signature, validate=True)
        public.verify(raw, message(story_id, record))  # type: ignore[operator]
    except (SigningError, binascii.Error, ValueError, InvalidSignature):
        return False
    return True


@dataclass
class Keyring:
    """Trusted names -> base64 public keys."""

    keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, source: str = "keyring") -> Keyring:
        try:
            data = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            raise SigningError(f"{source}: not YAML or JSON ({exc})") from None
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise SigningError(f"{source}: expected a mapping of names to public keys")
        keyring = cls()
        for name, key in data.items():
            if not isinstance(name, str) or not isinstance(key, str) or not name.strip():
                raise SigningError(f"{source}: entry {name!r} must be a name and a base64 key")
            try:
                load_public_key(key)
            except SigningError as exc:
                raise SigningError(f"{source}: {name}: {exc}") from None
            keyring.keys[" ".join(name.split())] = key.strip()
        return keyring

    @classmethod
    def load(cls, path: Path) -> Keyring:
        """Read a keyring file; a missing file is an empty keyring."""
        try:
            if path.stat().st_size > KEYRING_MAX_BYTES:
                raise SigningError(f"{path}: too large for a keyring")
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except (OSError, UnicodeDecodeError) as exc:
            raise SigningError(f"{path}: cannot read keyring ({exc})") from None
        return cls.parse(text, str(path))

    def dumps(self) -> str:
        """YAML where every string is JSON-quoted, so names like `NO` stay text."""
        lines = [
            f"{json.dumps(name, ensure_ascii=False)}: {json.dumps(key)}"
            for name, key in sorted(self.keys.items(), key=lambda item: item[0].casefold())
        ]
        return "".join(line + "\n" for line in lines)

    def add(self, name: str, key: str) -> None:
        load_public_key(key)
        name = " ".join(name.split())
        if not name:
            raise SigningError("a trusted key needs a name")
        self.keys[name] = key.strip()

    def name_for(self, key: str) -> str | None:
        key = key.strip()
        return next((name for name, known in self.keys.items() if known == key), None)

    def merged(self, other: Keyring) -> Keyring:
        return Keyring({**self.keys, **other.keys})


@dataclass(frozen=True)
class VerifyResult:
    valid: bool
    reason: str
    approval: Approval | None = None
    key_name: str = ""

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"valid": self.valid, "reason": self.reason}
        if self.approval is not None:
            data["approver"] = self.approval.approver
            data["revision"] = self.approval.revision
            data["approved_at"] = format_datetime(self.approval.approved_at)
            data["key_name"] = self.key_name
            data["key_id"] = key_fingerprint(self.approval.public_key)
        return data


def verify_story(story: Story, keyring: Keyring) -> VerifyResult:
    """Whether the story's latest approval is valid for its current content and trusted."""
    if not story.approvals:
        return VerifyResult(False, f"'{story.slug}' has no approval")
    approval = story.approvals[-1]
    who = f"{approval.approver}'s approval of revision {approval.revision}"
    if approval.content_hash != story.content_hash:
        if story.revision > approval.revision:
            reason = (
                f"approval voided: {who} does not match the content of revision "
                f"{story.revision} (edited since); it must be approved again"
            )
        else:
            reason = f"tampered content: the text does not match the hash {who} signed"
        return VerifyResult(False, reason, approval)
    voider = voided_by(approval, story.actions)
    if voider is not None:
        verb = ACTION_LABELS.get(voider.action, voider.action).lower()
        return VerifyResult(
            False,
            f"approval voided: {who} was followed by {verb} by {voider.actor} "
            f"({voider.key_id or 'unsigned'}) at {format_datetime(voider.at)}; "
            "it must be approved again",
            approval,
        )
    if not approval.signature:
        return VerifyResult(False, f"{who} is not signed", approval)
    key_name = keyring.name_for(approval.public_key)
    if key_name is None:
        return VerifyResult(
            False,
            f"unknown key: {who} was signed with a key that is not in the keyring "
            f"({approval.public_key[:12]}…)",
            approval,
        )
    if not signature_valid(story.id, approval):
        return VerifyResult(
            False,
            f"bad signature: {who} was altered after signing or not signed by this key",
            approval,
            key_name,
        )
    if not same_person(key_name, approval.approver):
        return VerifyResult(
            False,
            f"the approval names {approval.approver} but was signed with the key "
            f"trusted as {key_name}",
            approval,
            key_name,
        )
    return VerifyResult(
        True, f"valid: {who}, signed by trusted key '{key_name}'", approval, key_name
    )


@dataclass(frozen=True)
class ActionCheck:
    """One signed workflow action of a story as `newsdesk verify` reports it."""

    action: WorkflowAction
    signed: bool  # the signature verifies against the action's own key
    key_name: str  # the keyring's name for that key, "" if it is not there

    @property
    def trusted(self) -> bool:
        return self.signed and bool(self.key_name)

    def line(self) -> str:
        action = self.action
        who = f"{action.actor} ({action.key_id or 'no key'})"
        state = (
            "bad signature" if not self.signed
            else f"signed, trusted as {self.key_name}" if self.key_name
            else "signed by a key not in the keyring"
        )
        moved = f"{action.from_status} -> {action.to_status}"
        return f"{format_datetime(action.at)}  {action.action:<15} {who}  {moved}  [{state}]"

    def as_dict(self) -> dict[str, object]:
        return {
            **self.action.as_dict(),
            "key_id": self.action.key_id,
            "signature_valid": self.signed,
            "key_name": self.key_name,
        }


def check_actions(story: Story, keyring: Keyring) -> list[ActionCheck]:
    """Every signed workflow action of the story, with its signature and key checked."""
    return [
        ActionCheck(
            action,
            action_signature_valid(story.id, action),
            keyring.name_for(action.public_key) or "",
        )
        for action in story.actions
    ]

