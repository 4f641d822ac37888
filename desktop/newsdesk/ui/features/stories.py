"""The story commands of the window: open a story chosen in the list (or the one open when
the window last closed), New, Duplicate, Move to Trash and the Trash dialog.

They act on the open story (ui/open_story.py) and select in the list; what they change
reaches the list through the Changes the window hears (ui/events.py), never by a refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from newsdesk.domain.model import NewsdeskError, Story

if TYPE_CHECKING:
    from newsdesk.ui.open_story import OpenStory
    from newsdesk.ui.panes.metadata_panel import MetadataPanel
    from newsdesk.ui.panes.story_list_model import StoryTableModel
    from newsdesk.ui.panes.story_list_view import StoryListView
    from newsdesk.ui.window import StoryWindow


class StoryCommands(QObject):
    """Opening, creating, duplicating and trashing stories, with the list kept in step."""

    def __init__(self, window: StoryWindow, story: OpenStory, story_list: StoryListView,
                 model: StoryTableModel, metadata: MetadataPanel) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.story = story
        self.story_list = story_list
        self.model = model
        self.metadata = metadata
        actions = window.actions_
        actions["new_story"].triggered.connect(self.new_story)
        actions["duplicate"].triggered.connect(self.duplicate_story)
        actions["delete"].triggered.connect(self.delete_story)
        actions["trash_dialog"].triggered.connect(self.trash_dialog)
        story_list.story_selected.connect(self.open_story)

    def open_story(self, story_id: str) -> None:
        """Open a story by id, once the open one is saved or its edits given up."""
        current = self.window.current_story()
        if current is not None and current.id == story_id:
            return
        if not self.window.leave_story():
            if current is not None:
                self.story_list.select_story(current.id, notify=False)
                # A click that asked still selects its row once the question is answered:
                # put the open story's row back after that.
                QTimer.singleShot(
                    0, lambda: self.story_list.select_story(current.id, notify=False))
            return
        try:
            story = self.window.desk.get(story_id)
        except NewsdeskError as exc:
            self.window.show_message(str(exc))
            return
        self.story.load(story)

    def open_first_story(self) -> None:
        """The story open when the window last closed, else the first in the list."""
        last = self.window.settings.last_story()
        if last and self.story_list.select_story(last):
            return
        first = self.model.story_id(0)
        if first:
            self.story_list.select_story(first)
        else:
            self.story.load(None)

    def new_story(self) -> None:
        if not self.window.leave_story():
            return
        desk = self.window.desk
        self._show_new(desk.create(headline="Untitled story", editor=desk.profile.name))
        self.metadata.headline.setFocus()
        self.metadata.headline.selectAll()

    def duplicate_story(self) -> None:
        current = self.window.current_story()
        if current is None or not self.window.leave_story():
            return
        self._show_new(self.window.desk.duplicate(current.id))
        self.window.show_message("Duplicated as a new draft", 4000)

    def _show_new(self, story: Story) -> None:
        self.story.load(story)
        self.story_list.select_story(story.id, notify=False)

    def delete_story(self) -> None:
        """Move the open story to the trash and open the one that took its row."""
        current = self.window.current_story()
        if current is None:
            return
        self.story.autosaver.flush()
        row = self.model.row_of(current.id)
        self.story.load(None)
        self.story_list.clearSelection()
        self.window.desk.delete(current.id)
        self.window.show_message(
            f"Moved “{current.headline}” to the trash (File › Trash…)", 6000)
        if self.model.rowCount():
            next_id = self.model.story_id(min(row or 0, self.model.rowCount() - 1))
            if next_id:
                self.story_list.select_story(next_id)

    def trash_dialog(self) -> None:
        from newsdesk.ui.dialogs.trash import TrashDialog  # a dialog: when first asked

        restored = TrashDialog.ask(self.window.desk, self.window.dialog_parent())
        if restored:
            self.story_list.select_story(restored[-1])
