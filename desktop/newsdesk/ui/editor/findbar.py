"""The find and replace bar under the body editor (works on the rich or the source view)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QWidget,
)

TextView = QTextEdit | QPlainTextEdit


class FindBar(QWidget):
    """Find next/previous, replace, replace all, match case; Escape closes it."""

    closed = Signal()

    def __init__(self, target: Callable[[], TextView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target = target
        self.find_edit = QLineEdit(placeholderText="Find")
        self.replace_edit = QLineEdit(placeholderText="Replace with")
        self.case_box = QCheckBox("Match case")
        self.status = QLabel()
        self.status.setMinimumWidth(90)
        buttons = {}
        for name, text, tip in (
            ("previous", "Previous", "Find previous (Shift+Enter)"),
            ("next", "Next", "Find next (Enter)"),
            ("replace", "Replace", "Replace this match and find the next"),
            ("replace_all", "Replace all", "Replace every match (one undo step)"),
            ("close", "✕", "Close (Esc)"),
        ):
            button = QToolButton(text=text, toolTip=tip, autoRaise=True)
            buttons[name] = button
        buttons["previous"].clicked.connect(lambda: self.find(backward=True))
        buttons["next"].clicked.connect(lambda: self.find())
        buttons["replace"].clicked.connect(self.replace)
        buttons["replace_all"].clicked.connect(self.replace_all)
        buttons["close"].clicked.connect(self.close_bar)
        self.find_edit.returnPressed.connect(lambda: self.find())
        self.replace_edit.returnPressed.connect(self.replace)
        QShortcut(QKeySequence("Shift+Return"), self.find_edit,
                  lambda: self.find(backward=True), context=Qt.ShortcutContext.WidgetShortcut)
        self.replace_row = [self.replace_edit, buttons["replace"], buttons["replace_all"]]
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 2, 6, 2)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addWidget(buttons["previous"], 0, 1)
        grid.addWidget(buttons["next"], 0, 2)
        grid.addWidget(self.case_box, 0, 3)
        grid.addWidget(self.status, 0, 4)
        grid.addWidget(buttons["close"], 0, 5)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addWidget(buttons["replace"], 1, 1)
        grid.addWidget(buttons["replace_all"], 1, 2)
        grid.setColumnStretch(0, 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
        else:
            super().keyPressEvent(event)

    def open_bar(self, replace: bool = False) -> None:
        for widget in self.replace_row:
            widget.setVisible(replace)
        self.show()
        selected = self._target().textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_edit.setText(selected)
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.status.clear()
        self.closed.emit()

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def find(self, backward: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around; False if none."""
        needle = self.find_edit.text()
        view = self._target()
        if not needle:
            return False
        doc = view.document()
        found = doc.find(needle, view.textCursor(), self._flags(backward))
        if found.isNull():
            start = QTextCursor(doc)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = doc.find(needle, start, self._flags(backward))
        if found.isNull():
            self.status.setText("Not found")
            return False
        self.status.clear()
        view.setTextCursor(found)
        return True

    def _matches(self, cursor: QTextCursor) -> bool:
        text, needle = cursor.selectedText(), self.find_edit.text()
        if self.case_box.isChecked():
            return text == needle
        return text.casefold() == needle.casefold()

    def replace(self) -> None:
        view = self._target()
        if view.isReadOnly():
            return
        cursor = view.textCursor()
        if cursor.hasSelection() and self._matches(cursor):
            cursor.insertText(self.replace_edit.text())
        self.find()

    def replace_all(self) -> int:
        """Replace every match as one undo step; return how many were replaced."""
        view = self._target()
        needle = self.find_edit.text()
        if not needle or view.isReadOnly():
            return 0
        doc = view.document()
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        found = doc.find(needle, 0, self._flags())
        replaced = 0
        while not found.isNull():
            found.insertText(self.replace_edit.text())
            replaced += 1
            found = doc.find(needle, found, self._flags())
        edit.endEditBlock()
        self.status.setText(f"{replaced} replaced")
        return replaced
