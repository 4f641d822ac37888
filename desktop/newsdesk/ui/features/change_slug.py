"""Story › Change Slug…: a new slug for the open story, as `newsdesk slug` gives one.

The metadata panel's slug field edits the slug too (saved with the story); this action
is the explicit way, with the reason for a refusal (bad shape, taken) in the status bar.
A new slug is a new revision; exports keep the old URL working (Hugo aliases). The
editor and the list show it when they hear the change (ui/events.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from newsdesk.domain.model import NewsdeskError, Story

if TYPE_CHECKING:
    from newsdesk.ui.window import StoryWindow


def ask_slug(parent: QWidget, current: str) -> str | None:
    """The slug typed, or None when cancelled (tests replace this)."""
    text, ok = QInputDialog.getText(
        parent,
        "Change Slug",
        "New slug (lower-case letters, digits and hyphens).\n"
        "Exports keep the old URL working; an approval is voided.",
        QLineEdit.EchoMode.Normal,
        current,
    )
    return text.strip() if ok else None


class SlugAction(QObject):
    """Runs the registry's change_slug action on the window's open story."""

    def __init__(self, window: StoryWindow) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        window.actions_["change_slug"].triggered.connect(self.change)

    def change(self) -> Story | None:
        window = self.window
        story = window.current_story()
        # Saved first: the rename is a revision on top of what is on screen.
        if story is None or not window.save_now():
            return None
        story = window.desk.get(story.id)
        slug = ask_slug(window.dialog_parent(), story.slug)
        if slug is None or slug == story.slug:
            return None
        try:
            renamed = window.desk.change_slug(story.id, slug)
        except NewsdeskError as exc:
            window.show_message(f"Slug not changed: {exc}", 8000)
            return None
        window.show_message(
            f"Slug changed from {story.slug} to {renamed.slug}; exports keep the old URL", 6000
        )
        return renamed
