"""The Desk's workflow: signed transitions, history, diffs, verification, identities.

The rules live in newsdesk.domain.workflow; this persists what they decide. Every transition is
signed with the profile's key; four eyes compares that key with the keys that saved the
text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.copydesk.rules import Rules
from newsdesk.copydesk.story_types import check_gate
from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext
from newsdesk.desk.stories import Stories
from newsdesk.domain import workflow
from newsdesk.domain.diff import StoryDiff, diff_stories
from newsdesk.domain.model import NewsdeskError, Story, WorkflowAction
from newsdesk.domain.workflow import ActionSigner
from newsdesk.identity.profile import Profile
from newsdesk.identity.signing import (
    ActionCheck,
    Keyring,
    VerifyResult,
    check_actions,
    verify_story,
)
from newsdesk.store import HistoryEvent, StaleRevision
from newsdesk.store.records import DeskEvent
from newsdesk.store.sync_conflicts import has_conflict


class Editorial:
    """Workflow transitions, their history and their signatures."""

    def __init__(
        self, context: DeskContext, stories: Stories, rules: Callable[[], Rules]
    ) -> None:
        self._c = context
        self._stories = stories
        self._rules = rules  # the house rules (Tools.rules): the type gate reads them
        self._bulk_signer: tuple[Profile, ActionSigner] | None = None

    def has_conflict(self, story_id: str) -> bool:
        return has_conflict(self._c.store.db, story_id)

    def allowed_actions(
        self, story: Story, actions: Sequence[str] = workflow.ACTIONS
    ) -> dict[str, str | None]:
        """Each of `actions` -> None if this profile may do it now, else why not."""
        return workflow.allowed_actions(
            story,
            self._c.profile,
            has_conflict=self.has_conflict(story.id),
            four_eyes=self._c.profile.four_eyes,
            keys=self._keys(story),
            actions=actions,
        )

    def _keys(self, story: Story) -> workflow.Keys:
        """For four eyes: this profile's key (if it has one yet: a profile without a key
        has written nothing here) and every key that saved the story's current text."""
        actor = self._c.key_id() if self._c.profile.has_key() else ""
        saved = self._c.store.signed.keys_that_saved(story.id, story.content_hash)
        return workflow.Keys(actor, saved)

    def transition(
        self, ref: str, action: str, note: str = "", *, expected_revision: int | None = None
    ) -> Story:
        """Submit, approve, request changes, publish, spike or restore a story.

        WorkflowError says why when the rules refuse; TypeGateError (one) names every
        rule of its type a story breaks that is submitted or approved here. An approval
        is signed with the profile's key. `expected_revision` (the revision the person
        was looking at) makes a story saved by someone else in the meantime a
        StaleRevision instead of approving text nobody here has read.
        """
        story_id = self._stories.find(ref).id
        with self._c.store.transaction():
            story = self._c.store.get(story_id)
            if expected_revision is not None and story.revision != expected_revision:
                raise StaleRevision(story, expected_revision)
            result = workflow.apply(
                story,
                action,
                self._c.profile,
                note=note,
                has_conflict=self.has_conflict(story.id),
                four_eyes=self._c.profile.four_eyes,
                sign=lambda sid, approval: self._c.profile.signer()(sid, approval),
                sign_action=lambda sid, record: self._c.profile.action_signer()(sid, record),
                keys=self._keys(story),
            )
            assert result.record is not None
            # After the workflow's own refusals (status, role, four eyes), which say more.
            check_gate(story, result.record.action, self._rules())
            moved = self._c.store.signed.record_transition(
                story.id,
                result.record,
                expected_revision=story.revision,
                approval=result.approval,
            )
        self._c.notify(Changes.of(changed=[moved.id]))
        return moved

    def signed_action(
        self, story_id: str, revision: int, content_hash: str, from_status: str,
        action: str, note: str,
    ) -> WorkflowAction:
        """This profile's signed action for a transition made in bulk (the export's
        publish), from what a story's row says, without its text. Made now, to the
        microsecond, like every action (its order among the story's actions)."""
        record = WorkflowAction(
            action, self._c.profile.name, "", datetime.now(UTC), revision, content_hash,
            from_status, workflow.status_after(action), note,
        )
        # The key is read once for an export's thousands of stories, not once for each.
        if self._bulk_signer is None or self._bulk_signer[0] is not self._c.profile:
            self._bulk_signer = (self._c.profile, self._c.profile.action_signer())
        return self._bulk_signer[1](story_id, record)

    def history(self, ref: str) -> list[HistoryEvent]:
        """Every saved revision and transition of a story, oldest first."""
        return self._c.store.history(self._stories.find(ref).id)

    def diff(self, ref: str, rev_a: int, rev_b: int | None = None) -> StoryDiff:
        """What changed from revision `rev_a` to `rev_b` (default: the current one)."""
        story = self._stories.find(ref)
        old = self._c.store.revision(story.id, rev_a)
        new = story if rev_b is None else self._c.store.revision(story.id, rev_b)
        return diff_stories(old, new)

    def restore_revision(self, ref: str, number: int) -> Story:
        """Make the text of an earlier revision the newest revision (nothing is lost)."""
        story = self._stories.find(ref)
        restored = self._c.store.restore_revision(
            story.id, number, expected_revision=story.revision, actor=self._c.actor
        )
        self._c.notify(Changes.of(changed=[restored.id]))
        return restored

    def verify(self, ref: str, keyring: Keyring | Path | None = None) -> VerifyResult:
        """Check the story's approval against a keyring (default: the profile's trusted
        keys and its own key; a Path is read as a keyring file)."""
        return verify_story(self._stories.find(ref), self._keyring(keyring))

    def verify_actions(self, ref: str, keyring: Keyring | Path | None = None) -> list[ActionCheck]:
        """Every signed workflow action of the story, its signature and key checked
        against the keyring (as `verify`)."""
        return check_actions(self._stories.find(ref), self._keyring(keyring))

    def _keyring(self, keyring: Keyring | Path | None) -> Keyring:
        if keyring is None:
            return self._c.profile.keyring()
        if isinstance(keyring, Path):
            if not keyring.is_file():
                raise NewsdeskError(f"{keyring}: no such keyring file")
            return Keyring.load(keyring)
        return keyring

    def identities(self, keys: list[str] | None = None) -> list[DeskEvent]:
        """The names each key went by on this desk, oldest first (all keys, or these)."""
        return self._c.store.signed.desk_events(keys)
