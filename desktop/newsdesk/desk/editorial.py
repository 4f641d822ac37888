"""The Desk's workflow: transitions, signed approvals, history, diffs and verification.

The rules live in newsdesk.workflow; this persists what they decide.
"""

from __future__ import annotations

from pathlib import Path

from newsdesk import workflow
from newsdesk.diff import StoryDiff, diff_stories
from newsdesk.model import NewsdeskError, Story
from newsdesk.profile import Profile
from newsdesk.signing import Keyring, VerifyResult, verify_story
from newsdesk.store import HistoryEvent, StaleRevision, Store
from newsdesk.sync.state import has_conflict


class EditorialMixin:
    store: Store
    actor: str
    profile: Profile

    def has_conflict(self, story_id: str) -> bool:
        return has_conflict(self.store.db, story_id)

    def allowed_actions(self, story: Story) -> dict[str, str | None]:
        """Each workflow action -> None if this profile may do it now, else why not."""
        return workflow.allowed_actions(
            story,
            self.profile,
            has_conflict=self.has_conflict(story.id),
            four_eyes=self.profile.four_eyes,
        )

    def transition(
        self, ref: str, action: str, note: str = "", *, expected_revision: int | None = None
    ) -> Story:
        """Submit, approve, request changes, publish, spike or restore a story.

        WorkflowError says why when the rules refuse. An approval is signed with the
        profile's key. `expected_revision` (the revision the person was looking at) makes
        a story saved by someone else in the meantime a StaleRevision instead of approving
        text nobody here has read.
        """
        story_id = self.find(ref).id
        with self.store.transaction():
            story = self.store.get(story_id)
            if expected_revision is not None and story.revision != expected_revision:
                raise StaleRevision(story, expected_revision)
            result = workflow.apply(
                story,
                action,
                self.profile,
                note=note,
                has_conflict=self.has_conflict(story.id),
                four_eyes=self.profile.four_eyes,
                sign=lambda sid, approval: self.profile.signer()(sid, approval),
            )
            if result.approval is not None:
                self.store.add_approval(story.id, result.approval)
            return self.store.set_status(
                story.id,
                result.story.status,
                expected_revision=story.revision,
                actor=self.actor,
                action=result.event.action,
                note=result.event.note,
            )

    def history(self, ref: str) -> list[HistoryEvent]:
        """Every saved revision and transition of a story, oldest first."""
        return self.store.history(self.find(ref).id)

    def diff(self, ref: str, rev_a: int, rev_b: int | None = None) -> StoryDiff:
        """What changed from revision `rev_a` to `rev_b` (default: the current one)."""
        story = self.find(ref)
        old = self.store.revision(story.id, rev_a)
        new = story if rev_b is None else self.store.revision(story.id, rev_b)
        return diff_stories(old, new)

    def restore_revision(self, ref: str, number: int) -> Story:
        """Make the text of an earlier revision the newest revision (nothing is lost)."""
        story = self.find(ref)
        return self.store.restore_revision(
            story.id, number, expected_revision=story.revision, actor=self.actor
        )

    def verify(self, ref: str, keyring: Keyring | Path | None = None) -> VerifyResult:
        """Check the story's approval against a keyring (default: the profile's trusted
        keys and its own key; a Path is read as a keyring file)."""
        story = self.find(ref)
        if keyring is None:
            keyring = self.profile.keyring()
        elif isinstance(keyring, Path):
            if not keyring.is_file():
                raise NewsdeskError(f"{keyring}: no such keyring file")
            keyring = Keyring.load(keyring)
        return verify_story(story, keyring)
