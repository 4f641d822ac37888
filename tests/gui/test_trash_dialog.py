"""File › Trash…: Delete Forever… removes a story for good only after the user confirms,
and the list hears of it. Checked from another process: the `newsdesk trash` command."""

from __future__ import annotations

import json
import subprocess

from newsdesk.ui.dialogs import trash as trash_dialog
from newsdesk.ui.dialogs.trash import TrashDialog
from tests.cli.conftest import newsdesk_executable


def trash_elsewhere(db_path) -> list[str]:
    result = subprocess.run([*newsdesk_executable(), "--db", str(db_path), "trash", "--json"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [row["slug"] for row in json.loads(result.stdout)]


def test_delete_forever_asks_first_and_then_removes_the_story_for_good(
    qtbot, make_window, desk, db_path, monkeypatch
):
    spiked = desk.create(headline="Spiked copy", slug="spiked-copy", body="Not to run.")
    kept = desk.create(headline="Kept in the trash", slug="kept-in-trash")
    desk.delete(spiked.id)
    desk.delete(kept.id)
    window = make_window(desk)
    dialog = TrashDialog(desk, window)
    qtbot.addWidget(dialog)
    asked: list[list[str]] = []
    answer = [False]

    def confirm(_parent, headlines):
        asked.append(list(headlines))
        return answer[0]

    monkeypatch.setattr(trash_dialog, "confirm_purge", confirm)
    row = next(n for n in range(dialog.list.count())
               if dialog.list.item(n).text().startswith("Spiked copy"))
    dialog.list.setCurrentRow(row)
    assert dialog.purge_button.text() == "Delete Forever…" and dialog.purge_button.isEnabled()
    dialog.purge_button.click()  # the user says no: nothing goes
    assert asked == [["Spiked copy"]]
    assert sorted(trash_elsewhere(db_path)) == ["kept-in-trash", "spiked-copy"]

    answer[0] = True
    dialog.list.setCurrentRow(row)
    dialog.purge_button.click()
    assert dialog.purged == [spiked.id]
    assert trash_elsewhere(db_path) == ["kept-in-trash"]
    assert [dialog.list.item(n).text().split("\n")[0] for n in range(dialog.list.count())] == [
        "Kept in the trash"]
    assert desk.live_stories([spiked.id]) == []
