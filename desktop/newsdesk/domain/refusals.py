"""Why the workflow refuses an action: the vocabulary of actions and roles, and every rule
as pure functions (newsdesk.domain.workflow re-exports them and builds the transitions).

`refusal()` returns None when an action is allowed, else a sentence saying why not; the
window's buttons and menus, the command line and `workflow.apply` all ask it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newsdesk.domain.four_eyes import Keys, four_eyes_refusal
from newsdesk.domain.lifecycle import KILLED, LIFECYCLE_ACTIONS, NOTE_ACTIONS, pending_note
from newsdesk.domain.model import (
    Approval,
    NewsdeskError,
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
# The statuses each action starts from (further conditions are in refusal()).
FROM_STATUSES: dict[str, frozenset[str]] = {
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


def normalize_action(action: str) -> str:
    """'request-changes', 'Request changes' -> 'request_changes'; WorkflowError if unknown."""
    key = "_".join(action.strip().lower().replace("-", " ").split())
    if key not in ALL_ACTIONS:
        raise WorkflowError(f"unknown action {action!r}; one of: {', '.join(ALL_ACTIONS)}")
    return key


def needs_reapproval(story: StatusView) -> bool:
    """True when the story is approved or published but no approval matches its content."""
    return story.status in ("approved", "published") and story.current_approval is None


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
    who = _role_refusal(action, actor)
    if who:
        return who
    if story.status not in FROM_STATUSES[action]:
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


def type_refusal(story: StatusView) -> str | None:
    """None if the story's type may change now, else why not: a killed story keeps the
    type it went out as (the notice replaced it; nothing of it goes out again)."""
    if story.status == KILLED:
        return "cannot change the type: the story was killed; a killed story stays killed"
    return None


def _role_refusal(action: str, actor: Actor) -> str | None:
    """Why this person's role may not do the action at all (None: it may)."""
    if actor.role not in ROLES:
        return f"{actor.name or 'this profile'} has no known role ({actor.role!r})"
    if action in CHIEF_ACTIONS and actor.role != "desk_chief":
        verb = ACTION_LABELS[action].lower()
        return f"only a desk chief can {verb}; {actor.name or 'this profile'} is an editor"
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


