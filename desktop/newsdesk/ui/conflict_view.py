"""The sync conflict resolver: both versions side by side, pick one or edit a result.

Each open conflict shows this laptop's version and the other side's as the whole story
file (front matter and body), the fields that clash, and a result to edit, filled with
this laptop's version. "Use mine" / "Use theirs" copy a side into the result; "Resolve"
keeps the result. The next sync sends it out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from newsdesk.desk import Desk
from newsdesk.formats.markdown import dumps, loads
from newsdesk.model import NewsdeskError, Story


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
        buttons = QDialogButtonBox()
        use_mine = buttons.addButton("Use Mine", QDialogButtonBox.ButtonRole.ActionRole)
        use_theirs = buttons.addButton("Use Theirs", QDialogButtonBox.ButtonRole.ActionRole)
        self.resolve_button = buttons.addButton("Resolve", QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        use_mine.clicked.connect(lambda: self.result.setPlainText(self.mine.toPlainText()))
        use_theirs.clicked.connect(lambda: self.result.setPlainText(self.theirs.toPlainText()))
        self.resolve_button.clicked.connect(self.resolve)
        close.clicked.connect(self.reject)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.fields)
        right_layout.addWidget(body, 1)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.stories)
        main.addWidget(right)
        main.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(main, 1)
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
            item = QListWidgetItem(f"{conflict.local.slug}\n{', '.join(conflict.fields)}")
            item.setData(Qt.ItemDataRole.UserRole, conflict.story_id)
            self.stories.addItem(item)
        if self.stories.count():
            self.stories.setCurrentRow(0)
        else:
            self._show(None)

    def _show(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.resolve_button.setEnabled(item is not None)
        if item is None:
            self.fields.setText("No open sync conflicts.")
            for view in (self.mine, self.theirs, self.result):
                view.clear()
            return
        conflict = self.desk.conflicts(item.data(Qt.ItemDataRole.UserRole))[-1]
        self.fields.setText(
            f"Both sides changed: {', '.join(conflict.fields)} (file {conflict.path})"
        )
        mine = dumps(self._current(conflict.story_id) or conflict.local)
        self.mine.setPlainText(mine)
        self.theirs.setPlainText(dumps(conflict.remote))
        self.result.setPlainText(mine)

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
        try:
            chosen = loads(self.result.toPlainText(), "result")
            if chosen.id != story_id:
                raise NewsdeskError("the result must keep the story's id")
            story = self.desk.resolve_conflict(story_id, chosen)
        except NewsdeskError as exc:
            QMessageBox.warning(self, "Resolve conflict", str(exc))
            return None
        self.resolved.emit(story)
        self.reload()
        return story


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    header = QHBoxLayout()
    header.addWidget(QLabel(f"<b>{title}</b>"))
    layout.addLayout(header)
    layout.addWidget(widget, 1)
    return box
