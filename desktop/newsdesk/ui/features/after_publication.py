"""Story › Correct…, Update…, Kill… and Corrections Log… in the window (issue 21).

Each action asks for its note in a small dialog (a correction's is prefilled with the note
Newsdesk drafts from the diff of the published and the edited text), then records it as
a signed action through the Desk, as `newsdesk correct|update|kill` do. The log lists
every correction, update and kill of the desk, newest first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from newsdesk.domain import model, workflow
from newsdesk.domain.lifecycle import LIFECYCLE_ACTIONS
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from newsdesk.desk import Changes, Desk
    from newsdesk.ui.window import StoryWindow

# Action key in the registry (ui/actions.py) -> workflow action.
ACTIONS = {"correct": "correct", "update_story": "update", "kill": "kill"}
PROMPTS = {
    "correct": "The correction note that goes out with the new version (drafted from your "
               "changes; edit it):",
    "update": "The update line that goes out with the new version (“adds police statement”):",
    "kill": "The notice that replaces the story in every export:",
}
DONE = {"correct": "Correction recorded", "update": "Update recorded", "kill": "Killed"}
TIPS = {
    "correct": "Record the correction of this published story, with its note",
    "update": "Record an update of this published story, with its update line",
    "kill": "Kill this published story for good; the exports carry the notice",
}
TYPE_TIP = "The story's type: what it must have to be submitted and approved"


class NoteDialog(QDialog):
    """A note to write, with a prompt; OK only once it says something."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("lifecycleNoteDialog")
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.editor = QPlainTextEdit(text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(self._enable)
        for widget in (label, self.editor, self.buttons):
            layout.addWidget(widget)
        self._enable()

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.note()))

    def note(self) -> str:
        return self.editor.toPlainText().strip()


def ask_note(parent: QWidget, title: str, prompt: str, text: str) -> str | None:
    """The note the user wrote; None if they cancelled (tests replace this)."""
    dialog = NoteDialog(parent, title, prompt, text)
    return dialog.note() if dialog.exec() == QDialog.DialogCode.Accepted else None


def show_refusal(parent: QWidget, message: str) -> None:
    """Why it was not done (tests replace this)."""
    from newsdesk.ui.panes.workflow_bar import show_refusal as warn

    warn(parent, message)


class CorrectionsLog(QDialog):
    """Every correction, update and kill on the desk, newest first."""

    COLUMNS = ("When", "Kind", "Story", "Signed by", "Note", "Out")

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Corrections Log")
        self.setObjectName("correctionsLog")
        self.resize(820, 420)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        entries = desk.corrections_log()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = (
                model.format_datetime(entry.at), entry.kind, entry.slug,
                model.person_label(entry.actor, entry.key_id), entry.note,
                "yes" if entry.out else "awaiting approval",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
        ]


def run(window: StoryWindow, action: str) -> model.Story | None:
    """Correct, update or kill the open story, after saving pending edits; the window
    shows the result when it hears the change (ui/events.py)."""
    story = window.current_story()
    if story is None or not window.save_now():
        return None
    desk = window.desk
    story = desk.get(story.id)
    reason = desk.allowed_actions(story, (action,))[action]  # four eyes by key, as the menu
    if reason:
        show_refusal(window.dialog_parent(), reason)
        return None
    drafted = desk.draft_note(story.id) if action == "correct" else ""
    title = f"{workflow.ACTION_LABELS[action]} “{story.headline}”"
    note = ask_note(window.dialog_parent(), title, PROMPTS[action], drafted)
    if note is None:
        return None
    try:
        updated = desk.after_publication(story.id, action, note,
                                         expected_revision=story.revision)
    except NewsdeskError as exc:
        show_refusal(window.dialog_parent(), str(exc))
        return None
    window.show_message(f"{DONE[action]}: {updated.headline}", 5000)
    return updated


def open_log(window: StoryWindow) -> CorrectionsLog:
    dialog = CorrectionsLog(window.desk, window.dialog_parent())
    dialog.show()
    return dialog


class Allowed:
    """Keeps Correct…, Update… and Kill… (and the Type field) enabled only when the rules
    allow them for the open story and this profile now, with the rules' reason in the
    tooltip of each that is not: when a story is shown, and on every change the window
    hears that touches it (saved here or elsewhere, its status or approvals moved)."""

    def __init__(self, window: StoryWindow, type_field: QWidget) -> None:
        self.window = window
        self.type_field = type_field
        window.events.changed.connect(self.heard)

    def heard(self, changes: Changes) -> None:
        story = self.window.current_story()
        if story is not None and changes.touches(story.id):
            fresh = self.window.desk.live_stories([story.id])
            self.show(fresh[0] if fresh else None)

    def show(self, story: model.Story | None) -> None:
        reasons = (self.window.desk.allowed_actions(story, LIFECYCLE_ACTIONS)
                   if story is not None else {})
        for key, action in ACTIONS.items():
            reason = reasons.get(action, "no story is open")
            qaction = self.window.actions_[key]
            qaction.setEnabled(reason is None)
            tip = TIPS[action] if reason is None else f"Not now: {reason}"
            qaction.setToolTip(f"{workflow.ACTION_LABELS[action]}\n{tip}")
            qaction.setStatusTip(tip)
        refused = workflow.type_refusal(story) if story is not None else None
        self.type_field.setEnabled(refused is None)
        self.type_field.setToolTip(TYPE_TIP if refused is None else f"Not now: {refused}")


def install(window: StoryWindow, loaded: SignalInstance, type_field: QWidget) -> Allowed:
    """Connect the Story menu's after-publication actions to the window; `loaded` tells
    the story shown (ui/open_story.py), `type_field` is the metadata panel's Type."""
    for key, action in ACTIONS.items():
        window.actions_[key].triggered.connect(lambda _=False, a=action: run(window, a))
    window.actions_["corrections_log"].triggered.connect(lambda: open_log(window))
    allowed = Allowed(window, type_field)
    loaded.connect(allowed.show)
    allowed.show(window.current_story())
    return allowed
