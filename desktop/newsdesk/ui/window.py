"""What a feature sees of the main window: a narrow protocol, never its private parts.

Features (ui/features/: copy-desk tools, sync, export, backups, slug, house style,
history, preview, theme) take their actions from the registry by key and talk to the
window only through StoryWindow; they hear about changes from `events`, never by being
told what to refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from newsdesk.desk import Desk
    from newsdesk.domain.model import Story
    from newsdesk.ui.actions import ActionRegistry
    from newsdesk.ui.events import Events
    from newsdesk.ui.jobs.runner import JobRunner
    from newsdesk.ui.settings import WindowSettings


class StoryWindow(Protocol):
    """The main window as features use it."""

    desk: Desk
    actions_: ActionRegistry
    events: Events
    jobs: JobRunner
    settings: WindowSettings

    def dialog_parent(self) -> QWidget:
        """The widget dialogs and jobs' progress belong to."""
        ...

    def current_story(self) -> Story | None:
        """The open story as last loaded or saved (None: none open)."""
        ...

    def story_in_window(self) -> Story | None:
        """The open story as shown, with unsaved edits."""
        ...

    def save_now(self) -> bool:
        """Save the open story's edits; False when they could not be saved."""
        ...

    def leave_story(self) -> bool:
        """Save before leaving the open story; False if the user chose to stay."""
        ...

    def open_story(self, story_id: str) -> None: ...

    def open_first_story(self) -> None:
        """The story open when the window last closed, else the first in the list."""
        ...

    def close_story(self) -> None:
        """Show no story (its edits saved or given up first, by leave_story)."""
        ...

    def edit_story(self, story: Story) -> None:
        """Put these values in the open story's fields as an edit of the user's, then save
        (the house style)."""
        ...

    def show_message(self, text: str, timeout_ms: int = 5000) -> None: ...
