"""Small input widgets the metadata panel needs that Qt lacks: optional dates and tag entry."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QCompleter,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

DATE_FORMAT_HINT = "YYYY-MM-DD"


def read_typed_date(text: str) -> tuple[date | None, str]:
    """A date as typed: (the date, "") for an ISO date, (None, "") for nothing, and
    (None, why) for anything else, so a half-typed or impossible date is never taken for
    another one."""
    text = text.strip()
    if not text:
        return None, ""
    if not _ISO_DATE_RE.match(text):
        return None, f"{text!r} is not a date; type it as {DATE_FORMAT_HINT}"
    try:
        return date.fromisoformat(text), ""
    except ValueError:
        return None, f"{text!r} is not a date (no such day)"


_ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class OptionalDateEdit(QWidget):
    """A date typed as YYYY-MM-DD or picked in a calendar, or no date (empty).

    A line edit, not a QDateEdit: that one's sections took "2026-12-03" typed over
    "no date" for 2026-01-12, and stepped "no date" to 1901. Up and Down step a day (from
    today on an empty field); what does not read as a date is marked and never saved.
    """

    dateChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("no date")
        self.edit.setToolTip(f"Dateline date, {DATE_FORMAT_HINT}; Up and Down step a day")
        self.edit.installEventFilter(self)
        # Room for a whole date, never "no d…".
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("2026-12-31") + 14)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setToolTip("Pick the date in a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._calendar = QCalendarWidget()
        self._calendar.setWindowFlags(Qt.WindowType.Popup)
        self._calendar.setGridVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self._value: date | None = None
        self.edit.textChanged.connect(self._typed)
        self.button.clicked.connect(self.show_calendar)
        self._calendar.activated.connect(self._picked)
        self._calendar.clicked.connect(self._picked)

    def value(self) -> date | None:
        return self._value

    def problem(self) -> str:
        """Why the text typed is not a date ("" when it is one, or empty)."""
        return read_typed_date(self.edit.text())[1]

    def set_value(self, value: date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")

    def clear_value(self) -> None:
        self.set_value(None)

    def calendarWidget(self) -> QCalendarWidget:
        return self._calendar

    def show_calendar(self) -> None:
        # An empty date opens the calendar on today but leaves the value empty: only a
        # day picked in it (click, or Enter) or a typed date sets one.
        self._calendar.setSelectedDate(_qdate(self._value or date.today()))
        self._calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._calendar.show()
        self._calendar.setFocus()

    def _picked(self, picked: QDate) -> None:
        self._calendar.hide()
        self.set_value(picked.toPython())
        self.edit.setFocus()

    def _typed(self, text: str) -> None:
        value, problem = read_typed_date(text)
        self.edit.setProperty("invalid", bool(problem))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        if value != self._value or problem:
            self._value = value
            self.dateChanged.emit()

    def step(self, days: int) -> None:
        """A day on (or back): from today when the field is empty."""
        value, problem = read_typed_date(self.edit.text())
        if problem:
            return
        self.set_value(date.today() if value is None else value + timedelta(days=days))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.step(1 if key == Qt.Key.Key_Up else -1)
                return True
            if key == Qt.Key.Key_F4 or (
                key == Qt.Key.Key_Down
                and event.modifiers() & Qt.KeyboardModifier.AltModifier  # type: ignore[attr-defined]
            ):
                self.show_calendar()
                return True
        return super().eventFilter(watched, event)


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


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
