"""The history of a story as people read it: editing sessions, workflow steps, named
versions, and any two revisions side by side.

Each burst of saves by one person is one line (who, when, how many saves, words added and
removed; its saves open underneath); workflow steps stand on their own lines. Choosing a
line compares the text before it with the text after it, old on the left and new on the
right. A revision can be given a name ("as subbed", "legal-checked"); "Restore" saves the
text of an older revision as a new revision, so nothing is ever lost.

Who did something is shown as "Name (key fingerprint)", marked when it is only what a
synced file claims; a change from the sync folder that was refused shows as Rejected,
in the error colour, with the reason. The names a key went by are in its tooltip.
"""

from __future__ import annotations

from datetime import timedelta
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.domain import workflow
from newsdesk.domain.model import VOIDING_ACTIONS, NewsdeskError, Story, person_label
from newsdesk.domain.sessions import Entry, describe, revision_before
from newsdesk.ui import theme
from newsdesk.ui.dialogs.diff_view import diff_html, side_by_side_html
from newsdesk.ui.panes.story_list_model import format_moment

if TYPE_CHECKING:
    from newsdesk.ui.window import StoryWindow

__all__ = ["HistoryDialog", "HistoryView", "diff_html", "side_by_side_html"]

EVENT_COLUMNS = ("When", "Who", "What", "Revisions", "Words", "Status", "Note")
ACTION_WORDS = {
    "edited": "Edited",
    "reverted": "Restored old text",
    "request_changes": "Requested changes",
    "deleted": "Moved to trash",
    "undeleted": "Taken from trash",
    "rejected": "Rejected (not applied)",
}
RANGE_ROLE = Qt.ItemDataRole.UserRole  # (compare from, compare to) of an entry


def ask_name(parent: QWidget, revision: int, current: str) -> str | None:
    """A name for a revision from the user; None if they cancelled (tests replace this)."""
    text, ok = QInputDialog.getText(
        parent, "Name this version",
        f"A name for revision {revision}, such as “as subbed” or “legal-checked” "
        "(empty takes the name away):", text=current)
    return text if ok else None


def _when(entry: Entry) -> str:
    start = format_moment(entry.start)
    if entry.end - entry.start >= timedelta(minutes=1):
        return f"{start}–{format_moment(entry.end)[-5:]}"
    return start


def _words(entry: Entry) -> str:
    return f"+{entry.added:,} −{entry.removed:,}" if entry.kind == "session" else ""


class HistoryView(QWidget):
    """Entries above, two chosen revisions side by side below; emits `restored`."""

    restored = Signal(object)  # the Story after an old revision was restored

    def __init__(self, desk: Desk, story_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self._story_id = story_id
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.events = QTreeWidget()
        self.events.setObjectName("historyEvents")
        self.events.setAlternatingRowColors(True)
        self.events.setHeaderLabels(list(EVENT_COLUMNS))
        self.from_rev = QComboBox()
        self.from_rev.setObjectName("diffFrom")
        self.to_rev = QComboBox()
        self.to_rev.setObjectName("diffTo")
        self.name_button = QPushButton("&Name Version…")
        self.name_button.setObjectName("nameVersion")
        self.name_button.setToolTip("Give the right-hand revision a name, such as “as subbed”")
        self.restore_button = QPushButton("&Restore as New Revision")
        self.restore_button.setObjectName("restoreRevision")
        self.restore_button.setToolTip(
            "Save the text of the left-hand revision as a new revision (nothing is lost)"
        )
        self.diff_view = QTextBrowser()
        self.diff_view.setObjectName("diffView")
        self.diff_view.setOpenLinks(False)
        self._build()
        self.from_rev.currentIndexChanged.connect(self.show_diff)
        self.to_rev.currentIndexChanged.connect(self.show_diff)
        self.restore_button.clicked.connect(self.restore_selected)
        self.name_button.clicked.connect(self.name_selected)
        self.events.currentItemChanged.connect(self._entry_chosen)
        self.reload()

    def _build(self) -> None:
        pick = QHBoxLayout()
        compare = QLabel("&Compare revision")
        compare.setBuddy(self.from_rev)
        pick.addWidget(compare)
        pick.addWidget(self.from_rev)
        pick.addWidget(QLabel("with"))
        pick.addWidget(self.to_rev)
        pick.addStretch(1)
        pick.addWidget(self.name_button)
        pick.addWidget(self.restore_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(pick)
        lower_layout.addWidget(self.diff_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.events)
        splitter.addWidget(lower)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

    def reload(self) -> None:
        story = self._desk.get(self._story_id)
        self.status_label.setText(
            f"<b>{escape(story.headline)}</b> · {escape(workflow.status_label(story))} · "
            f"revision {story.revision}"
        )
        revisions = self._desk.revisions(story.id)
        self._numbers = [r.revision for r in revisions]
        names = {n: v.name for n, v in self._desk.named_versions(story.id).items()}
        self._fill_entries(story, self._desk.history_entries(story.id))
        for combo in (self.from_rev, self.to_rev):
            combo.blockSignals(True)
            combo.clear()
            for n in self._numbers:
                label = f"{n}" + (f" · {names[n]}" if n in names else "")
                combo.addItem(label + (" (current)" if n == story.revision else ""), n)
            combo.blockSignals(False)
        self.to_rev.setCurrentIndex(len(self._numbers) - 1)
        self.from_rev.setCurrentIndex(max(len(self._numbers) - 2, 0))
        self.show_diff()
        # The newest line is the one chosen (a tree given the focus would choose its first).
        newest = self.events.topLevelItem(self.events.topLevelItemCount() - 1)
        if newest is not None:
            self.events.setCurrentItem(newest)

    def _fill_entries(self, story: Story, entries: list[Entry]) -> None:
        self.events.clear()
        hashes = {r.revision: r.content_hash for r in self._desk.revisions(story.id)}
        approvals = iter(story.approvals)
        approved = None  # the approval in force as the entries unfold
        names = self._names([getattr(e, "actor_key", "") for x in entries for e in x.events])
        for entry in entries:
            note = _entry_note(entry)
            if entry.kind == "approve":
                approved = next(approvals, None)
            elif approved is not None and _voids(entry, approved.content_hash, hashes):
                voids = f"voids the approval of revision {approved.revision}"
                note = f"{voids}; {note}" if note else voids
                approved = None
            item = self._entry_item(entry, note)
            item.setToolTip(1, names.get(getattr(entry.events[0], "actor_key", ""), ""))
            if entry.kind == "rejected":
                _mark_rejected(item, note)
            self.events.addTopLevelItem(item)
        for column in range(len(EVENT_COLUMNS) - 1):
            self.events.resizeColumnToContents(column)

    def _entry_item(self, entry: Entry, note: str) -> QTreeWidgetItem:
        event = entry.events[0]
        moved = ""
        if entry.kind != "session" and getattr(event, "to_status", ""):
            moved = f"{event.from_status or 'new'} → {event.to_status}".replace("_", " ")
        what = describe(entry) if entry.kind == "session" else ACTION_WORDS.get(
            entry.kind, describe(entry))
        span = f"{entry.first}" if entry.first == entry.last else f"{entry.first}–{entry.last}"
        who = person_label(entry.actor, getattr(event, "actor_key", ""),
                           getattr(event, "origin", ""))
        item = QTreeWidgetItem([_when(entry), who, what, span, _words(entry), moved, note])
        before = revision_before(self._numbers, entry.first)
        item.setData(0, RANGE_ROLE, (before if before is not None else entry.first, entry.last))
        if entry.kind == "session" and entry.saves > 1:
            for save in entry.events:
                saver = person_label(save.actor, getattr(save, "actor_key", ""),
                                     getattr(save, "origin", ""))
                child = QTreeWidgetItem([format_moment(save.at), saver,
                                         ACTION_WORDS.get(save.action, "Created"),
                                         str(save.revision), "", "", ""])
                previous = revision_before(self._numbers, save.revision)
                child.setData(0, RANGE_ROLE, (previous or save.revision, save.revision))
                item.addChild(child)
        return item

    def _names(self, keys: list[str]) -> dict[str, str]:
        """Each key -> the names it went by on this desk, for the Who tooltips."""
        found: dict[str, list[str]] = {}
        for event in self._desk.identities(sorted({key for key in keys if key})):
            found.setdefault(event.actor_key, []).append(event.note)
        return {key: "\n".join(notes) for key, notes in found.items()}

    def select(self, old: int, new: int) -> None:
        self.from_rev.setCurrentIndex(self.from_rev.findData(old))
        self.to_rev.setCurrentIndex(self.to_rev.findData(new))

    def show_diff(self) -> None:
        old, new = self.from_rev.currentData(), self.to_rev.currentData()
        current = self._desk.get(self._story_id).revision
        self.restore_button.setEnabled(old is not None and old != current)
        self.name_button.setEnabled(new is not None)
        if old is None or new is None:
            self.diff_view.setHtml("")
            return
        self.diff_view.setHtml(side_by_side_html(self._desk.diff(self._story_id, old, new)))

    def _entry_chosen(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        span = item.data(0, RANGE_ROLE) if item is not None else None
        if span:
            self.select(*span)

    def restore_selected(self) -> Story | None:
        number = self.from_rev.currentData()
        if number is None:
            return None
        try:
            story = self._desk.restore_revision(self._story_id, number)
        except NewsdeskError as exc:
            self.status_label.setText(escape(str(exc)))
            return None
        self.reload()
        self.restored.emit(story)
        return story

    def name_selected(self) -> bool:
        """Name the right-hand revision (or take its name away); True if done."""
        number = self.to_rev.currentData()
        if number is None:
            return False
        current = self._desk.named_versions(self._story_id).get(number)
        name = ask_name(self, number, current.name if current else "")
        if name is None:
            return False
        try:
            self._desk.name_version(self._story_id, number, name)
        except NewsdeskError as exc:
            self.status_label.setText(escape(str(exc)))
            return False
        old = self.from_rev.currentData()
        self.reload()
        self.select(old, number)
        return True


class HistoryDialog(QDialog):
    """History of one story in its own window."""

    def __init__(self, desk: Desk, story_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Story history")
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1100, screen.width() - 60), min(720, screen.height() - 80))
        self.view = HistoryView(desk, story_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)


def open_history(window: StoryWindow) -> HistoryDialog | None:
    """The history of the window's open story, saved first. A restored revision is a new
    revision: the editor and the list hear of it (ui/events.py) and show it."""
    story = window.current_story()
    if story is None or not window.save_now():
        return None
    dialog = HistoryDialog(window.desk, story.id, window.dialog_parent())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _entry_note(entry: Entry) -> str:
    """The names a session gave the story, after the note of a workflow step."""
    note = ", ".join(f"“{name}” (revision {n})" for n, name in entry.names)
    first_note = getattr(entry.events[0], "note", "") if entry.kind != "session" else ""
    return "; ".join(part for part in (first_note, note) if part)


def _voids(entry: Entry, approved_hash: str, hashes: dict[int, str]) -> bool:
    """Whether this entry voids the approval in force: a voiding step, or a session that
    saved other content."""
    if entry.kind in VOIDING_ACTIONS:
        return True
    return entry.kind == "session" and any(
        hashes.get(event.revision, approved_hash) != approved_hash for event in entry.events)


def _mark_rejected(item: QTreeWidgetItem, note: str) -> None:
    item.setToolTip(len(EVENT_COLUMNS) - 1, note)
    for column in range(len(EVENT_COLUMNS)):
        item.setForeground(column, QBrush(QColor(theme.colors().error)))
