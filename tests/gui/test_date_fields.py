"""Dates typed on the keyboard come out as typed, or are refused visibly (issue 19)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit


def date_input(window):
    """The widget that takes the keys typed into the dateline date."""
    field = window.metadata.date
    edit = field.findChild(QLineEdit)
    return edit if edit is not None else field


def open_story(make_window, desk, **fields):
    story = desk.create(headline="Dated story", body="Body.", **fields)
    window = make_window(desk)
    window.story_list.select_story(story.id)
    return window, story


def test_a_date_typed_into_an_empty_dateline_is_that_date(qtbot, make_window, desk):
    window, story = open_story(make_window, desk)
    target = date_input(window)
    target.setFocus()
    qtbot.keyClicks(target, "2026-12-03")
    assert window.metadata.date.value() == date(2026, 12, 3)
    assert window.save_now()
    assert desk.get(story.id).dateline.date == date(2026, 12, 3)


def test_a_typed_date_replaces_the_one_shown(qtbot, make_window, desk):
    from newsdesk.domain.model import Dateline

    window, _story = open_story(make_window, desk, dateline=Dateline("Leeds", date(2025, 1, 2)))
    target = date_input(window)
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(target, "2026-12-03")
    assert window.metadata.date.value() == date(2026, 12, 3)


def test_arrow_keys_on_no_date_start_from_today(qtbot, make_window, desk):
    window, _story = open_story(make_window, desk)
    target = date_input(window)
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Down)
    qtbot.keyClick(target, Qt.Key.Key_Up)
    value = window.metadata.date.value()
    assert value is not None and abs(value - date.today()) <= timedelta(days=1)


def test_a_date_that_does_not_exist_is_marked_and_not_saved(qtbot, make_window, desk,
                                                            monkeypatch):
    from newsdesk.ui import open_story as opened

    monkeypatch.setattr(opened, "confirm_discard", lambda _w, _d: True)
    window, story = open_story(make_window, desk)
    target = date_input(window)
    target.setFocus()
    qtbot.keyClicks(target, "2026-02-30")
    assert window.metadata.date.value() is None
    assert not window.save_now()
    assert "date" in window.status.save_detail()
    assert window.metadata.date.edit.property("invalid") is True
    assert desk.get(story.id).revision == 1
    qtbot.keyClick(target, Qt.Key.Key_Backspace)
    qtbot.keyClick(target, Qt.Key.Key_Backspace)
    qtbot.keyClicks(target, "28")
    assert window.save_now()
    assert desk.get(story.id).dateline.date == date(2026, 2, 28)


@pytest.mark.parametrize(("text", "value", "ok"), [
    ("", None, True),
    ("   ", None, True),
    ("2026-12-03", date(2026, 12, 3), True),
    (" 2026-12-03 ", date(2026, 12, 3), True),
    ("2026-02-30", None, False),
    ("2026-12", None, False),
    ("03/12/2026", None, False),
    ("yesterday", None, False),
])
def test_typed_dates_are_read_strictly(text, value, ok):
    from newsdesk.ui.panes.fields import read_typed_date

    got, problem = read_typed_date(text)
    assert got == value
    assert (problem == "") == ok
