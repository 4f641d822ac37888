"""The history of a story: every transition and saved revision, and a diff of any two.

Fields are compared by name and the body paragraph by paragraph (newsdesk.diff); a
changed paragraph shows its words struck out and inserted. "Restore" saves the text of
the chosen older revision as a new revision, so nothing is ever lost.

Who did something is shown as "Name (key fingerprint)", marked when it is only what a
synced file claims; a change from the sync folder that was refused shows as Rejected,
in the error colour, with the reason. The names a key went by are in its tooltip.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsdesk import workflow
from newsdesk.desk import Desk
from newsdesk.diff import StoryDiff, word_diff
from newsdesk.model import (
    VOIDING_ACTIONS,
    NewsdeskError,
    Story,
    format_datetime,
    person_label,
)
from newsdesk.ui import theme

EVENT_COLUMNS = ("When", "Who", "What", "Rev.", "Status", "Note")
ACTION_WORDS = {
    "created": "Created",
    "edited": "Edited",
    "reverted": "Restored old text",
    "request_changes": "Requested changes",
    "deleted": "Moved to trash",
    "undeleted": "Taken from trash",
    "rejected": "Rejected (not applied)",
}


def diff_html(diff: StoryDiff) -> str:
    """The diff as HTML for a QTextBrowser: deletions struck in red, insertions in green."""
    c = theme.colors()
    gone = f"color:{c.error}; text-decoration:line-through;"
    new = f"color:{c.ok}; font-weight:600;"
    parts = [f"<h3>Revision {diff.old_revision} → {diff.new_revision}</h3>"]
    if not diff.changed:
        parts.append(f"<p style='color:{c.muted}'>No changes.</p>")
        return "".join(parts)
    if diff.fields:
        parts.append("<table cellspacing='0' cellpadding='3'>")
        for change in diff.fields:
            parts.append(
                f"<tr><td><b>{escape(change.name)}</b></td>"
                f"<td><span style='{gone}'>{escape(change.old) or '—'}</span></td>"
                f"<td>→</td><td><span style='{new}'>{escape(change.new) or '—'}</span></td></tr>"
            )
        parts.append("</table>")
    for part in diff.body:
        if part.op == "equal":
            continue
        if part.op == "replace" and len(part.old) == len(part.new):
            last = part.old_start + len(part.old) - 1
            where = f"¶{part.old_start}" + (f"–{last}" if last > part.old_start else "")
            parts.append(f"<p style='color:{c.muted}'>Body {where} changed</p>")
            for old, text in zip(part.old, part.new, strict=True):
                spans = []
                for op, words in word_diff(old, text):
                    style = {"delete": gone, "insert": new}.get(op, "")
                    spans.append(f"<span style='{style}'>{_text(words)}</span>")
                parts.append(f"<p>{''.join(spans)}</p>")
            continue
        label = {"insert": "added", "delete": "removed"}.get(part.op, "changed")
        parts.append(f"<p style='color:{c.muted}'>Body ¶{part.new_start} {label}</p>")
        parts.extend(f"<p style='{gone}'>{_text(p)}</p>" for p in part.old)
        parts.extend(f"<p style='{new}'>{_text(p)}</p>" for p in part.new)
    return "".join(parts)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br>")


class HistoryView(QWidget):
    """Events above, a diff between two chosen revisions below; emits `restored`."""

    restored = Signal(object)  # the Story after an old revision was restored

    def __init__(self, desk: Desk, story_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._desk = desk
        self._story_id = story_id
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.events = QTreeWidget()
        self.events.setObjectName("historyEvents")
        self.events.setRootIsDecorated(False)
        self.events.setAlternatingRowColors(True)
        self.events.setHeaderLabels(list(EVENT_COLUMNS))
        self.from_rev = QComboBox()
        self.from_rev.setObjectName("diffFrom")
        self.to_rev = QComboBox()
        self.to_rev.setObjectName("diffTo")
        self.restore_button = QPushButton("Restore as new revision")
        self.restore_button.setObjectName("restoreRevision")
        self.restore_button.setToolTip(
            "Save the text of the 'compare' revision as a new revision (nothing is lost)"
        )
        self.diff_view = QTextBrowser()
        self.diff_view.setObjectName("diffView")
        self.diff_view.setOpenLinks(False)

        pick = QHBoxLayout()
        pick.addWidget(QLabel("Compare revision"))
        pick.addWidget(self.from_rev)
        pick.addWidget(QLabel("with"))
        pick.addWidget(self.to_rev)
        pick.addStretch(1)
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

        self.from_rev.currentIndexChanged.connect(self.show_diff)
        self.to_rev.currentIndexChanged.connect(self.show_diff)
        self.restore_button.clicked.connect(self.restore_selected)
        self.events.itemActivated.connect(self._event_activated)
        self.reload()

    def reload(self) -> None:
        story = self._desk.get(self._story_id)
        self.status_label.setText(
            f"<b>{escape(story.headline)}</b> · {escape(workflow.status_label(story))} · "
            f"revision {story.revision}"
        )
        self.events.clear()
        revisions = self._desk.revisions(story.id)
        hashes = {r.revision: r.content_hash for r in revisions}
        approvals = iter(story.approvals)
        approved = None  # the approval in force as the events unfold
        events = self._desk.history(story.id)
        names = self._names([event.actor_key for event in events])
        for event in events:
            moved = f"{event.from_status or 'new'} → {event.to_status}" if event.to_status else ""
            note = event.note
            if event.action == "approve":
                approved = next(approvals, None)
            elif approved is not None and (
                event.action in VOIDING_ACTIONS
                or hashes.get(event.revision, approved.content_hash) != approved.content_hash
            ):
                note = f"voids the approval of revision {approved.revision}" + (
                    f"; {note}" if note else ""
                )
                approved = None
            item = QTreeWidgetItem(
                [
                    format_datetime(event.at.astimezone()).replace("T", " ")[:16],
                    person_label(event.actor, event.actor_key, event.origin),
                    ACTION_WORDS.get(event.action, event.action.replace("_", " ").capitalize()),
                    str(event.revision),
                    moved.replace("_", " "),
                    note,
                ]
            )
            item.setData(3, Qt.ItemDataRole.UserRole, event.revision)
            item.setToolTip(1, names.get(event.actor_key, ""))
            if event.action == "rejected":
                item.setToolTip(5, note)
                for column in range(len(EVENT_COLUMNS)):
                    item.setForeground(column, QBrush(QColor(theme.colors().error)))
            self.events.addTopLevelItem(item)
        for column in range(len(EVENT_COLUMNS) - 1):
            self.events.resizeColumnToContents(column)
        numbers = [r.revision for r in revisions]
        for combo in (self.from_rev, self.to_rev):
            combo.blockSignals(True)
            combo.clear()
            for n in numbers:
                combo.addItem(f"{n}" + (" (current)" if n == story.revision else ""), n)
            combo.blockSignals(False)
        self.to_rev.setCurrentIndex(len(numbers) - 1)
        self.from_rev.setCurrentIndex(max(len(numbers) - 2, 0))
        self.show_diff()

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
        if old is None or new is None:
            self.diff_view.setHtml("")
            return
        self.diff_view.setHtml(diff_html(self._desk.diff(self._story_id, old, new)))

    def _event_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        revision = item.data(3, Qt.ItemDataRole.UserRole)
        if isinstance(revision, int) and revision > 1:
            self.select(revision - 1, revision)

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


class HistoryDialog(QDialog):
    """History of one story in its own window."""

    def __init__(self, desk: Desk, story_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle("Story history")
        self.resize(820, 640)
        self.view = HistoryView(desk, story_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
