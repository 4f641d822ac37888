"""The stale-revision dialog: someone saved the story meanwhile; the user picks what stays."""

from __future__ import annotations

import difflib

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.domain.model import EDITABLE_FIELDS, Story
from newsdesk.ui.panes.story_list_model import format_moment

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"
CANCEL = "cancel"


def _text(story: Story, name: str) -> str:
    value = story.editable()[name]
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    return "" if value is None else str(value)


def describe_differences(mine: Story, theirs: Story) -> str:
    """A readable list of the fields where the two versions differ; the body as a diff."""
    lines: list[str] = []
    for name in EDITABLE_FIELDS:
        a, b = _text(theirs, name), _text(mine, name)
        if a == b:
            continue
        if name == "body":
            diff = difflib.unified_diff(
                a.splitlines(), b.splitlines(), "saved version", "your version", lineterm="", n=1
            )
            lines.append("body:")
            lines.extend(f"    {line}" for line in diff)
        else:
            lines.append(f"{name}:\n    saved: {a or '(empty)'}\n    yours: {b or '(empty)'}")
    return "\n".join(lines) or "No field differs; only the revision number moved on."


class ConflictDialog(QDialog):
    """Shows who saved what; Keep mine / Take theirs / Cancel."""

    def __init__(self, mine: Story, theirs: Story, parent: QWidget | None = None):
        super().__init__(parent)
        self.choice = CANCEL
        self.setWindowTitle("Story changed elsewhere")
        who = theirs.modified_by or "someone else"
        intro = QLabel(
            f"<b>{theirs.headline or theirs.slug}</b> was saved by {who} at "
            f"{format_moment(theirs.updated_at)} (revision {theirs.revision}) while you were "
            f"editing revision {mine.revision}.<br>Nothing has been overwritten. "
            "These fields differ between the saved version and yours:",
            self,
        )
        intro.setWordWrap(True)
        details = QPlainTextEdit(describe_differences(mine, theirs), self)
        details.setReadOnly(True)
        details.setFont(QFont("DejaVu Sans Mono"))
        buttons = QDialogButtonBox(self)
        keep = QPushButton("Keep Mine", self)
        keep.setToolTip("Save your version as a new revision on top of the saved one")
        take = QPushButton("Take Theirs", self)
        take.setToolTip("Discard your unsaved edits and load the saved version")
        cancel = QPushButton("Cancel", self)
        cancel.setToolTip("Decide later; your edits stay in the window, unsaved")
        buttons.addButton(keep, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(take, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        keep.clicked.connect(lambda: self._choose(KEEP_MINE))
        take.clicked.connect(lambda: self._choose(TAKE_THEIRS))
        cancel.clicked.connect(lambda: self._choose(CANCEL))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(details, 1)
        layout.addWidget(buttons)
        self.resize(620, 440)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept() if choice != CANCEL else self.reject()


def ask(parent: QWidget | None, mine: Story, theirs: Story) -> str:
    """Ask the user; returns KEEP_MINE, TAKE_THEIRS or CANCEL (tests replace this)."""
    dialog = ConflictDialog(mine, theirs, parent)
    dialog.exec()
    return dialog.choice
