"""The Sync action: the dialog runs a pass in the background, and conflicts get resolved."""

from __future__ import annotations

from pathlib import Path

from newsdesk.desk import Desk
from newsdesk.formats.markdown import loads
from newsdesk.ui.dialogs.sync import SyncOutcome
from newsdesk.ui.dialogs.sync_conflicts import ConflictResolver

BODY = "The ferry leaves at nine.\n\nTickets cost two coins.\n"


def run_sync(qtbot, window, folder: Path) -> SyncOutcome:
    dialog = window.sync_tools.open_dialog()
    dialog.folder_edit.setText(str(folder))
    with qtbot.waitSignal(dialog.synced, timeout=30_000) as blocker:
        dialog.sync_button.click()
    return blocker.args[0]


def test_sync_action_is_in_the_file_menu_and_syncs(qtbot, make_window, desk, tmp_path):
    desk.create(headline="Ferry times change", body=BODY)
    window = make_window(desk)
    file_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File"
    )
    assert window.sync_tools.sync_action in file_menu.actions()
    outcome = run_sync(qtbot, window, tmp_path / "shared")
    assert outcome.error == "" and outcome.report is not None
    assert outcome.report.counts() == {"exported": 1}
    assert "1 exported" in window.sync_tools.dialog.summary.toPlainText()
    assert len(list((tmp_path / "shared" / "stories").rglob("*.md"))) == 1


def test_conflict_is_shown_side_by_side_and_resolved(qtbot, make_window, desk, tmp_path):
    folder = tmp_path / "shared"
    story = desk.create(headline="Ferry times change", body=BODY)
    desk.sync(folder)
    with Desk.open(tmp_path / "other.db") as other:
        other.sync(folder)
        theirs = other.get(story.id)
        other.save(theirs.replace(body=BODY.replace("nine", "ten")), theirs.revision)
        other.sync(folder)
    mine = desk.get(story.id)
    desk.save(mine.replace(body=BODY.replace("nine", "eight")), mine.revision)
    window = make_window(desk)
    outcome = run_sync(qtbot, window, folder)
    assert outcome.report is not None and outcome.report.of("conflict")
    assert window.sync_tools.dialog.conflicts_button.isVisibleTo(window.sync_tools.dialog)
    resolver = window.sync_tools.open_conflicts()
    qtbot.addWidget(resolver)
    assert isinstance(resolver, ConflictResolver)
    assert "eight" in resolver.mine.toPlainText() and "ten" in resolver.theirs.toPlainText()
    resolver.result.setPlainText(resolver.mine.toPlainText().replace("eight", "eight or ten"))
    kept = resolver.resolve()
    assert kept is not None and "eight or ten" in kept.body
    assert not desk.has_conflict(story.id)
    assert resolver.stories.count() == 0
    run_sync(qtbot, window, folder)
    (path,) = (folder / "stories").rglob("*.md")
    assert "eight or ten" in loads(path.read_text(encoding="utf-8")).body
