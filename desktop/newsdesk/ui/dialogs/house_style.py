"""Format › Apply House Style: the changes listed, then made to the open story at once."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from newsdesk.copydesk import typography
from newsdesk.copydesk.typography import Change
from newsdesk.domain import wording
from newsdesk.domain.model import Story

if TYPE_CHECKING:
    from newsdesk.ui.window import StoryWindow

FIELD_LABELS = {"headline": "Headline", "deck": "Deck", "caption": "Caption", "body": "Body"}
KINDS = {"“": "quote", "”": "quote", "‘": "quote", "’": "apostrophe or quote",
         "–": "dash", "—": "dash", "…": "ellipsis", '"': "quote", "'": "quote"}


def describe(change: Change, text: str) -> str:
    """'Body, line 7: …said "yes… → …said “yes…' with a little context."""
    before = text[max(0, change.start - 12) : change.start].replace("\n", " ")
    after = text[change.start + len(change.old) : change.start + len(change.old) + 12]
    after = after.replace("\n", " ")
    where = FIELD_LABELS.get(change.field, change.field)
    if change.field in ("body", "deck", "caption"):
        where += f", line {change.line}"
    return f"{where}:  …{before}{change.old}{after}…  →  …{before}{change.new}{after}…"


def summary(changes: list[Change]) -> str:
    kinds = Counter(KINDS.get(change.new.strip(), "change") for change in changes)
    parts = ", ".join(wording.count(n, kind) for kind, n in sorted(kinds.items()))
    return f"{wording.count(len(changes), 'change')}: {parts}."


class HouseStyleDialog(QDialog):
    """Every change listed; Apply makes them all (the story is saved first, so History
    can bring the old text back)."""

    def __init__(self, changes: list[Change], texts: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("houseStyleDialog")
        self.setWindowTitle("Apply House Style")
        self.resize(640, 420)
        self.changes = changes
        intro = QLabel(
            f"{summary(changes)} Quotes, apostrophes, dashes and ellipses as the house "
            "rules have them; code, links and URLs stay as they are. The story as it is "
            "now stays in its history."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("houseStyleChanges")
        self.list.addItems([describe(c, texts[c.field]) for c in changes])
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)


def apply_in_window(window: StoryWindow) -> HouseStyleDialog | None:
    """List what the house style changes in the open story; Apply makes the changes."""
    story = window.story_in_window()
    if story is None:
        return None
    style = typography.house_style(window.desk.rules())
    changes = typography.story_changes(story, style)
    if not changes:
        window.show_message("This story already follows the house style", 5000)
        return None
    if not window.save_now():  # the story as it is now stays a revision of its own
        return None
    texts = {name: getattr(story, name) for name in typography.FIELDS}
    dialog = HouseStyleDialog(changes, texts, window.dialog_parent())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _apply(window, typography.apply_house_style(story, style)))
    dialog.open()
    return dialog


def _apply(window: StoryWindow, styled: Story) -> None:
    window.edit_story(styled)
    window.show_message("House style applied (History has the text before)", 6000)
