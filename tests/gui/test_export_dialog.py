"""The Export action's dialog and worker: format and folder, background export, summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from newsdesk.identity.profile import Profile
from newsdesk.paths import config_dir
from newsdesk.ui.dialogs.export import (
    ExportController,
    ExportDialog,
    ExportSummary,
    summary_text,
)


def approved_story(desk):
    desk.use_profile(Profile("Ada Writer", "editor", folder=config_dir() / "writer").save())
    story = desk.create(headline="Tram depot opens to visitors", section="News / Metro",
                        body="Doors open at nine. <b>Bold</b> stays text.")
    desk.transition(story.id, "submit")
    desk.use_profile(Profile("Xu Fang", "desk_chief", folder=config_dir() / "chief").save())
    return desk.transition(story.id, "approve")


def run_export(qtbot, desk, fmt: str, out: Path) -> ExportSummary:
    parent = QWidget()
    qtbot.addWidget(parent)
    controller = ExportController(parent, desk, fmt, out, quiet=True)
    with qtbot.waitSignal(controller.done, timeout=30_000) as blocker:
        controller.start()
    return blocker.args[0]


def test_export_runs_in_the_background_and_marks_published(qtbot, desk, tmp_path):
    story = approved_story(desk)
    summary = run_export(qtbot, desk, "html", tmp_path / "out")
    assert summary.error == "" and not summary.cancelled
    assert summary.published_ids == [story.id]
    page = (tmp_path / "out" / "news" / "metro" / f"{story.slug}.html").read_text("utf-8")
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert desk.get(story.id).status == "published"
    assert summary_text(summary).startswith("1 story in")


def test_an_editor_is_told_only_a_desk_chief_exports(qtbot, desk, tmp_path):
    story = approved_story(desk)
    desk.use_profile(Profile("Ada Writer", "editor", folder=config_dir() / "writer").save())
    summary = run_export(qtbot, desk, "ninjs", tmp_path / "out")
    assert "only a desk chief can export" in summary.error
    assert "No story was marked published" in summary_text(summary)
    assert desk.get(story.id).status == "approved"


def test_dialog_needs_a_folder_and_remembers_it_per_format(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = ExportDialog(settings=settings)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.fmt() == "hugo" and not ok.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("ninjs"))
    dialog.folder_edit.setText(str(tmp_path / "wire"))
    assert ok.isEnabled()
    dialog.accept()
    again = ExportDialog(settings=settings)
    qtbot.addWidget(again)
    assert again.folder_edit.text() == ""  # hugo has no folder yet
    again.format_box.setCurrentIndex(again.format_box.findData("ninjs"))
    assert again.folder() == tmp_path / "wire"


def test_summary_lists_what_was_held_back():
    summary = ExportSummary("hugo", "/x", text="0 stories in /x (hugo)",
                            held=["late-story: embargoed until 2026-03-10T15:00:00+00:00"])
    assert "Held back:\n• late-story: embargoed until" in summary_text(summary)
    assert "Export cancelled" in summary_text(ExportSummary("hugo", "/x", cancelled=True))


def test_the_window_action_saves_first_exports_and_reports_back(qtbot, make_window, desk,
                                                                tmp_path):
    story = approved_story(desk)
    window = make_window(desk)
    window.open_story(story.id)
    window.metadata.ednote.setPlainText("Checked with the depot.")
    assert window.autosaver.is_dirty()
    reports: list[object] = []
    window.export_tools.exported.connect(reports.append)
    controller = window.export_tools.run("ninjs", tmp_path / "wire", quiet=True)
    assert not window.autosaver.is_dirty(), "the edits were saved before the export"
    assert desk.get(story.id).ednote == "Checked with the depot."
    with qtbot.waitSignal(controller.done, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: bool(reports))
    assert reports[0].error == ""
    window.close()  # nothing left running: closing waits for no thread
    assert window.export_tools.controllers == []


def test_main_window_has_the_export_action_in_the_file_menu(make_window, desk, qtbot, tmp_path):
    story = approved_story(desk)
    window = make_window(desk)
    file_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.text().replace("&", "") == "File")
    texts = [a.text().replace("&", "") for a in file_menu.actions()]
    assert "Export for Publishing…" in texts
    assert texts.index("Export for Publishing…") > texts.index("Import…")
    controller = window.export_tools.run("hugo", tmp_path / "site", quiet=True)
    with qtbot.waitSignal(controller.done, timeout=30_000) as blocker:
        pass
    assert blocker.args[0].published_ids == [story.id]
    assert (tmp_path / "site" / "content" / "news" / "metro" / f"{story.slug}.md").exists()


def test_the_summary_says_which_stories_a_sync_conflict_kept_back(qtbot, desk, tmp_path):
    from newsdesk.desk import Desk

    story = approved_story(desk)
    shared = tmp_path / "shared"
    desk.sync(shared)
    with Desk.open(tmp_path / "other.db") as other:  # another laptop, another note
        other.sync(shared)
        there = other.get(story.id)
        other.save(there.replace(ednote="Legal has read it."), there.revision)
        other.sync(shared)
    here = desk.get(story.id)
    desk.save(here.replace(ednote="Check the vote count first."), here.revision)
    assert desk.sync(shared).counts().get("conflict") == 1
    summary = run_export(qtbot, desk, "html", tmp_path / "out")
    assert summary.held == [] and summary.published_ids == []
    assert summary.conflicts == [f"{story.slug}: unresolved sync conflict (ednote): not "
                                 "exported; resolve it first (newsdesk conflicts)"]
    assert "Not exported: unresolved sync conflicts" in summary_text(summary)
    assert not (tmp_path / "out" / "news").exists()
