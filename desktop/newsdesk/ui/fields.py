"""Small input widgets the metadata panel needs that Qt lacks: optional dates and tag entry."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QSignalBlocker,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

_NO_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date picker that can also hold "no date" (shown as a placeholder)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(_NO_DATE)
        # Qt shows specialValueText whenever the value sits on the minimum: our "empty".
        self.setSpecialValueText("no date")
        self.setDate(_NO_DATE)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> date | None:
        qdate = self.date()
        return None if qdate == _NO_DATE else qdate.toPython()

    def set_value(self, value: date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)

    def clear_value(self) -> None:
        self.setDate(_NO_DATE)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Opening the calendar on an empty date shows today, not 1900, but leaves the value
        # empty: only a day picked in it (click, or Enter) or a typed date sets one. With
        # its signals blocked, the calendar does not pass the selection on to this field.
        if (event.type() == QEvent.Type.Show and watched is self.calendarWidget()
                and self.date() == _NO_DATE):
            with QSignalBlocker(self.calendarWidget()):
                self.calendarWidget().setSelectedDate(QDate.currentDate())
        return super().eventFilter(watched, event)


class OptionalDateTimeEdit(QWidget):
    """A check box that turns a local date-time on or off; the value is aware (UTC)."""

    changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox(label, self)
        self.edit = QDateTimeEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.edit.setEnabled(False)
        self.edit.setDateTime(_next_hour())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(self.changed)
        self.edit.dateTimeChanged.connect(self.changed)

    def value(self) -> datetime | None:
        if not self.check.isChecked():
            return None
        return datetime.fromtimestamp(self.edit.dateTime().toSecsSinceEpoch(), UTC)

    def set_value(self, value: datetime | None) -> None:
        self.check.setChecked(value is not None)
        self.edit.setDateTime(
            QDateTime.fromSecsSinceEpoch(int(value.timestamp())) if value else _next_hour()
        )


def _next_hour() -> QDateTime:
    now = QDateTime.currentDateTime()
    return now.addSecs(3600 - now.time().minute() * 60 - now.time().second())


class TagsEdit(QLineEdit):
    """Comma-separated tags with completion of the word being typed from known tags."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("tag, another tag")
        self._known = QStringListModel(self)
        self._completer = QCompleter(self._known, self)
        self._completer.setWidget(self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated.connect(self.insert_completion)
        self.textEdited.connect(self._complete)

    def completer_model(self) -> QStringListModel:
        return self._known

    def set_known_tags(self, tags: list[str]) -> None:
        self._known.setStringList(tags)

    def tags(self) -> list[str]:
        return [t.strip() for t in self.text().split(",") if t.strip()]

    def _token_bounds(self) -> tuple[int, int]:
        text, cursor = self.text(), self.cursorPosition()
        start = text.rfind(",", 0, cursor) + 1
        end = text.find(",", cursor)
        return start, len(text) if end < 0 else end

    def _complete(self) -> None:
        start, end = self._token_bounds()
        prefix = self.text()[start:end].strip()
        taken = {t.casefold() for t in self.tags()} - {prefix.casefold()}
        if not prefix:
            self._completer.popup().hide()
            return
        self._completer.setCompletionPrefix(prefix)
        first = self._completer.currentCompletion()
        if not first or first.casefold() in taken:
            self._completer.popup().hide()
            return
        self._completer.complete()

    def insert_completion(self, completion: str) -> None:
        start, end = self._token_bounds()
        text = self.text()
        head = text[:start].rstrip()
        tail = text[end:].lstrip(", ")
        new = f"{head} {completion}, " if head else f"{completion}, "
        self.setText(new + tail)
        self.setCursorPosition(len(new))
