"""Window regressions from QA: the list row after "Take Theirs", and the dateline date
picker that set today's date merely by being opened."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QTableView

from newsdesk.desk import Desk
from newsdesk.ui.dialogs import stale_save
from newsdesk.ui.jobs import autosave
from newsdesk.ui.panes.story_list_model import COLUMNS

HEADLINE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.key == "headline")


def listed_headline(window, story_id: str) -> str:
    row = window.model.row_of(story_id)
    return window.model.data(window.model.index(row, HEADLINE_COLUMN))


def test_take_theirs_shows_their_version_in_the_list_row(qtbot, make_window, desk, db_path,
                                                        monkeypatch):
    monkeypatch.setattr(stale_save, "ask", lambda *_a: stale_save.TAKE_THEIRS)
    story = desk.create(headline="Shared story", body="Body text.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    assert listed_headline(window, story.id) == "Shared story"
    with Desk.open(db_path) as rival:
        rival.save(rival.get(story.id).replace(headline="Their headline"), expected_revision=1)
    window.metadata.byline.setText("My Byline")

    assert window.save_now()
    assert window.metadata.headline.text() == "Their headline"
    assert listed_headline(window, story.id) == "Their headline"
    assert window.autosaver.state == autosave.SAVED


def open_calendar(qtbot, edit) -> None:
    """Click the drop-down arrow at the right end of the date field, as a user would."""
    click(qtbot, edit, QPoint(edit.width() - 6, edit.height() // 2))


def click(qtbot, widget, pos: QPoint) -> None:
    """A click at `pos` goes to the child widget that is there, as a real one would."""
    child = widget.childAt(pos)
    target = child if child is not None else widget
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(widget, pos))


def test_opening_the_calendar_on_an_empty_date_sets_nothing(qtbot, make_window, desk):
    story = desk.create(headline="No dateline yet", body="Body.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    edit = window.metadata.date
    assert edit.value() is None

    open_calendar(qtbot, edit)
    calendar = edit.calendarWidget()
    assert calendar.isVisible()
    assert calendar.selectedDate() == QDate.currentDate()  # it opens on today...
    assert edit.value() is None and not window.autosaver.is_dirty()  # ...but sets nothing
    qtbot.keyClick(calendar.findChild(QTableView), Qt.Key.Key_Escape)
    assert window.save_now()
    assert desk.get(story.id).dateline.date is None and desk.get(story.id).revision == 1

    # A click in the text part does not set a date either.
    click(qtbot, edit, edit.rect().center())
    assert edit.value() is None and not window.autosaver.is_dirty()

    open_calendar(qtbot, edit)  # picking today (Enter) is a real choice
    qtbot.keyClick(calendar.findChild(QTableView), Qt.Key.Key_Return)
    assert edit.value() == date.today() and window.autosaver.is_dirty()
    assert window.save_now()
    assert desk.get(story.id).dateline.date == date.today()
