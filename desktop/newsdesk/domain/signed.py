"""The signed records a story carries: approvals and workflow actions, the names of
keys (fingerprints), and which approval still lets a story go out."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.domain.times import format_datetime, parse_datetime

# Where a name and key recorded with a revision or an event come from.
ORIGIN_HERE = ""  # this laptop's profile: its own key
ORIGIN_FILE = "file"  # what a synced file says (modified_by, modified_key): a claim
ORIGIN_SIGNED = "signed"  # a signed action that verified on arrival
_ORIGIN_WORDS = {ORIGIN_FILE: "claimed by a synced file", ORIGIN_SIGNED: "signed"}


def person_label(name: str, key: str, origin: str = ORIGIN_HERE) -> str:
    """'Xu Fang (1a2b3c4d5e6f7a8b)': a name with its key's fingerprint (the key is who
    they are, the name a label), and where the pair comes from unless from here."""
    notes = [key] if key else []
    if origin in _ORIGIN_WORDS:
        notes.append(_ORIGIN_WORDS[origin])
    label = name or "-"
    return f"{label} ({', '.join(notes)})" if notes else label


@dataclass(frozen=True)
class Approval:
    """Who approved which revision, when, and the content hash they approved (signed)."""

    approver: str
    revision: int
    content_hash: str
    approved_at: datetime
    public_key: str = ""
    signature: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain JSON values, as the store, the --json output and the manifest hold them."""
        return {
            "approver": self.approver,
            "revision": self.revision,
            "content_hash": self.content_hash,
            "approved_at": format_datetime(self.approved_at),
            "public_key": self.public_key,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Approval:
        """The inverse of as_dict; KeyError or ValueError when a value is missing or bad."""
        return cls(
            approver=str(data["approver"]),
            revision=int(data["revision"]),  # type: ignore[call-overload]
            content_hash=str(data["content_hash"]),
            approved_at=parse_datetime(str(data["approved_at"])),
            public_key=str(data.get("public_key", "")),
            signature=str(data.get("signature", "")),
        )


# The fields of a signed workflow action, in the order files write them.
ACTION_FIELDS: tuple[str, ...] = (
    "action", "actor", "public_key", "at", "revision", "content_hash",
    "from_status", "to_status", "note", "signature",
)
# Actions after which an earlier approval no longer lets the story go out.
VOIDING_ACTIONS = frozenset({"request_changes", "spike", "restore"})


@dataclass(frozen=True)
class WorkflowAction:
    """One signed step of the workflow: who (name and key) did what, when, to which
    revision and content, from which status to which. Every transition is one (an
    approval is recorded as an `approve` action too); it travels with the story and is
    checked on arrival (newsdesk.domain.trust). `at` keeps microseconds, so one laptop's steps
    keep their order even within a second."""

    action: str
    actor: str
    public_key: str
    at: datetime
    revision: int
    content_hash: str
    from_status: str
    to_status: str
    note: str = ""
    signature: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain JSON values, as the store and the --json output hold them."""
        return {**dataclasses.asdict(self), "at": format_datetime(self.at)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> WorkflowAction:
        """The inverse of as_dict; KeyError or ValueError when a value is missing or bad."""
        return cls(
            **{name: str(data[name]) for name in ("action", "actor", "public_key")},
            at=parse_datetime(str(data["at"])),
            revision=int(data["revision"]),  # type: ignore[call-overload]
            **{name: str(data.get(name, "")) for name in ACTION_FIELDS[5:]},
        )

    @property
    def key_id(self) -> str:
        return key_fingerprint(self.public_key)

    def records(self, approval: Approval) -> bool:
        """True when this is the approve action made with `approval`."""
        return (
            self.action == "approve"
            and self.public_key == approval.public_key
            and self.content_hash == approval.content_hash
            and self.revision == approval.revision
            and self.at.replace(microsecond=0) == approval.approved_at
        )


def key_fingerprint(public_key: str) -> str:
    """16 hex digits naming a public key: the start of the sha256 of its raw bytes."""
    if not public_key:
        return ""
    try:
        raw = base64.b64decode(public_key.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = public_key.encode("utf-8")  # not a key, but it still needs a stable name
    return hashlib.sha256(raw).hexdigest()[:16]


def voided_by(approval: Approval, actions: Sequence[WorkflowAction]) -> WorkflowAction | None:
    """The spike, request-changes or restore that came after `approval` in the story's
    actions (any of them, for an approval the actions do not record), or None."""
    start = 0
    for number, action in enumerate(actions):
        if action.records(approval):
            start = number + 1
    return next((a for a in actions[start:] if a.action in VOIDING_ACTIONS), None)


def current_approval(
    approvals: Sequence[Approval], actions: Sequence[WorkflowAction], content_hash: str
) -> Approval | None:
    """The latest approval if it covers `content_hash` and no later action voided it."""
    if not approvals:
        return None
    latest = approvals[-1]
    if latest.content_hash != content_hash or voided_by(latest, actions) is not None:
        return None
    return latest
