"""File > Restore from Backup…, the backups the window takes, and the offer at startup."""

from __future__ import annotations

from pathlib import Path

from newsdesk.desk import Desk, backup_file
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui.dialogs import backup as backup_dialog
from newsdesk.ui.features import backups


def _menu_texts(window) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a.text().replace("&", "") for a in file_menu.actions()]


def test_window_backs_up_on_open_and_close_and_offers_restore_in_the_file_menu(
    qtbot, make_window, desk: Desk, monkeypatch
):
    monkeypatch.setattr(backups, "FIRST_CHECK_MS", 50)
    desk.create(headline="Kept story", body="Text.")
    window = make_window(desk)
    assert "Restore from Backup…" in _menu_texts(window)
    qtbot.waitUntil(lambda: bool(window.backup_tools.last_backup), timeout=10_000)
    assert window.backup_tools.last_problem == ""
    assert len(desk.backups()) == 1
    window.backup_tools.shutdown()
    assert len(desk.backups()) == 2


def test_the_backup_on_open_waits_until_the_window_has_settled(make_window, desk: Desk):
    desk.create(headline="Kept story", body="Text.")
    window = make_window(desk)
    tools = window.backup_tools
    # Nothing is copied while the window comes up; the check is due a few seconds later.
    assert tools.first_check.isActive() and tools.first_check.interval() >= 1000
    assert tools._job is None and desk.backups() == []
    tools.shutdown()
    assert not tools.first_check.isActive() and len(desk.backups()) == 1


def test_restore_from_the_window_reloads_the_desk(qtbot, make_window, desk: Desk, monkeypatch):
    kept = desk.create(headline="Before the backup", body="Text.")
    good = backup_file(desk.path)
    later = desk.create(headline="After the backup", body="Text.")
    window = make_window(desk)
    window.backup_tools.wait()
    dialog = backup_dialog.BackupDialog(desk, window)
    assert dialog.list.count() >= 1
    window.backup_tools.restore(good)
    assert desk.count() == 1 and desk.get(kept.id).headline == "Before the backup"
    assert window.model.rowCount() == 1
    # The database as it was before the restore is itself a backup now.
    newest = desk.backups()[0].path
    with Desk.open(newest) as before:
        assert before.get(later.id).headline == "After the backup"


def test_startup_offers_the_last_good_backup_of_a_damaged_database(
    qtbot, qapp, tmp_path: Path, monkeypatch
):
    db = tmp_path / "desk.db"
    with Desk.open(db) as desk:
        desk.create(headline="Safe in the backup", body="Text.")
    good = backup_file(db)
    db.write_bytes(b"\x13" * 8192)
    try:
        Desk.open(db)
    except NewsdeskError as exc:
        error = exc
    asked: list[str] = []
    monkeypatch.setattr(backup_dialog, "ask", lambda _p, _t, text: asked.append(text) or True)
    desk = backup_dialog.offer_restore_at_startup(db, error)
    assert desk is not None and asked and "last good backup" in asked[0]
    with desk:
        assert desk.count() == 1
    assert good.exists()
    # Declined: nothing is restored, the caller reports the error.
    db.write_bytes(b"\x13" * 8192)
    monkeypatch.setattr(backup_dialog, "ask", lambda *_a: False)
    assert backup_dialog.offer_restore_at_startup(db, error) is None
    assert db.read_bytes() == b"\x13" * 8192


def test_damage_found_by_the_running_window_offers_the_last_good_backup(
    qtbot, make_window, desk: Desk, monkeypatch
):
    desk.create(headline="In the backup", body="Text.")
    good = backup_file(desk.path)
    desk.create(headline="Not in the backup", body="Text.")
    window = make_window(desk)
    window.backup_tools.wait()
    # What the background backup reports when quick_check fails on the copy.
    monkeypatch.setattr(Desk, "diagnose", staticmethod(lambda _p=None: ("damaged: page 7",
                                                                         desk.backups()[-1])))
    asked: list[str] = []
    monkeypatch.setattr(backup_dialog, "ask", lambda _p, _t, text: asked.append(text) or True)
    window.backup_tools._finished("", "damaged: page 7")
    assert asked and "damaged: page 7" in asked[0]
    assert desk.backups()[-1].path == good
    assert desk.count() == 1 and window.model.rowCount() == 1
