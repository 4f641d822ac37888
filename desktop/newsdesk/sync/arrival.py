"""What a story arriving from the sync folder may change here: the status and the signed
records (approvals, workflow actions) this laptop accepts, and what it refuses, in one
line (the rules: newsdesk.domain.trust). The folder is untrusted input: its status line, its
`modified_by` and every record it carries are claims until a signature proves them.

Settling a story takes its content from the folder as before; `arrive` decides the rest:

- a new approval is kept only if its signature verifies and its key is a trusted desk
  chief's; a new action only if it passes the replay's checks (signature, role, key);
- the status is never taken from a file, nor merged as a field: it is where the actions
  this laptop holds lead, replayed in the order they were made from where the story
  started here (its `created` event: a draft, for every story made since actions are
  signed). So the status is a function of the set of actions alone: two desk chiefs
  acting at once on two laptops never make a conflict, and every laptop that holds the
  same actions holds the same status, whatever order the syncs came in. An action a
  trusted chief signed that does not apply where the replay stands (an approval of a
  story another chief spiked first) is *overtaken*: kept, like every signed record, so
  that every laptop replays the same set, noted, and not applied. A story met for the
  first time that carries no actions at all comes in with `trust.legacy_status`;
- the status the file claims must be where its own actions, and those both sides held
  at the base, lead; otherwise it is refused (one Refusal: the claim, and why, plus the
  refused records). A file that lacks an action both sides held (cut out) claims wrongly.

`kept_in_file` is what keeps a refusal from being fought over: the file's refused claims
are not rewritten away on their own (the laptop writes the story again only when it has
something of its own to add), and never written back by this laptop as its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from newsdesk.domain.model import Approval, Story, WorkflowAction, key_fingerprint
from newsdesk.domain.trust import (
    Step,
    Trust,
    Verdict,
    claim_refusal,
    legacy_status,
    order,
    replay,
)
from newsdesk.domain.workflow import ACTION_LABELS
from newsdesk.identity.signing import action_signature_valid, signature_valid

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
    records to record (actions applied or overtaken), the refusal if any, and the
    actions overtaken (kept, not applied)."""

    story: Story
    accepted: tuple[WorkflowAction, ...]
    approvals: tuple[Approval, ...]
    refusal: Refusal | None
    start: str  # the status the replay started from ("new": a legacy story met first)
    overtaken: tuple[WorkflowAction, ...] = ()

    @property
    def set_aside(self) -> bool:
        """True when the file holds something this laptop did not take."""
        return self.refusal is not None

    @property
    def notes(self) -> list[str]:
        """One line per overtaken action, for the sync report."""
        return [
            f"the {ACTION_LABELS.get(a.action, a.action).lower()} by {a.actor} came after "
            f"the story became {self.story.status} and was not applied (kept as a record)"
            for a in self.overtaken
        ]


def arrive(
    local: Story | None,
    target: Story,
    trust: Trust,
    *,
    origin: str = "draft",
    base: Story | None = None,
    remote: Story | None = None,
    verified: frozenset[object] = frozenset(),
) -> Arrival:
    """Decide what of `target` (the file's story, or a merge with it) this laptop takes.

    `local` is the story as this laptop holds it (None: never had it), `origin` the
    status it started from here (store.feed.origin_status). When both sides changed,
    `base` is the version both last shared and `remote` the file's. `verified`: records
    of the file whose signatures were checked where it was read (readers.py)."""
    known = set(local.approvals) if local else set()
    good, reasons = _new_approvals(target, known, trust, verified)
    claimed_by = remote or target
    steps = _Steps(target.id, set(local.actions) if local else set(), verified)
    verdict, checked = _replays(local, target, claimed_by, base, trust, origin, good, steps)
    held = set(local.actions) if local else set()
    refused = [r for r in verdict.refused if r.action not in held]
    overtaken = tuple(r.action for r in refused if r.overtaken)
    new = [a for a in verdict.accepted if a not in held]
    story = target.replace(
        status=verdict.status,
        actions=tuple(order([*held, *new, *overtaken])),
        approvals=tuple(sorted([*known, *good], key=lambda a: a.approved_at)),
    )
    reasons = [r.reason for r in refused if not r.overtaken] + reasons
    here = local.status if local is not None else verdict.start
    refusal = _refusal(claimed_by.status, replace(checked, start=here), reasons)
    return Arrival(
        story, tuple(order([*new, *overtaken])), tuple(good), refusal, verdict.start, overtaken
    )


def _new_approvals(
    target: Story, known: set[Approval], trust: Trust, verified: frozenset[object]
) -> tuple[list[Approval], list[str]]:
    """The approvals new to this laptop that it keeps, and why it refuses the others."""
    good: list[Approval] = []
    reasons: list[str] = []
    for approval in target.approvals:
        if approval in known:
            continue
        reason = approval_refusal(target.id, approval, trust, approval in verified)
        if reason is None:
            good.append(approval)
        else:
            reasons.append(reason)
    return good, reasons


def _replays(
    local: Story | None,
    target: Story,
    claimed_by: Story,
    base: Story | None,
    trust: Trust,
    origin: str,
    good: list[Approval],
    steps: _Steps,
) -> tuple[Verdict, Verdict]:
    """The replay of every action held here and in `target`, from where the story
    started here; and the replay that must lead to the status the file claims: of its
    own actions and those both sides held at the base (which no honest file lacks). A
    story new here that carries no actions comes in as far as its approvals prove."""
    if local is None and not target.actions:
        latest = target.approvals[-1] if target.approvals else None
        legacy = Verdict("new", legacy_status(target.status, latest in good))
        return legacy, legacy
    held = set(local.actions) if local else set()
    start = origin if local is not None else "draft"
    everything = held | set(target.actions)
    verdict = replay(start, steps.of(everything), trust)
    shared = base if base is not None else local
    claim_set = set(claimed_by.actions) | (set(shared.actions) if shared else set())
    if claim_set == everything:
        return verdict, verdict
    return verdict, replay(start, steps.of(claim_set), trust)


class _Steps:
    """Replay steps of a story's actions: held ones as they are, the others with their
    signature checked (once each, however many replays ask)."""

    def __init__(
        self, story_id: str, held: set[WorkflowAction], verified: frozenset[object]
    ) -> None:
        self.story_id, self.held = story_id, held
        self.checked: dict[WorkflowAction, bool] = dict.fromkeys(
            (a for a in verified if isinstance(a, WorkflowAction)), True
        )

    def of(self, actions: Iterable[WorkflowAction]) -> list[Step]:
        return [self._step(a) for a in actions]

    def _step(self, action: WorkflowAction) -> Step:
        if action in self.held:
            return Step(action, True, True)
        if action not in self.checked:
            self.checked[action] = action_signature_valid(self.story_id, action)
        return Step(action, self.checked[action])


def merged_status(
    base: Story | None,
    local: Story,
    remote: Story,
    merged: Story,
    trust: Trust,
    origin: str = "draft",
) -> str:
    """The status a clean merge of `local` and `remote` (into `merged`) comes to: the
    replay `arrive` makes of both sides' actions."""
    return arrive(local, merged, trust, origin=origin, base=base, remote=remote).story.status


def approval_refusal(
    story_id: str, approval: Approval, trust: Trust, verified: bool = False
) -> str | None:
    """Why an approval from the folder is not kept here, or None (`verified`: its
    signature was checked already)."""
    who = f"the approval of revision {approval.revision} by {approval.approver}"
    if not verified and not signature_valid(story_id, approval):
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
