"""Which revision of a story may be published, and why another may not (pure).

The latest approval decides. No spike, request for changes or restore may follow it (they
void it, model.voided_by). It must match the story's content (an edit voids it), or,
for a story already published and edited since, the stored revision it approved: that
revision stays out until the correction is approved. Its signature must verify, and
with a keyring it must be by a trusted key. An embargo holds the revision back until
its time; a slug that cannot name a file holds it back for good.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsdesk.domain.lifecycle import KILLED, note_actions
from newsdesk.domain.model import (
    SLUG_RE,
    Approval,
    Story,
    WorkflowAction,
    format_datetime,
    voided_by,
)
from newsdesk.identity.signing import Keyring, signature_valid
from newsdesk.publish.manifest import approval_problem, bad_signature


class StoryHead(Protocol):
    """What selection reads of a story: a Story, or a row of the store's publish index
    (store/publish_index.py), which holds no text and gives the stored content hash."""

    @property
    def id(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def approvals(self) -> Sequence[Approval]: ...
    @property
    def actions(self) -> Sequence[WorkflowAction]: ...


@dataclass(frozen=True)
class Candidate:
    """A story that may go out, the approval that lets it, and which revision that is."""

    story: StoryHead
    approval: Approval
    revision: int  # the revision that goes out


def find_candidate(
    story: StoryHead, keyring: Keyring | None, *, verified: bool = False
) -> Candidate | str:
    """The story's approved revision as a candidate, or why it cannot go out.

    `verified`: this very approval was verified by the export that wrote the manifest,
    so its Ed25519 check (the costly part of a re-export) is not repeated. Given a row
    of the index, the revision is chosen by the stored content hash; what goes out is
    then checked against the approval by its own hash (fetch_from).
    """
    early = first_reason(story)
    if early:
        return early
    approval = story.approvals[-1]
    if approval.content_hash == story.content_hash:
        revision = story.revision
    elif story.status == "published" and approval.revision < story.revision:
        revision = approval.revision
    else:
        return (
            f"the approval of revision {approval.revision} was voided by a later edit "
            f"(now revision {story.revision}); it must be approved again"
        )
    if keyring is not None:
        reason, _key = approval_problem(
            story.id,
            approval.content_hash,
            approval.revision,
            approval,
            keyring,
            check_signature=not verified,
        )
        if reason:
            return reason
    elif not verified and not signature_valid(story.id, approval):
        failure = signature_failure(approval, None)
        if failure:
            return failure
    return Candidate(story, approval, revision)


def signature_failure(approval: Approval, keyring: Keyring | None) -> str:
    """What find_candidate says of an approval whose signature does not verify (without
    a keyring an unsigned approval may go out: ""). An export has its workers check the
    signatures (publish/render.py) and hands them this text."""
    if keyring is not None:
        return bad_signature(approval)
    if approval.signature:
        return f"the signature on {approval.approver}'s approval does not verify"
    return ""


def first_reason(story: StoryHead) -> str | None:
    """Why the story cannot go out whatever its approval says (spiked, not approved, no
    approval), or None: the checks of find_candidate that cost nothing."""
    if story.status == "spiked":
        return "spiked"
    if story.status == KILLED:
        return "killed: the export carries its notice instead"
    if story.status not in ("approved", "published"):
        return f"not approved (it is {story.status.replace('_', ' ')})"
    if not story.approvals:
        return "no approval on record"
    voider = voided_by(story.approvals[-1], story.actions)
    if voider is not None:
        return (
            f"the approval of revision {story.approvals[-1].revision} was voided by "
            f"{voider.action.replace('_', ' ')} by {voider.actor}; it must be approved again"
        )
    return None


def wanted_revision(candidate: Candidate) -> tuple[str, int]:
    """The (id, revision) fetch_from looks up for this candidate."""
    return candidate.story.id, candidate.revision


def fetch_from(candidate: Candidate, versions: Mapping[tuple[str, int], Story]) -> Story | str:
    """The revision to publish, from the stored revisions read beforehand (`versions`),
    or why it cannot go out. It is always the stored snapshot, so that its time is when
    the text was saved, not when the status last changed; its content must be the
    approved content."""
    story, approval = candidate.story, candidate.approval
    version = versions.get(wanted_revision(candidate))
    if version is None:
        return f"approved revision {candidate.revision} cannot be read (it is not stored)"
    if version.content_hash != approval.content_hash:
        return f"stored revision {candidate.revision} does not match the hash that was approved"
    # The version carries the corrections and updates its approval covers, and no other
    # action: the renderers print them, the record keeps them (publish/lifecycle.py).
    return version.replace(
        status=story.status, approvals=story.approvals,
        actions=note_actions(story.actions, approval),
    )


def hold_reason(version: Story, now: datetime) -> str | None:
    if version.embargo is not None and now < version.embargo:
        return f"embargoed until {format_datetime(version.embargo)}"
    if not SLUG_RE.match(version.slug):
        return f"slug {version.slug!r} cannot name a file"
    return None
