"""What a story arriving from the sync folder may change here: the status and the signed
records (approvals, workflow actions) this laptop accepts, and what it refuses, in one
line (the rules: newsdesk.trust). The folder is untrusted input: its status line, its
`modified_by` and every record it carries are claims until a signature proves them.

Settling a story takes its content from the folder as before; `arrive` decides the rest:

- a new approval is kept only if its signature verifies and its key is a trusted desk
  chief's; a new action only if the replay from this laptop's status applies it;
- the status is the one the applied actions lead to (for a story met for the first time
  that carries no actions at all, `trust.legacy_status`);
- what is refused is one Refusal: the status claimed, and why, plus the refused records.

`kept_in_file` is what keeps a refusal from being fought over: the file's refused claims
are not rewritten away on their own (the laptop writes the story again only when it has
something of its own to add), and never written back by this laptop as its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.model import Approval, Story, WorkflowAction, key_fingerprint
from newsdesk.signing import action_signature_valid, signature_valid
from newsdesk.trust import (
    Step,
    Trust,
    Verdict,
    claim_refusal,
    legacy_status,
    order,
    replay,
)

# Refused records named in a refusal's one line, at most (then "and N more").
_NAMED = 3


@dataclass(frozen=True)
class Refusal:
    """A change not applied: the status it would have moved from and to, and why."""

    from_status: str
    to_status: str
    reason: str


@dataclass(frozen=True)
class Arrival:
    """The story to store (status, approvals and actions as accepted here), the new
    records to record, and the refusal, if any."""

    story: Story
    accepted: tuple[WorkflowAction, ...]
    approvals: tuple[Approval, ...]
    refusal: Refusal | None
    start: str  # the status the replay started from ("new": a legacy story met first)


def arrive(local: Story | None, target: Story, trust: Trust) -> Arrival:
    """Decide what of `target` (the file's story, or a merge with it) this laptop takes;
    `local` is the story as this laptop holds it (None: never had it)."""
    known_actions = set(local.actions) if local else set()
    known_approvals = set(local.approvals) if local else set()
    new_approvals = [a for a in target.approvals if a not in known_approvals]
    refused_approvals = {a: approval_refusal(target.id, a, trust) for a in new_approvals}
    good = [a for a in new_approvals if refused_approvals[a] is None]
    if local is None and not target.actions:
        latest = target.approvals[-1] if target.approvals else None
        status = legacy_status(target.status, latest is not None and latest in good)
        verdict = Verdict("new", status)
    else:
        steps = [
            Step(a, action_signature_valid(target.id, a))
            for a in target.actions
            if a not in known_actions
        ]
        verdict = replay(local.status if local else "draft", steps, trust)
    story = target.replace(
        status=verdict.status,
        actions=tuple(order([*(local.actions if local else ()), *verdict.accepted])),
        approvals=tuple(
            sorted([*(local.approvals if local else ()), *good], key=lambda a: a.approved_at)
        ),
    )
    reasons = [r.reason for r in verdict.refused]
    reasons += [reason for reason in refused_approvals.values() if reason]
    return Arrival(
        story, verdict.accepted, tuple(good), _refusal(target.status, verdict, reasons),
        verdict.start,
    )


def approval_refusal(story_id: str, approval: Approval, trust: Trust) -> str | None:
    """Why an approval from the folder is not kept here, or None."""
    who = f"the approval of revision {approval.revision} by {approval.approver}"
    if not signature_valid(story_id, approval):
        return f"{who} is unsigned or its signature does not verify"
    if approval.public_key not in trust.chief_keys:
        return (
            f"{who} is signed with key {key_fingerprint(approval.public_key)}, which this "
            "laptop does "
            "not trust as a desk chief"
        )
    return None


def _refusal(claimed: str, verdict: Verdict, reasons: Sequence[str]) -> Refusal | None:
    """One refusal for the whole arrival: the claimed status if it is not taken, then
    the refused records not already named."""
    main = claim_refusal(claimed, verdict)
    rest = [reason for reason in dict.fromkeys(reasons) if not main or reason not in main]
    if main is None and not rest:
        return None
    if main is None:
        main, rest = f"not accepted: {rest[0]}", rest[1:]
    if rest:
        named = "; ".join(rest[:_NAMED])
        more = f"; and {len(rest) - _NAMED} more" if len(rest) > _NAMED else ""
        main += f" (also not accepted: {named}{more})"
    return Refusal(verdict.start, claimed, main)


def kept_in_file(file_story: Story, stored: Story) -> Story:
    """The file's story as this laptop takes it: its refused claims (status, records
    this laptop did not accept) set aside, when the file holds every record this laptop
    keeps. Then the file needs no rewrite for this laptop's sake; a file that lacks
    records this laptop keeps (stripped of a spike, say) is returned as it is, so that
    it is written again with them."""
    if not (set(stored.actions) <= set(file_story.actions)) or not (
        set(stored.approvals) <= set(file_story.approvals)
    ):
        return file_story
    return file_story.replace(
        status=stored.status, actions=stored.actions, approvals=stored.approvals
    )
