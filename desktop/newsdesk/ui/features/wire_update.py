"""The agency-update banner above the editor: when the wire item a draft was taken from
gets a newer version, the draft says so ("agency update available: v3 from Reuters,
14:05"), shows the agency's changes paragraph by paragraph, and merges them in one click
(desk.wire.merge_update: the sync's three-way merge with the version taken as base).

It reads the queue when a story is shown and when the window hears that the queue or
the story changed (Changes, ui/events.py), whoever changed it: an update ingested by
another process (`newsdesk ingest`, another window) moves the queue's mark that the
window's watch reads (desk/watch.py). The merge's own Changes reload the editor.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Changes
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.ui import theme
from newsdesk.ui.window import StoryWindow

if TYPE_CHECKING:
    from newsdesk.wire.update import AgencyUpdate

# The wire service and its formats load with the first story taken from the wire, not at
# the window's start: most stories never were (hence the imports inside the methods).


class AgencyUpdateBanner(QFrame):
    """Hidden until the open story has an agency update waiting."""

    def __init__(self, window: StoryWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agencyUpdateBanner")
        self._window = window
        self.story_id = ""
        self.pending: AgencyUpdate | None = None
        self.label = QLabel(self)
        self.label.setObjectName("agencyUpdateText")
        self.label.setWordWrap(True)
        self.changes_button = QPushButton("Show Changes", self, checkable=True)
        self.changes_button.setToolTip("What the agency changed, paragraph by paragraph")
        self.merge_button = QPushButton("Merge", self)
        self.merge_button.setToolTip("Add the agency's changes to the draft; your edits stay")
        self.diff = QPlainTextEdit(self, readOnly=True)
        self.diff.setObjectName("agencyUpdateDiff")
        self.diff.setMaximumHeight(160)
        self.diff.hide()
        self.changes_button.toggled.connect(self.diff.setVisible)
        self.merge_button.clicked.connect(self.merge)
        row = QHBoxLayout()
        row.addWidget(self.label, 1)
        row.addWidget(self.changes_button)
        row.addWidget(self.merge_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 8, 6)
        column.addLayout(row)
        column.addWidget(self.diff)
        self.setStyleSheet(f"#agencyUpdateBanner {{ border-bottom: 2px solid "
                           f"{theme.colors().warning}; }}")
        self.hide()

    def show_for(self, story: Story | None) -> None:
        """Read the queue for the story now shown; the banner shows when an update waits."""
        self.story_id = story.id if story is not None else ""
        self.pending = None
        if story is None or "wire" not in story.extra:
            self.hide()
            return
        from newsdesk.wire.update import describe, notice

        row = self._window.desk.wire.pending_update(story.id)
        if row is None:
            self.hide()
            return
        try:
            self.pending = self._window.desk.wire.agency_update(story.id)
        except NewsdeskError:
            self.hide()  # settled meanwhile
            return
        line = notice(row.version, row.provider, row.sent or row.received_at, date.today())
        self.label.setText(line[:1].upper() + line[1:])
        self.diff.setPlainText("\n".join(describe(self.pending)))
        self.merge_button.setText("Merge…" if self.pending.conflicts else "Merge")
        self.show()

    def heard(self, changes: Changes) -> None:
        if self.story_id and (changes.wire or changes.touches(self.story_id)):
            self.show_for(self._window.current_story())

    def merge(self) -> None:
        """Save the open story's edits, then merge; clashes ask which side to keep."""
        if self.pending is None or not self._window.save_now():
            return
        try:  # against the draft as just saved: the user's last edits may clash too
            self.pending = self._window.desk.wire.agency_update(self.story_id)
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Agency update", str(exc))
            return
        prefer: str | None = None
        if self.pending.conflicts:
            from newsdesk.ui.features.wire import UpdateDialog
            from newsdesk.wire.update import describe

            dialog = UpdateDialog("\n".join(describe(self.pending)), True, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            prefer = dialog.prefer
        try:
            self._window.desk.wire.merge_update(self.story_id, prefer)  # type: ignore[arg-type]
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Agency update", str(exc))
        # The merge's Changes reach the editor (it reloads) and this banner (it hides).


def install(window: StoryWindow, column: QWidget, loaded: SignalInstance) -> AgencyUpdateBanner:
    """The banner at the top of the editor column, told of each story shown and each change."""
    banner = AgencyUpdateBanner(window, column)
    layout = column.layout()
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(0, banner)
    loaded.connect(banner.show_for)
    window.events.changed.connect(banner.heard)
    return banner
