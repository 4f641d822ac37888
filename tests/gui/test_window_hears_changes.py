"""The window hears about changes made elsewhere (issue 18): another process saves the
open story, and the editor shows it, or, with unsaved edits here, keeps them and says so
in a banner; the list updates the rows concerned without a reset; an idle window writes
back a write-ahead log deleted under it.

The other process is the `newsdesk` command in a subprocess, as a person or a script
would run it; before this, the editor kept the old text at the old revision and the next
save met the stale-revision dialog.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from PySide6.QtCore import Qt

from newsdesk.desk import Desk
from newsdesk.ui.dialogs import stale_save
from newsdesk.ui.jobs import autosave
from tests.cli.conftest import newsdesk_executable
from tests.gui.conftest import body_input

FIRST = "The ferry leaves at nine."
SECOND = "The ferry leaves at ten, the council said."


def newsdesk(db_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*newsdesk_executable(), "--db", str(db_path), *args],
                          capture_output=True, text=True, timeout=60)


def shown_elsewhere(db_path, slug: str) -> dict:
    result = newsdesk(db_path, "show", slug, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def saved(window) -> bool:
    return window.autosaver.state == autosave.SAVED and not window.autosaver.is_dirty()


@pytest.fixture
def two_revisions(desk: Desk):
    """A story saved twice: revision 1 says FIRST, revision 2 says SECOND."""
    story = desk.create(headline="Ferry times change", slug="ferry-times", body=FIRST)
    return desk.save(story.replace(body=SECOND), story.revision)


@pytest.fixture
def no_dialog(monkeypatch) -> list[str]:
    """The stale-save dialogs that were asked (none, when the window kept up)."""
    asked: list[str] = []

    def ask(_parent, mine, theirs):
        asked.append(f"{mine.revision}->{theirs.revision}")
        return stale_save.CANCEL

    monkeypatch.setattr(stale_save, "ask", ask)
    return asked


def test_the_editor_shows_a_save_made_by_another_process(
    qtbot, make_window, desk, db_path, two_revisions, no_dialog
):
    window = make_window(desk)
    window.open_story(two_revisions.id)
    assert window.editor.markdown() == SECOND
    # Another process brings back the text of revision 1, as revision 3.
    result = newsdesk(db_path, "revert", "ferry-times", "1")
    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: window.editor.markdown() == FIRST, timeout=5000)
    assert window.current_story().revision == 3
    assert window.metadata.revision_label.text().startswith("Revision 3 ")
    assert "Updated" in window.status.currentMessage()
    assert not window.banner.isVisible()
    # The next save is made on top of revision 3: no stale-revision dialog.
    target = body_input(window)
    target.setFocus()
    target.moveCursor(target.textCursor().MoveOperation.End)
    qtbot.keyClicks(target, " Boats are full.")
    assert window.save_now()
    assert no_dialog == []
    elsewhere = shown_elsewhere(db_path, "ferry-times")
    assert elsewhere["revision"] == 4
    assert elsewhere["body"].startswith(FIRST) and "Boats are full." in elsewhere["body"]


@pytest.fixture
def slow_autosave(monkeypatch):
    """Edits stay unsaved while the other process saves (as while someone types)."""
    monkeypatch.setattr(autosave, "AUTOSAVE_DELAY_MS", 120_000)


def _edit_then_saved_elsewhere(qtbot, make_window, desk, db_path, story):
    window = make_window(desk)
    window.open_story(story.id)
    window.metadata.byline.setText("Ann Reporter")
    target = body_input(window)
    target.setFocus()
    target.moveCursor(target.textCursor().MoveOperation.End)
    qtbot.keyClicks(target, " Typed here.")
    assert window.autosaver.is_dirty()
    assert newsdesk(db_path, "revert", "ferry-times", "1").returncode == 0
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    return window


def test_unsaved_edits_are_kept_and_a_banner_says_who_saved_when(
    qtbot, make_window, desk, db_path, two_revisions, no_dialog, slow_autosave
):
    window = _edit_then_saved_elsewhere(qtbot, make_window, desk, db_path, two_revisions)
    text = window.banner.label.text()
    assert text.startswith("Saved elsewhere at ") and "(revision 3)" in text
    assert window.editor.markdown() == SECOND + " Typed here."
    assert window.metadata.byline.text() == "Ann Reporter"
    assert window.autosaver.state == autosave.CONFLICT
    # The autosave waits for the choice: no dialog pops up meanwhile.
    window.autosaver._auto_flush()
    assert no_dialog == [] and window.autosaver.is_dirty()
    window.banner.keep_button.click()
    assert saved(window) and not window.banner.isVisible()
    elsewhere = shown_elsewhere(db_path, "ferry-times")
    assert elsewhere["revision"] == 4
    assert elsewhere["body"] == SECOND + " Typed here."
    assert elsewhere["byline"] == "Ann Reporter"
    assert no_dialog == []


def test_take_theirs_from_the_banner_shows_their_version(
    qtbot, make_window, desk, db_path, two_revisions, no_dialog, slow_autosave
):
    window = _edit_then_saved_elsewhere(qtbot, make_window, desk, db_path, two_revisions)
    window.banner.take_button.click()
    assert window.editor.markdown() == FIRST
    assert window.current_story().revision == 3
    assert saved(window) and not window.banner.isVisible()
    assert desk.get(two_revisions.id).revision == 3, "taking theirs writes nothing"


def test_compare_shows_both_versions_and_acts_on_the_choice(
    qtbot, make_window, desk, db_path, two_revisions, monkeypatch, slow_autosave
):
    compared: list[tuple[str, str]] = []

    def ask(_parent, mine, theirs):
        compared.append((mine.body, theirs.body))
        return stale_save.KEEP_MINE

    monkeypatch.setattr(stale_save, "ask", ask)
    window = _edit_then_saved_elsewhere(qtbot, make_window, desk, db_path, two_revisions)
    window.banner.compare_button.click()
    assert compared == [(SECOND + " Typed here.", FIRST)]
    assert saved(window)
    assert desk.get(two_revisions.id).body == SECOND + " Typed here."


def test_a_story_moved_to_the_trash_elsewhere_closes_or_keeps_the_edits(
    qtbot, make_window, desk, db_path, monkeypatch
):
    story = desk.create(headline="Spiked elsewhere", slug="spiked-elsewhere", body=FIRST)
    other = desk.create(headline="Still here", body=SECOND)
    window = make_window(desk)
    window.open_story(story.id)
    with Desk.open(db_path) as rival:
        rival.delete(story.id)
    qtbot.waitUntil(lambda: window.current_story() is None, timeout=5000)
    assert window.model.row_of(story.id) is None
    assert "moved to the trash elsewhere" in window.status.currentMessage()

    monkeypatch.setattr(autosave, "AUTOSAVE_DELAY_MS", 120_000)
    desk.undelete(story.id)
    window = make_window(desk)
    window.open_story(other.id)
    window.metadata.byline.setText("Kept Byline")
    with Desk.open(db_path) as rival:
        rival.delete(other.id)
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert "trash" in window.banner.label.text()
    assert not window.banner.compare_button.isVisible()
    window.banner.keep_button.click()
    assert saved(window)
    back = desk.get(other.id)
    assert back.byline == "Kept Byline"
    assert other.id in {row.id for row in desk.list_rows()}


def test_the_list_updates_the_rows_concerned_without_a_reset(
    qtbot, make_window, desk, db_path
):
    stories = [desk.create(headline=f"Story {n}") for n in range(5)]
    window = make_window(desk)
    window.open_story(stories[-1].id)
    resets: list[bool] = []
    window.model.modelReset.connect(lambda: resets.append(True))
    changed_rows: list[int] = []
    window.model.dataChanged.connect(lambda top, _bottom, _roles=(): changed_rows.append(top.row()))
    row = window.model.row_of(stories[0].id)
    with Desk.open(db_path) as rival:
        theirs = rival.get(stories[0].id)
        rival.save(theirs.replace(headline="Story zero, renamed"), theirs.revision)
    qtbot.waitUntil(lambda: bool(changed_rows), timeout=5000)
    assert window.model.row_of(stories[0].id) == row, "an edited row stays where it is"
    assert window.model.index(row, 1).data() == "Story zero, renamed"
    inserted: list[int] = []
    window.model.rowsInserted.connect(lambda _p, first, _last: inserted.append(first))
    with Desk.open(db_path) as rival:
        fresh = rival.create(headline="Filed from the command line")
    qtbot.waitUntil(lambda: window.model.row_of(fresh.id) is not None, timeout=5000)
    assert inserted == [0], "the newest story goes where the sort puts it"
    qtbot.waitUntil(lambda: window.model.total == 6, timeout=5000)
    assert resets == [], "no full reset for a change of a few stories"
    assert window.story_list.current_story_id() == stories[-1].id
    assert window.current_story().id == stories[-1].id


def test_sections_added_elsewhere_reach_the_filter_and_the_panel(
    qtbot, make_window, desk, db_path
):
    window = make_window(desk)
    with Desk.open(db_path) as rival:
        rival.add_section("Weather / Storms")
    qtbot.waitUntil(lambda: window.filter_bar.section.findData("Weather / Storms") >= 0,
                    timeout=5000)
    assert window.metadata.section.findData("Weather / Storms") >= 0


def test_an_idle_window_writes_back_a_write_ahead_log_deleted_under_it(
    qtbot, make_window, desk, db_path
):
    story = desk.create(headline="Harbour wall repaired", slug="harbour-wall", body=FIRST)
    window = make_window(desk)
    window.open_story(story.id)
    window.metadata.headline.setText("Harbour wall repaired at last")
    assert window.save_now()
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the save is in the log, not the file"
    wal.unlink()
    # Nobody touches the window: within a few seconds it notices and writes the log back.
    qtbot.wait(2500)
    assert shown_elsewhere(db_path, "harbour-wall")["headline"] == "Harbour wall repaired at last"
    # And it goes on saving into the same file as everyone else.
    window.metadata.byline.setText("Desk")
    assert window.save_now()
    assert shown_elsewhere(db_path, "harbour-wall")["byline"] == "Desk"


def test_a_database_file_removed_under_the_window_is_said_once(
    qtbot, make_window, desk, db_path
):
    window = make_window(desk)
    problems: list[str] = []
    window.events.problem.connect(problems.append)
    moved = db_path.with_name("moved.db")
    db_path.rename(moved)
    try:
        qtbot.waitUntil(lambda: bool(problems), timeout=5000)
        qtbot.wait(1500)
        assert len(problems) == 1 and "was removed" in problems[0]
        assert "was removed" in window.status.currentMessage()
    finally:
        moved.rename(db_path)


def test_own_operations_reach_the_panes_without_a_poll(qtbot, make_window, desk):
    # A body: a news story needs one before it can be submitted (story types).
    story = desk.create(headline="Council vote", body="The council voted for the plan.")
    window = make_window(desk)
    window.events.timer.stop()  # only what this window's own Desk tells
    window.open_story(story.id)
    window.new_story()
    fresh = window.current_story()
    assert window.model.row_of(fresh.id) is not None
    window.actions_["delete"].trigger()
    assert window.model.row_of(fresh.id) is None
    window.open_story(story.id)
    window.actions_["submit"].trigger()
    assert window.workflow_bar.status_label.text().startswith("In review")
    assert window.model.index(window.model.row_of(story.id), 3).data() == "In review"
    assert window.current_story().status == "in_review"
    qtbot.keyClick(window.story_list, Qt.Key.Key_Down)  # the window still answers


def test_a_job_never_makes_an_empty_database_where_the_window_s_was(qtbot, tmp_path):
    """A background job (counts, a sync, an export) opens a Desk of its own on the window's
    path: when the file was moved away meanwhile, it must not create an empty database
    there, which the window would then take for a restore and show as an empty desk."""
    from newsdesk.ui.jobs.runner import Job

    gone = tmp_path / "moved-away.db"
    results: list[object] = []
    job = Job(gone, lambda desk, _report: desk.count())
    job.finished.connect(results.append)
    job.run()  # on this thread: what the worker does
    assert len(results) == 1 and "is gone" in str(results[0])
    assert not gone.exists()
