"""The agency-update banner (ui/features/wire_update.py): a draft taken from the wire shows
"agency update available" when a newer version arrives, its paragraph diff, and merges in
one click; another process reads the merged story (issue 22)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from newsdesk.ui.features.wire_ingest import ingest_job
from newsdesk.ui.features.wire_update import AgencyUpdateBanner
from tests.cli.conftest import newsdesk_executable

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples" / "wire"


def shown_elsewhere(db_path: Path, ref: str) -> dict:
    result = subprocess.run(
        [*newsdesk_executable(), "--db", str(db_path), "show", ref, "--json"],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture
def taken(desk):
    """The tram story taken from the wire and edited by the desk since."""
    desk.wire.ingest_paths([SAMPLES / "newsml-g2-newsitem.xml"])
    (row,) = desk.wire.rows()
    story = desk.wire.take(row.guid)
    return desk.save(story.replace(body=story.body.replace("Builders", "Crews", 1)),
                     story.revision)


def test_an_agency_update_shows_above_the_draft_and_merges_in_one_click(
        desk, taken, make_window, qtbot, db_path):
    window = make_window(desk)
    window.open_story(taken.id)
    banner = window.findChild(AgencyUpdateBanner)
    assert banner is not None and not banner.isVisible()  # up to date with the agency

    # The newer version comes in as a job on the window's runner: the banner hears it.
    window.jobs.start(ingest_job(desk.path, [SAMPLES / "newsml-g2-newsitem-v4.xml"]))
    qtbot.waitUntil(banner.isVisible, timeout=20_000)
    assert banner.label.text() == (
        "Agency update available: v4 from Northwind Press Agency, 2026-03-09 11:20")
    banner.changes_button.click()
    assert banner.diff.isVisible()
    assert "+ paragraph 7: Mayor Ruth Adeyemi" in banner.diff.toPlainText()
    assert shown_elsewhere(db_path, taken.id)["agency_update"]["version"] == 4

    qtbot.mouseClick(banner.merge_button, qtbot_left())
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    stored = shown_elsewhere(db_path, taken.id)
    assert "Crews finished" in stored["body"] and "Mayor Ruth Adeyemi" in stored["body"]
    assert stored["agency_update"] is None and stored["revision"] == taken.revision + 1
    shown = window.story_in_window()
    assert shown is not None and shown.body == stored["body"]  # the editor reloaded it
    assert window.current_story().revision == stored["revision"]


def test_an_update_ingested_by_another_process_shows_and_a_merge_there_hides_it(
        desk, taken, make_window, qtbot, db_path):
    window = make_window(desk)
    window.open_story(taken.id)
    banner = window.findChild(AgencyUpdateBanner)
    assert banner is not None and not banner.isVisible()
    run_newsdesk(db_path, "ingest", str(SAMPLES / "newsml-g2-newsitem-v4.xml"))
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert banner.label.text().startswith("Agency update available: v4 from Northwind")
    run_newsdesk(db_path, "wire", "merge", taken.id)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: "Mayor Ruth Adeyemi" in window.story_in_window().body,
                    timeout=10_000)  # the editor hears the merge through the change feed


def run_newsdesk(db_path: Path, *args: str) -> None:
    subprocess.run([*newsdesk_executable(), "--db", str(db_path), *args],
                   capture_output=True, text=True, timeout=60, check=True)


def test_a_story_not_taken_from_the_wire_never_reads_the_queue(desk, make_window):
    story = desk.create(headline="Council meets", body="Staff copy.")
    window = make_window(desk)
    window.open_story(story.id)
    banner = window.findChild(AgencyUpdateBanner)
    assert banner is not None and not banner.isVisible() and banner.pending is None


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_unsaved_edits_that_clash_are_saved_then_asked_about_never_overwritten(
        desk, make_window, qtbot, db_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from newsdesk.ui.features import wire as wire_view
    from tests.gui.conftest import body_input
    from tests.unit.wire_helpers import BODY, item

    desk.wire.receive([item("urn:a")])
    story = desk.wire.take("urn:a")
    window = make_window(desk)
    window.open_story(story.id)
    banner = window.findChild(AgencyUpdateBanner)
    desk.wire.receive([item("urn:a", 2, body=BODY.replace("Fares stay the same.",
                                                          "Fares rise by a tenth."))])
    qtbot.waitUntil(banner.isVisible, timeout=10_000)
    assert banner.merge_button.text() == "Merge"  # nothing clashes yet
    # The user edits the same paragraph and clicks Merge before autosave runs.
    target = body_input(window)
    target.setFocus()
    target.moveCursor(target.textCursor().MoveOperation.End)
    qtbot.keyClicks(target, " Children ride free.")
    asked: list[str] = []

    def keep_desk(dialog) -> QDialog.DialogCode:
        asked.append(dialog.findChild(wire_view.QPlainTextEdit).toPlainText())
        dialog._choose("desk")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(wire_view.UpdateDialog, "exec", keep_desk)
    banner.merge_button.click()
    assert len(asked) == 1 and "clash in body (paragraph 3)" in asked[0]
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    stored = shown_elsewhere(db_path, story.id)
    assert stored["body"].endswith("Fares stay the same. Children ride free.")
    assert stored["agency_update"] is None
