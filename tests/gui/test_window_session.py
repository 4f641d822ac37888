"""A user's whole session in the real window, checked from another process.

Issue 15: after a search in the window (Ctrl+Shift+F, type, clear), every later save
showed "Saved" and never reached the database. Each test here plays a session by keys
and clicks and then asks a separate `newsdesk show` process what is on disk; finally it
quits, reopens, and finds everything again.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from newsdesk.desk import Desk
from newsdesk.domain.model import Story
from newsdesk.identity.profile import Profile
from newsdesk.ui.jobs import autosave
from tests.cli.conftest import newsdesk_executable
from tests.gui.conftest import body_input


def shown_elsewhere(db_path, slug: str) -> dict:
    """The story as a separate process reads it from the file."""
    result = subprocess.run(
        [*newsdesk_executable(), "--db", str(db_path), "show", slug, "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(result.stdout)


def saved(window) -> bool:
    return window.autosaver.state == autosave.SAVED and not window.autosaver.is_dirty()


def type_into_body(qtbot, window, text: str) -> None:
    target = body_input(window)
    target.setFocus()
    target.moveCursor(target.textCursor().MoveOperation.End)
    qtbot.keyClicks(target, text)
    qtbot.waitUntil(lambda: saved(window), timeout=5000)
    assert "Saved" in window.status.save_text()


def active(qtbot, window):
    """The window as a person has it: shown, active, with keyboard focus inside."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    return window


def search_and_clear(qtbot, window, text: str) -> None:
    """Ctrl+Shift+F, type, wait for the list, then clear the box as a person does."""
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    box = window.filter_bar.search
    assert QApplication.focusWidget() is box
    qtbot.keyClicks(box, text)
    qtbot.waitUntil(lambda: window.model.filters().get("query") == text, timeout=3000)
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not window.model.filters().get("query"), timeout=3000)


@pytest.fixture
def filled_desk(db_path):
    with Desk.open(db_path) as desk:
        desk.store.insert_many(
            Story(headline=f"Council story {n:03d}", slug=f"council-story-{n:03d}",
                  body=f"Paragraph about the harbour number {n}.")
            for n in range(450)
        )
        yield desk


def test_saves_after_search_filter_sort_and_submit_reach_the_file(
    qtbot, make_window, filled_desk, db_path
):
    window = active(qtbot, make_window(filled_desk))
    search_and_clear(qtbot, window, "harbour")

    window.story_list.select_story(filled_desk.find("council-story-007").id)
    type_into_body(qtbot, window, " First words after the search.")
    assert "First words after the search." in shown_elsewhere(db_path, "council-story-007")["body"]

    # A status filter, a sort by a header click, a submit, the dashboard and history.
    window.filter_bar.status.setCurrentIndex(window.filter_bar.status.findData("draft"))
    header = window.story_list.horizontalHeader()
    sort_before = window.model.sort_key()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_point(header, 1))
    assert window.model.sort_key() != sort_before
    search_and_clear(qtbot, window, "story 00")
    window.story_list.select_story(filled_desk.find("council-story-008").id)
    window.actions_["submit"].trigger()
    assert shown_elsewhere(db_path, "council-story-008")["status"] == "in_review"
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.AltModifier)  # the desk dashboard
    window.actions_["history"].trigger()
    for dialog in QApplication.topLevelWidgets():
        if dialog is not window and dialog.isVisible() and dialog.isWindow():
            dialog.close()
    window.story_list.select_story(filled_desk.find("council-story-009").id)
    type_into_body(qtbot, window, " Second words after submit.")
    assert "Second words after submit." in shown_elsewhere(db_path, "council-story-009")["body"]

    window.close()
    with Desk.open(db_path) as again:
        assert "First words after the search." in again.find("council-story-007").body
        assert again.find("council-story-008").status == "in_review"
        assert "Second words after submit." in again.find("council-story-009").body


def test_a_story_past_the_first_page_saves_after_a_search(
    qtbot, make_window, filled_desk, db_path
):
    window = active(qtbot, make_window(filled_desk))
    search_and_clear(qtbot, window, "council")
    view = window.story_list
    view.setFocus()
    while window.model.canFetchMore():  # scrolling to the end fetches every page
        view.scrollToBottom()
        qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        QApplication.processEvents()
    assert window.model.rowCount() == 450
    last = window.model.story_id(window.model.rowCount() - 1)
    view.select_story(last)
    slug = filled_desk.get(last).slug
    type_into_body(qtbot, window, " Words far down the list.")
    assert "Words far down the list." in shown_elsewhere(db_path, slug)["body"]
    window.close()
    with Desk.open(db_path) as again:
        assert "Words far down the list." in again.get(last).body


def test_a_desk_chief_approval_after_a_search_reaches_the_file(
    qtbot, make_window, db_path, monkeypatch
):
    # Two people, two profiles (and so two keys): the writer submits, the chief approves.
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(db_path.parent / "writer"))
    with Desk.open(db_path) as desk:
        story = desk.create(headline="Harbour wall", body="Repairs finished.")
        desk.transition(story.id, "submit")
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(db_path.parent / "chief"))
    Profile.load().updated(name="Cy Chief", role="desk_chief").save()
    with Desk.open(db_path) as desk:
        window = active(qtbot, make_window(desk))
        search_and_clear(qtbot, window, "harbour")
        window.story_list.select_story(story.id)
        window.actions_["approve"].trigger()
        assert shown_elsewhere(db_path, story.slug)["status"] == "approved"
        window.close()


def _section_point(header, section: int):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
                  header.height() // 2)
