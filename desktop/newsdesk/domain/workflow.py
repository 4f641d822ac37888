"""The editorial workflow: statuses, transitions and who may make them (pure functions).

    draft --submit--> in_review --approve--> approved --publish--> published
      ^                   |                      |
      +--request changes--+--request changes-----+
    any --spike--> spiked --restore--> draft
    published --correct / update (signed note, after an edit)--> published
        (then approve and publish again: a new version carrying the note)
    approved, published --kill--> killed (final; the exports carry a notice)

Every rule lives in `refusal()`: it returns None when an action is allowed, else a
sentence saying why not. `allowed_actions()` (buttons) and `apply()` (the change) both
ask it, so the window, the command line and the tests cannot disagree.

An edit after approval. Approval is bound to the content hash (model.Story.current_approval),
not to the stored status: the store never changes status on save, and a sync can bring an
edit in from another laptop. So an approved story whose content changed keeps the stored
status "approved" (its history shows it was approved) but `needs_reapproval()` is True:
publish is refused, approve is offered again, and `effective_status()` reports it as
"in_review" — back in the desk chief's queue, which is what "edit voids" means here. We
chose the review queue over draft (DESIGN's diagram) so that a late correction does not
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
from typing import Protocol

from newsdesk.domain.four_eyes import Keys as Keys
from newsdesk.domain.four_eyes import four_eyes_refusal
from newsdesk.domain.four_eyes import same_person as same_person
from newsdesk.domain.lifecycle import KILLED, LIFECYCLE_ACTIONS, NOTE_ACTIONS, pending_note
from newsdesk.domain.model import (
    Approval,
    NewsdeskError,
    Story,
    WorkflowAction,
    format_datetime,
    utcnow,
    voided_by,
)

ROLES: tuple[str, ...] = ("editor", "desk_chief")
ROLE_LABELS = {"editor": "editor", "desk_chief": "desk chief"}

# Order is the order buttons appear in (the window's workflow bar has one for each).
ACTIONS: tuple[str, ...] = ("submit", "request_changes", "approve", "publish", "spike", "restore")
# After publication (newsdesk.domain.lifecycle): actions of their own, offered by the Story menu.
ALL_ACTIONS: tuple[str, ...] = (*ACTIONS, *LIFECYCLE_ACTIONS)
ACTION_LABELS = {
    "submit": "Submit",
    "request_changes": "Request changes",
    "approve": "Approve",
    "publish": "Publish",
    "spike": "Spike",
    "restore": "Restore",
    "correct": "Correct",
    "update": "Update",
    "kill": "Kill",
}
CHIEF_ACTIONS = frozenset({"request_changes", "approve", "publish", "spike", "restore", "kill"})
NOTE_REQUIRED = frozenset({"request_changes", *LIFECYCLE_ACTIONS})
_NOTE_MISSING = {
    "request_changes": "a note is required to request changes: tell the writer what to change",
    "correct": "a note is required to correct a published story: say what was wrong",
    "update": "a note is required to update a published story: say what it adds",
    "kill": "a note is required to kill a story: it is the notice that replaces it",
}

# The statuses each action starts from (further conditions are in refusal()).
_FROM: dict[str, frozenset[str]] = {
    "submit": frozenset({"draft"}),
    "request_changes": frozenset({"in_review", "approved"}),
    "approve": frozenset({"in_review", "approved", "published"}),
    "publish": frozenset({"approved"}),
    "spike": frozenset({"draft", "in_review", "approved", "published"}),
    "restore": frozenset({"spiked"}),
    "correct": frozenset({"published"}),
    "update": frozenset({"published"}),
    "kill": frozenset({"approved", "published"}),
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
_STATUS_WORDS = {
    "draft": "a draft",
    "in_review": "in review",
    "approved": "approved",
    "published": "published",
    "spiked": "spiked",
    KILLED: "killed",
}


class WorkflowError(NewsdeskError):
    """An action the workflow refuses; the message says why."""


class Actor(Protocol):
    """Who acts: anything with a name and a role (profile.Profile is one)."""

    @property
    def name(self) -> str: ...

    @property
    def role(self) -> str: ...


class StatusView(Protocol):
    """What the rules read of a story: a Story, or a row of the store read without the
    text (store/publish_index.py), so that an export can check thousands at once."""

    @property
    def status(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def approvals(self) -> Sequence[Approval]: ...
    @property
    def embargo(self) -> datetime | None: ...
    @property
    def modified_by(self) -> str: ...
    @property
    def modified_key(self) -> str: ...
    @property
    def actions(self) -> Sequence[WorkflowAction]: ...
    @property
    def current_approval(self) -> Approval | None: ...


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


def normalize_action(action: str) -> str:
    """'request-changes', 'Request changes' -> 'request_changes'; WorkflowError if unknown."""
    key = "_".join(action.strip().lower().replace("-", " ").split())
    if key not in ALL_ACTIONS:
        raise WorkflowError(f"unknown action {action!r}; one of: {', '.join(ALL_ACTIONS)}")
    return key


def normalize_role(role: str) -> str:
    """'desk chief', 'desk-chief', 'Desk_Chief' -> 'desk_chief'; WorkflowError if unknown."""
    key = "_".join(role.strip().lower().replace("-", " ").split())
    if key not in ROLES:
        raise WorkflowError(f"unknown role {role!r}; one of: {', '.join(ROLES)}")
    return key


def needs_reapproval(story: StatusView) -> bool:
    """True when the story is approved or published but no approval matches its content."""
    return story.status in ("approved", "published") and story.current_approval is None


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
    return _FROM[normalize_action(action)]


def refusal(
    story: StatusView,
    action: str,
    actor: Actor,
    *,
    has_conflict: bool = False,
    four_eyes: bool = True,
    now: datetime | None = None,
    keys: Keys | None = None,
) -> str | None:
    """None if `actor` may do `action` to `story` now, else the reason they may not.
    `keys` lets four eyes compare keys; without it (or for text saved by no known key)
    it compares names."""
    action = normalize_action(action)
    verb = ACTION_LABELS[action].lower()
    if actor.role not in ROLES:
        return f"{actor.name or 'this profile'} has no known role ({actor.role!r})"
    if action in CHIEF_ACTIONS and actor.role != "desk_chief":
        return f"only a desk chief can {verb}; {actor.name or 'this profile'} is an editor"
    if story.status not in _FROM[action]:
        return _wrong_status(story, action)
    if action == "approve":
        return _approve_refusal(
            story, actor, has_conflict=has_conflict, four_eyes=four_eyes, keys=keys or Keys()
        )
    if action == "publish":
        return _publish_refusal(story, has_conflict=has_conflict, now=now or utcnow())
    if action in NOTE_ACTIONS:
        return _note_refusal(story, action, has_conflict=has_conflict)
    if action == "kill" and four_eyes:
        return four_eyes_refusal(story, actor, keys or Keys())
    return None


def _wrong_status(story: StatusView, action: str) -> str:
    verb = ACTION_LABELS[action].lower()
    where = _STATUS_WORDS.get(story.status, story.status)
    hints = {
        "submit": "only a draft can be submitted",
        "request_changes": "changes are requested on a story in review or approved",
        "approve": "submit it for review first" if story.status == "draft"
        else "restore it first",
        "publish": "only an approved story can be published",
        "spike": "it is spiked already",
        "restore": "only a spiked story can be restored",
        "correct": "only a published story is corrected",
        "update": "only a published story is updated",
        "kill": "only a story that went out (approved or published) is killed",
    }
    if story.status == KILLED:
        return f"cannot {verb}: the story was killed; a killed story stays killed"
    return f"cannot {verb}: the story is {where}; {hints[action]}"


def _approve_refusal(
    story: StatusView, actor: Actor, *, has_conflict: bool, four_eyes: bool, keys: Keys
) -> str | None:
    if story.status in ("approved", "published") and not needs_reapproval(story):
        current = story.current_approval
        assert current is not None
        return (
            f"cannot approve: revision {current.revision} is already approved by "
            f"{current.approver} and has not changed since"
        )
    if has_conflict:
        return (
            "cannot approve: the story has an unresolved sync conflict; "
            "resolve it and save first"
        )
    if story.status == "published" and pending_note(story.actions, story.content_hash) is None:
        return (
            "cannot approve: the published story was edited; record the change as a "
            "correction or an update, with its note, first (newsdesk correct / newsdesk update)"
        )
    return four_eyes_refusal(story, actor, keys) if four_eyes else None


def _note_refusal(story: StatusView, action: str, *, has_conflict: bool) -> str | None:
    """A correction or update needs edited text (the note says what changed in it)."""
    verb = ACTION_LABELS[action].lower()
    if not needs_reapproval(story):
        return f"cannot {verb}: the text is the one published; edit it first, then {verb} it"
    if has_conflict:
        return f"cannot {verb}: the story has an unresolved sync conflict; resolve it first"
    return None


def _publish_refusal(story: StatusView, *, has_conflict: bool, now: datetime) -> str | None:
    if needs_reapproval(story):
        if story.approvals:
            approved = story.approvals[-1]
            voider = voided_by(approved, story.actions)
            by = (
                f"a later {ACTION_LABELS.get(voider.action, voider.action).lower()} by "
                f"{voider.actor}" if voider is not None
                else f"a later edit (now revision {story.revision})"
            )
            return (
                f"cannot publish: the approval of revision {approved.revision} by "
                f"{approved.approver} was voided by {by}; it must be approved again"
            )
        return "cannot publish: the story has no approval on record; it must be approved"
    if has_conflict:
        return "cannot publish: the story has an unresolved sync conflict"
    if story.embargo is not None and story.embargo > now:
        return f"cannot publish: embargoed until {format_datetime(story.embargo)}"
    return None


def allowed_actions(
    story: Story,
    actor: Actor,
    *,
    has_conflict: bool = False,
    four_eyes: bool = True,
    now: datetime | None = None,
    keys: Keys | None = None,
) -> dict[str, str | None]:
    """Every action -> None if allowed, else why not (for buttons and their tooltips)."""
    return {
        action: refusal(
            story, action, actor, has_conflict=has_conflict, four_eyes=four_eyes, now=now,
            keys=keys,
        )
        for action in ACTIONS
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
