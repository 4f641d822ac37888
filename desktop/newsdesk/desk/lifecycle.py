"""The Desk after publication: correct, update and kill a story, the correction note
drafted from the diff, and the corrections log (newsdesk.domain.lifecycle has the rules)."""

from __future__ import annotations

from datetime import datetime

from newsdesk.desk.context import DeskContext
from newsdesk.desk.editorial import Editorial
from newsdesk.desk.stories import Stories
from newsdesk.domain import corrections, lifecycle
from newsdesk.domain.model import Story
from newsdesk.domain.workflow import WorkflowError
from newsdesk.store.lifecycle import lifecycle_stories


def note_text(story: Story) -> str:
    """The text a correction note speaks of: headline, deck and body, as readers see them."""
    return "\n\n".join(part for part in (story.headline, story.deck, story.body) if part)


class Lifecycle:
    """Corrections, updates and kills of stories that went out, and their log."""

    def __init__(self, context: DeskContext, stories: Stories, editorial: Editorial) -> None:
        self._c = context
        self._stories = stories
        self._editorial = editorial

    def published_version(self, ref: str) -> Story | None:
        """The revision that went out (the one the latest approval covers), or None."""
        story = self._stories.find(ref)
        if not story.approvals:
            return None
        return self._c.store.revision(story.id, story.approvals[-1].revision)

    def draft_note(self, ref: str) -> str:
        """The correction note drafted from the published text and the text now."""
        story = self._stories.find(ref)
        published = self.published_version(story.id)
        if published is None:
            return ""
        return corrections.draft_note(note_text(published), note_text(story))

    def after_publication(
        self, ref: str, action: str, note: str, *, expected_revision: int | None = None
    ) -> Story:
        """Correct, update or kill a story: a signed action carrying `note`."""
        if action not in lifecycle.LIFECYCLE_ACTIONS:
            known = ", ".join(lifecycle.LIFECYCLE_ACTIONS)
            raise WorkflowError(f"{action!r} is not one of {known}")
        return self._editorial.transition(ref, action, note, expected_revision=expected_revision)

    def corrections_log(self, since: datetime | None = None) -> list[lifecycle.LogEntry]:
        """Every correction, update and kill on the desk since `since`, newest first."""
        entries = [
            entry
            for story in lifecycle_stories(self._c.store.db)
            for entry in lifecycle.log_entries(
                story.id, story.slug, story.headline, story.actions, story.approvals, since
            )
        ]
        return sorted(entries, key=lambda e: (e.at, e.story_id), reverse=True)
