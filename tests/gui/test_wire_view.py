"""The Wire view (ui/features/wire.py): the queue's columns, Take, an agency update merged,
a background ingest with the window free, and the watched-folder setting."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from newsdesk.ui.features import wire as wire_view
from newsdesk.ui.features.wire import WireDialog
from newsdesk.ui.features.wire_ingest import FolderWatcher
from newsdesk.ui.settings import open_settings
from tests.cli.conftest import newsdesk_executable

TRAM = "Tram line to the old docks opens a year early"
SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples" / "wire"


@pytest.fixture(autouse=True)
def _forget_the_watched_folder():
    """The window's settings file is the test's own (NEWSDESK_CONFIG_DIR); leave nothing in
    it for a later window of the same test."""
    yield
    open_settings().remove("wire")


def open_view(window) -> WireDialog:
    window.actions_["wire_queue"].trigger()
    (dialog,) = [d for d in window.findChildren(WireDialog) if d.isVisible()]
    return dialog


def cells(dialog: WireDialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in range(table.columnCount()))
            for r in range(table.rowCount())]


def state(dialog: WireDialog, headline: str) -> str:
    return next(cell[5] for cell in cells(dialog) if cell[4] == headline)


def select(dialog: WireDialog, headline: str) -> None:
    row = next(n for n, cell in enumerate(cells(dialog)) if cell[4] == headline)
    dialog.table.selectRow(row)


def test_the_view_lists_takes_and_merges_an_agency_update(desk, make_window, qtbot,
                                                          monkeypatch):
    wire = desk.wire
    wire.ingest_paths([SAMPLES / "newsml-g2-newsitem.xml", SAMPLES / "nitf-3.6.xml"])
    window = make_window(desk)
    dialog = open_view(window)
    assert cells(dialog) == [
        ("2", "2026-03-11 07:15", "5", "MRW", "Library's night reading room draws students", ""),
        ("1", "2026-03-09 10:42", "4", "Northwind Press Agency",
         TRAM, ""),
    ]
    select(dialog, TRAM)
    assert not dialog.update_button.isEnabled()
    qtbot.mouseClick(dialog.take_button, wire_view.Qt.MouseButton.LeftButton)
    story = desk.find("harbour-tram-docks")
    assert (story.editor, window.current_story().id) == (desk.actor, story.id)
    assert state(dialog, TRAM) == "taken"
    desk.save(story.replace(body=story.body.replace("Builders", "Crews", 1)), story.revision)

    wire.ingest_paths([SAMPLES / "newsml-g2-newsitem-v4.xml"])  # the view hears it: no reload
    select(dialog, TRAM)
    assert dialog.selected().state == "updated"
    assert state(dialog, TRAM) == "taken · agency update available"
    shown = []

    def accept(update_dialog) -> QDialog.DialogCode:
        shown.append(update_dialog.findChild(wire_view.QPlainTextEdit).toPlainText())
        update_dialog._choose(None)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(wire_view.UpdateDialog, "exec", accept)
    dialog.update_button.click()
    assert "+ paragraph 7: Mayor Ruth Adeyemi" in shown[0]
    body = desk.get(story.id).body
    assert "Crews finished" in body and "Mayor Ruth Adeyemi" in body
    assert state(dialog, TRAM) == "taken"
    dialog.close()


def test_a_background_ingest_and_a_watched_folder(desk, make_window, qtbot, tmp_path):
    window = make_window(desk)
    dialog = open_view(window)
    ingest = dialog.ingest([SAMPLES / "ninjs-2.2.json", SAMPLES / "ninjs-1.4.json"],
                           quiet=True)
    qtbot.waitUntil(lambda: not ingest.running() and not dialog.ingests, timeout=20_000)
    assert window.jobs.running == []  # on the window's one runner
    assert [c[3] for c in cells(dialog)] == ["Coastline News Service"] * 2

    drop = tmp_path / "drop"
    drop.mkdir()
    dialog.set_watch_folder(drop)
    dialog.watch_box.setChecked(True)
    watcher = dialog.watcher
    assert watcher.parent() is window  # the window's: it goes on when the view closes
    dialog.close()
    shutil.copy(SAMPLES / "nitf-3.6.xml", drop)
    qtbot.waitUntil(lambda: (drop / ".done" / "nitf-3.6.xml").exists(), timeout=20_000)
    assert len(desk.wire.rows()) == 3
    dialog = open_view(window)
    assert dialog.watch_box.isChecked()
    dialog.watch_box.setChecked(False)
    assert not watcher.active
    dialog.close()


def test_the_open_view_hears_an_ingest_by_another_process(desk, make_window, qtbot):
    """`newsdesk ingest` in another process (a script, a colleague's watch on the same
    file) fills the open Wire view within the window's poll, with no reload by hand."""
    window = make_window(desk)
    dialog = open_view(window)
    assert cells(dialog) == []
    done = subprocess.run(
        [*newsdesk_executable(), "--db", str(desk.path), "ingest", str(SAMPLES / "nitf-3.6.xml")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: len(cells(dialog)) == 1, timeout=10_000)
    dialog.close()


def test_the_watch_resumes_when_the_window_opens_again(desk, make_window, qtbot, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    window = make_window(desk)
    dialog = open_view(window)
    dialog.set_watch_folder(drop)
    dialog.watch_box.setChecked(True)
    window.close()
    assert not dialog.watcher.active
    again = make_window(desk)
    shutil.copy(SAMPLES / "ninjs-2.2.json", drop)
    qtbot.waitUntil(lambda: (drop / ".done" / "ninjs-2.2.json").exists(), timeout=20_000)
    again.findChild(FolderWatcher).set_on(False)
