"""The editorial workflow: statuses, transitions and who may make them (pure functions).

    draft --submit--> in_review --approve--> approved --publish--> published
      ^                   |                      |
      +--request changes--+--request changes-----+
    any --spike--> spiked --restore--> draft
    published --correct / update (signed note, after an edit)--> published
        (then approve and publish again: a new version carrying the note)
    approved, published --kill--> killed (final; the exports carry a notice)

Every rule lives in `refusal()` (newsdesk.domain.refusals, re-exported here): it returns
None when an action is allowed, else a sentence saying why not. `allowed_actions()`
(buttons and menus) and `apply()` (the change) both ask it, so the window, the command
line and the tests cannot disagree.

An edit after approval. Approval is bound to the content hash (model.Story.current_approval),
not to the stored status: the store never changes status on save, and a sync can bring an
edit in from another laptop. So an approved story whose content changed keeps the stored
status "approved" (its history shows it was approved) but `needs_reapproval()` is True:
publish is refused, approve is offered again, and `effective_status()` reports it as
"in_review" — back in the desk chief's queue, which is what "edit voids" means here. We
chose the review queue over draft (the diagram in docs/architecture.md) so that a late
correction does not
need a second submit; the four-eyes rule still makes someone other than its last editor
approve it. A published story edited afterwards (a correction) works the same way:
approve it again, then publish again. A spike, a request for changes or a restore voids
the approval before it in the same way (model.voided_by), whatever the status says.

Every transition is a signed WorkflowAction (`apply` builds it, the caller's signer signs
it) that travels with the story; newsdesk.domain.trust decides which of them another laptop
accepts. Four eyes compares keys, not names: a renamed profile keeps its key, and the
key that saved the text cannot approve it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.domain.four_eyes import Keys as Keys
from newsdesk.domain.four_eyes import same_person as same_person
from newsdesk.domain.lifecycle import KILLED, LIFECYCLE_ACTIONS
from newsdesk.domain.model import Approval, Story, WorkflowAction, voided_by

# The vocabulary and the rules (newsdesk.domain.refusals), part of this module's interface.
from newsdesk.domain.refusals import ACTION_LABELS as ACTION_LABELS
from newsdesk.domain.refusals import ACTIONS as ACTIONS
from newsdesk.domain.refusals import ALL_ACTIONS as ALL_ACTIONS
from newsdesk.domain.refusals import CHIEF_ACTIONS as CHIEF_ACTIONS
from newsdesk.domain.refusals import FROM_STATUSES
from newsdesk.domain.refusals import ROLE_LABELS as ROLE_LABELS
from newsdesk.domain.refusals import ROLES as ROLES
from newsdesk.domain.refusals import Actor as Actor
from newsdesk.domain.refusals import StatusView as StatusView
from newsdesk.domain.refusals import WorkflowError as WorkflowError
from newsdesk.domain.refusals import needs_reapproval as needs_reapproval
from newsdesk.domain.refusals import normalize_action as normalize_action
from newsdesk.domain.refusals import refusal as refusal
from newsdesk.domain.refusals import type_refusal as type_refusal

NOTE_REQUIRED = frozenset({"request_changes", *LIFECYCLE_ACTIONS})
_NOTE_MISSING = {
    "request_changes": "a note is required to request changes: tell the writer what to change",
    "correct": "a note is required to correct a published story: say what was wrong",
    "update": "a note is required to update a published story: say what it adds",
    "kill": "a note is required to kill a story: it is the notice that replaces it",
}

_TO = {
    "submit": "in_review",
    "request_changes": "draft",
    "approve": "approved",
    "publish": "published",
    "spike": "spiked",
    "restore": "draft",
    "correct": "published",
    "update": "published",
    "kill": KILLED,
}


# (story id, unsigned approval) -> signed approval; see signing.signer_for().
Signer = Callable[[str, Approval], Approval]
# (story id, unsigned action) -> signed action; see signing.action_signer_for().
ActionSigner = Callable[[str, WorkflowAction], WorkflowAction]


@dataclass(frozen=True)
class Event:
    """One history entry of a transition: who did what, when, to which revision."""

    action: str
    actor: str
    at: datetime
    revision: int
    from_status: str
    to_status: str
    note: str = ""


@dataclass(frozen=True)
class Transition:
    story: Story
    event: Event
    approval: Approval | None = None
    record: WorkflowAction | None = None  # the signed action, also in story.actions


def normalize_role(role: str) -> str:
    """'desk chief', 'desk-chief', 'Desk_Chief' -> 'desk_chief'; WorkflowError if unknown."""
    key = "_".join(role.strip().lower().replace("-", " ").split())
    if key not in ROLES:
        raise WorkflowError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    return key


def effective_status(story: Story) -> str:
    """The status that counts for the queues: 'in_review' while re-approval is needed."""
    return "in_review" if needs_reapproval(story) else story.status


def status_label(story: Story) -> str:
    """Status for people: 'approved — needs re-approval (edited after approval)'."""
    label = story.status.replace("_", " ")
    if needs_reapproval(story):
        return f"{label} — needs re-approval ({why_unapproved(story)})"
    return label


def why_unapproved(story: StatusView) -> str:
    """Why an approved or published story has no approval in force, in a few words."""
    if not story.approvals:
        return "no approval on record"
    voider = voided_by(story.approvals[-1], story.actions)
    if voider is not None:
        return f"{ACTION_LABELS.get(voider.action, voider.action).lower()} after approval"
    return "edited after approval"


def is_waiting_for(story: Story, actor: Actor) -> bool:
    """Whether the story waits on this person: a desk chief's queue is everything in
    review (re-approvals included); an editor's is the drafts they are the editor of (or,
    with no editor named, last saved): a typo fixed in someone else's draft does not make
    it yours."""
    status = effective_status(story)
    if actor.role == "desk_chief":
        return status == "in_review"
    owner = story.editor if story.editor.strip() else story.modified_by
    return status == "draft" and same_person(owner, actor.name)


def status_after(action: str) -> str:
    """The status an allowed action leads to."""
    return _TO[normalize_action(action)]


def allowed_from(action: str) -> frozenset[str]:
    """The statuses an action may start from (refusal() adds the other conditions)."""
    return FROM_STATUSES[normalize_action(action)]


def allowed_actions(
    story: Story,
    actor: Actor,
    *,
    has_conflict: bool = False,
    four_eyes: bool = True,
    now: datetime | None = None,
    keys: Keys | None = None,
    actions: Sequence[str] = ACTIONS,
) -> dict[str, str | None]:
    """Each of `actions` (the workflow bar's by default; LIFECYCLE_ACTIONS for the Story
    menu's Correct, Update and Kill) -> None if allowed, else why not (for buttons, menu
    items and their tooltips)."""
    return {
        action: refusal(
            story, action, actor, has_conflict=has_conflict, four_eyes=four_eyes, now=now,
            keys=keys,
        )
        for action in actions
    }


def apply(
    story: Story,
    action: str,
    actor: Actor,
    *,
    note: str = "",
    now: datetime | None = None,
    has_conflict: bool = False,
    four_eyes: bool = True,
    sign: Signer | None = None,
    sign_action: ActionSigner | None = None,
    keys: Keys | None = None,
) -> Transition:
    """The story after `action` and its history event; WorkflowError saying why if refused.

    Every action appends a WorkflowAction (who, when, revision, content hash, from and to
    status, note) to the story's actions; approving also appends an Approval of the
    current revision and content hash. `sign` and `sign_action` are how the caller signs
    them, so this function never touches a key. The revision does not change: a
    transition is not an edit.
    """
    action = normalize_action(action)
    # The action keeps microseconds (its order among this laptop's actions); the
    # approval and the event are to the second, as every stored time is.
    moment = now or datetime.now(UTC)
    when = moment.replace(microsecond=0)
    note = note.strip()
    reason = refusal(
        story, action, actor, has_conflict=has_conflict, four_eyes=four_eyes, now=when,
        keys=keys,
    )
    if reason:
        raise WorkflowError(reason)
    if action in NOTE_REQUIRED and not note:
        raise WorkflowError(_NOTE_MISSING[action])
    approval = None
    approvals = story.approvals
    if action == "approve":
        approval = Approval(
            approver=actor.name,
            revision=story.revision,
            content_hash=story.content_hash,
            approved_at=when,
        )
        if sign is not None:
            approval = sign(story.id, approval)
        approvals = (*approvals, approval)
    new_status = status_after(action)
    record = WorkflowAction(
        action=action,
        actor=actor.name,
        public_key="",  # the signer fills in its key
        at=moment,
        revision=story.revision,
        content_hash=story.content_hash,
        from_status=story.status,
        to_status=new_status,
        note=note,
    )
    if sign_action is not None:
        record = sign_action(story.id, record)
    event = Event(
        action=action,
        actor=actor.name,
        at=when,
        revision=story.revision,
        from_status=story.status,
        to_status=new_status,
        note=note,
    )
    changed = story.replace(
        status=new_status, approvals=approvals, actions=(*story.actions, record)
    )
    return Transition(changed, event, approval, record)
