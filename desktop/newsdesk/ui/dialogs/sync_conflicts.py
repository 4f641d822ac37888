"""The sync conflict resolver: both versions side by side, pick a side or edit a result.

Each open conflict shows this laptop's version and the other side's as the whole story
file (front matter and body), what clashes (fields, body paragraphs), and a result to
edit, filled with the merge of both sides taking this laptop's words for the clashes.
"Take Mine/Theirs for Clashes" put that merge in the result with one side for the
clashes only; "Keep Mine/Theirs Whole" put one side entire (the other side's changes are
dropped, and the buttons say so). "Resolve" keeps the result; the next sync sends it out.
When a side deleted the story, the deletion stands unless "Bring the story back" is
ticked, which brings it back on every laptop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.formats.markdown import dumps, loads
from newsdesk.sync import Conflict
from newsdesk.sync.merge import Side


def _text_view(read_only: bool) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(read_only)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    view.setFont(font)
    return view


class ConflictResolver(QDialog):
    resolved = Signal(object)  # the Story kept

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Sync Conflicts")
        self.setObjectName("conflictResolver")
        self.desk = desk
        self.stories = QListWidget()
        self.stories.currentItemChanged.connect(self._show)
        self.fields = QLabel()
        self.fields.setWordWrap(True)
        self.mine = _text_view(read_only=True)
        self.theirs = _text_view(read_only=True)
        self.result = _text_view(read_only=False)
        sides = QSplitter(Qt.Orientation.Horizontal)
        for title, view in (("This laptop", self.mine), ("Other side", self.theirs)):
            sides.addWidget(_titled(title, view))
        body = QSplitter(Qt.Orientation.Vertical)
        body.addWidget(sides)
        body.addWidget(_titled("Result (edit freely; this is what is kept)", self.result))
        self.undelete = QCheckBox(
            "Bring the story back (undelete it here and on every laptop); "
            "otherwise the deletion stands"
        )
        self.undelete.setObjectName("conflictUndelete")
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        buttons = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole.ActionRole
        self.take_mine = buttons.addButton("Take Mine for Clashes", role)
        self.take_theirs = buttons.addButton("Take Theirs for Clashes", role)
        self.whole_mine = buttons.addButton("Keep Mine Whole", role)
        self.whole_theirs = buttons.addButton("Keep Theirs Whole", role)
        self.take_mine.setToolTip("Everything that merged cleanly, and my words where we clash")
        self.take_theirs.setToolTip(
            "Everything that merged cleanly, and their words where we clash"
        )
        self.whole_mine.setToolTip("My version entire: their changes are dropped")
        self.whole_theirs.setToolTip("Their version entire: my changes are dropped")
        self.resolve_button = buttons.addButton("Resolve", QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.take_mine.clicked.connect(lambda: self._propose("local", whole=False))
        self.take_theirs.clicked.connect(lambda: self._propose("remote", whole=False))
        self.whole_mine.clicked.connect(lambda: self._propose("local", whole=True))
        self.whole_theirs.clicked.connect(lambda: self._propose("remote", whole=True))
        self.resolve_button.clicked.connect(self.resolve)
        close.clicked.connect(self.reject)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.fields)
        right_layout.addWidget(body, 1)
        right_layout.addWidget(self.undelete)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.stories)
        main.addWidget(right)
        main.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(main, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self.reload()

    def reload(self) -> None:
        self.stories.clear()
        seen: set[str] = set()
        for conflict in self.desk.conflicts():
            if conflict.story_id in seen:
                continue
            seen.add(conflict.story_id)
            clashes = [c.label for c in self.desk.conflict_clashes(conflict)]
            item = QListWidgetItem(
                f"{conflict.local.slug}\n{', '.join(clashes or conflict.fields)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, conflict.story_id)
            self.stories.addItem(item)
        if self.stories.count():
            self.stories.setCurrentRow(0)
        else:
            self._show(None)

    def _show(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        for button in self._choices():
            button.setEnabled(item is not None)
        self.undelete.setChecked(False)
        if item is None:
            self.fields.setText("No open sync conflicts.")
            self.undelete.setVisible(False)
            for view in (self.mine, self.theirs, self.result):
                view.clear()
            return
        story_id = item.data(Qt.ItemDataRole.UserRole)
        conflict = self.desk.conflicts(story_id)[-1]
        clashes = ", ".join(c.label for c in self.desk.conflict_clashes(conflict))
        current = self._current(story_id)
        deleted = self._deletion(conflict)
        self.fields.setText(
            f"Both sides changed: {clashes or ', '.join(conflict.fields)} (file {conflict.path})"
            + (f". {deleted}" if deleted else "")
        )
        self.undelete.setVisible(bool(deleted))
        self.mine.setPlainText(dumps(current or conflict.local))
        self.theirs.setPlainText(dumps(conflict.remote))
        self._propose("local", whole=False)

    def _choices(self) -> list[QPushButton]:
        return [self.take_mine, self.take_theirs, self.whole_mine, self.whole_theirs,
                self.resolve_button]

    def _deletion(self, conflict: Conflict) -> str:
        """Which side deleted the story, in words ("" when neither did)."""
        here, there = self.desk.conflict_deletions(conflict)
        if here and there:
            return "Both sides deleted the story"
        if here or there:
            return f"The story was deleted {'on this laptop' if here else 'on the other side'}"
        return ""

    def _propose(self, side: Side, *, whole: bool) -> None:
        """Fill the result with what resolving this way would keep."""
        item = self.stories.currentItem()
        if item is None:
            return
        story_id = item.data(Qt.ItemDataRole.UserRole)
        story = self.desk.conflict_proposal(story_id, side, whole=whole)
        self.result.setPlainText(dumps(story))
        mine, theirs = ("mine", "theirs") if side == "local" else ("theirs", "mine")
        self.outcome.setText(
            f"Result: {mine} whole; {theirs} changes dropped (they stay in the history)."
            if whole
            else f"Result: everything that merged cleanly, and {mine} where we clash."
        )

    def _current(self, story_id: str) -> Story | None:
        try:
            return self.desk.get(story_id)
        except NewsdeskError:
            return None

    def resolve(self) -> Story | None:
        item = self.stories.currentItem()
        if item is None:
            return None
        story_id = item.data(Qt.ItemDataRole.UserRole)
        undelete = self.undelete.isVisibleTo(self) and self.undelete.isChecked()
        try:
            chosen = loads(self.result.toPlainText(), "result")
            if chosen.id != story_id:
                raise NewsdeskError("the result must keep the story's id")
            done = self.desk.resolve_conflict(story_id, chosen, undelete=undelete)
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Resolve conflict", str(exc))
            return None
        self.resolved.emit(done.story)
        self.reload()
        if done.deleted:
            self.outcome.setText(
                f"{done.story.slug}: resolved; the deletion stands (in the trash here, and "
                "on every laptop once synced)."
            )
        elif done.undeleted:
            self.outcome.setText(
                f"{done.story.slug}: resolved and undeleted; it comes back on every laptop "
                "once synced."
            )
        else:
            self.outcome.setText(f"{done.story.slug}: resolved; sync to send it out.")
        return done.story


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    header = QHBoxLayout()
    header.addWidget(QLabel(f"<b>{title}</b>"))
    layout.addLayout(header)
    layout.addWidget(widget, 1)
    return box
