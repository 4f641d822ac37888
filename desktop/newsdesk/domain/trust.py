"""Which signed workflow actions a laptop accepts from outside: a pure replay.

See docs/architecture.md, "The workflow".

A status that arrives through a sync folder or a git remote is earned, not copied.
Starting from the status this laptop holds (which is the one it last shared with the
folder, unless it changed it itself), the actions new to this laptop are applied, the
earliest that can be first, each when

- its signature verifies against its own key (checked by the caller: signing.py),
- its key is trusted for its role here: a desk chief's action needs a key of this
  laptop's keyring of trusted desk chiefs (or its own, when its profile is a desk
  chief); an editor's action (submit) any key that signs it,
- it leads where that action leads, and the workflow allows it from the status the
  replay has reached (workflow's own table of transitions).

"The earliest that can be": an action that does not apply yet is tried again after a
later one did, so a laptop whose clock ran slow (its approval timed before the submit it
followed) is not refused; each action is applied once at most, so no order of the same
actions leads anywhere the actions themselves do not.

The status the applied actions lead to is the one this laptop takes. A status the file
claims that they do not lead to is refused, and so is every action that fails a check;
`claim_refusal` says why in one line. An action that passes every check but the last (a
trusted chief's, validly signed, that does not apply to the status reached: an approval
of a story another chief spiked first) is *overtaken*, not forged: the caller notes it
rather than raising the alarm. Steps this laptop already holds (its own, or accepted
before) are replayed with the rest when a merge replays from the status both sides last
shared, and are checked only for where they apply. A story this laptop has never had starts as a
draft, except one that carries no actions at all (written before actions were signed):
`legacy_status` takes its status as far as its approvals prove.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.domain.model import WorkflowAction
from newsdesk.domain.workflow import (
    ACTION_LABELS,
    ALL_ACTIONS,
    CHIEF_ACTIONS,
    allowed_from,
    status_after,
)


@dataclass(frozen=True)
class Trust:
    """The public keys (base64) this laptop trusts as desk chiefs."""

    chief_keys: frozenset[str] = frozenset()

    def refusal(self, action: WorkflowAction) -> str | None:
        """Why this laptop does not trust the action's key for its role, or None."""
        if action.action in CHIEF_ACTIONS and action.public_key not in self.chief_keys:
            return (
                f"signed by {action.actor} with key {action.key_id or '(none)'}, which this "
                "laptop does not trust as a desk chief"
            )
        return None


@dataclass(frozen=True)
class Step:
    """An action to replay, and whether its signature verifies; `held` when this laptop
    holds it already (made here, or accepted before): only where it applies is checked."""

    action: WorkflowAction
    signed: bool
    held: bool = False


@dataclass(frozen=True)
class Refused:
    action: WorkflowAction
    reason: str
    overtaken: bool = False  # trusted and valid; only the status reached does not allow it


@dataclass(frozen=True)
class Verdict:
    """Where the new actions lead from `start`: the status, and what was applied."""

    start: str
    status: str
    accepted: tuple[WorkflowAction, ...] = ()
    refused: tuple[Refused, ...] = ()


def order(actions: Sequence[WorkflowAction]) -> list[WorkflowAction]:
    """Actions in the order they were made (the signature breaks a tie: any fixed rule
    gives every laptop the same order)."""
    return sorted(actions, key=lambda a: (a.at, a.signature))


def replay(start: str, steps: Sequence[Step], trust: Trust) -> Verdict:
    """The status the acceptable steps lead to from `start`; see the module docstring."""
    status = start
    accepted: list[WorkflowAction] = []
    by_action = {step.action: step for step in steps}
    pending = order(list(by_action))
    while True:
        ready = next((a for a in pending if not step_refusal(status, by_action[a], trust)), None)
        if ready is None:
            break
        pending.remove(ready)
        accepted.append(ready)
        status = ready.to_status
    refused = tuple(
        Refused(
            action,
            step_refusal(status, by_action[action], trust) or "",
            standing_refusal(by_action[action], trust) is None,
        )
        for action in pending
    )
    return Verdict(start, status, tuple(accepted), refused)


def step_refusal(status: str, step: Step, trust: Trust) -> str | None:
    """Why one step is not applied when the replay has reached `status`, or None."""
    return standing_refusal(step, trust) or order_refusal(status, step.action)


def order_refusal(status: str, action: WorkflowAction) -> str | None:
    """Why an action does not apply to a story that is `status`, or None."""
    if action.action in ALL_ACTIONS and status in allowed_from(action.action):
        return None
    verb = ACTION_LABELS.get(action.action, action.action).lower()
    return f"the {verb} by {action.actor} does not apply to a story that is {status} here"


def standing_refusal(step: Step, trust: Trust) -> str | None:
    """Why a step is not applied wherever the replay stands (its signature, what it is,
    where it claims to lead, whose key), or None; a held step passes."""
    if step.held:
        return None
    action = step.action
    verb = ACTION_LABELS.get(action.action, action.action).lower()
    if not step.signed:
        return f"the {verb} by {action.actor} is unsigned or its signature does not verify"
    if action.action not in ALL_ACTIONS:
        return f"unknown action {action.action!r} by {action.actor} (from a newer Newsdesk?)"
    if action.to_status != status_after(action.action):
        return (
            f"the {verb} by {action.actor} claims to lead to {action.to_status}, but "
            f"{verb} leads to {status_after(action.action)}"
        )
    untrusted = trust.refusal(action)
    if untrusted:
        return f"the {verb}: {untrusted}"
    return None


def claim_refusal(claimed: str, verdict: Verdict) -> str | None:
    """Why the status a file claims is not taken, in one line, or None if it is."""
    if claimed == verdict.status:
        return None
    moved = f"status {verdict.start} -> {claimed} not applied"
    blamed = [r for r in verdict.refused if r.action.to_status == claimed]
    if blamed:
        return f"{moved}: {blamed[-1].reason}"
    return (
        f"{moved}: no signed action by a trusted desk chief leads there "
        f"(this laptop holds {verdict.status})"
    )


def legacy_status(claimed: str, approved_by_trusted_key: bool) -> str:
    """The status a story that carries no signed actions comes in with, the first time
    this laptop meets it: what it claims, except that approved or published needs an
    approval by a trusted desk chief (else it waits in review)."""
    if claimed in ("approved", "published") and not approved_by_trusted_key:
        return "in_review"
    return claimed
