"""Layout that persists between sessions, import by menu and drag and drop, theme and icon."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from newsdesk.desk import Desk
from newsdesk.domain.model import Story
from newsdesk.formats.markdown import dumps
from newsdesk.ui import icons, theme
from newsdesk.ui.jobs.imports import ImportSummary, summary_text
from newsdesk.ui.panes.story_list_model import COLUMNS


def test_layout_and_last_story_persist(qtbot, make_window, desk, db_path):
    first = desk.create(headline="First")
    second = desk.create(headline="Second")
    window = make_window(desk)
    window.resize(790, 640)  # the offscreen screen is 800 px wide
    window.actions_["toggle_metadata"].setChecked(False)
    window.splitter.setSizes([300, 480, 0])
    sizes = window.splitter.sizes()
    size = window.size()
    words = [c.key for c in COLUMNS].index("word_count")
    window.story_list.setColumnHidden(words, True)  # from the header's context menu
    window.story_list.set_column_shown("slug", True)  # (a narrow first window hides it)
    window.story_list.setColumnWidth(0, 171)
    window.story_list.select_story(first.id)
    assert window.current_story().id == first.id
    window.close()

    with Desk.open(db_path) as again:
        reopened = make_window(again)
        assert reopened.size() == size
        restored = reopened.splitter.sizes()
        assert restored[0] == sizes[0]
        assert abs(restored[1] - sizes[1]) <= 2  # the hidden pane's handle pixel moves
        assert reopened.story_list.isColumnHidden(words)
        assert reopened.story_list.columnWidth(0) == 171
        assert not reopened.metadata.isVisible()
        assert not reopened.actions_["toggle_metadata"].isChecked()
        assert reopened.current_story().id == first.id != second.id
        reopened.actions_["reset_layout"].trigger()
        assert reopened.metadata.isVisible()
        reopened.close()


def test_default_layout_sizes_columns_to_their_content(make_window, desk):
    desk.create(headline="Harbour footbridge opens", section="News / Metro", editor="Ana Costa")
    window = make_window(desk)
    window.resize(1440, 900)
    view = window.story_list
    for key in ("slug", "section", "editor", "updated_at"):
        view.set_column_shown(key, True)
    widths = view.default_widths()
    for i, column in enumerate(COLUMNS):
        assert not view.isColumnHidden(i), column.key
        if column.key != "headline":
            assert view.columnWidth(i) == widths[i]
            assert widths[i] > view.fontMetrics().horizontalAdvance(column.sample)


def _story_files(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for n, headline in enumerate(["Bridge closes for repairs", "Night market returns"]):
        story = Story(headline=headline, slug=f"import-{n}", section="News / Metro",
                      body=f"{headline}. Body text.")
        path = folder / f"story-{n}.md"
        path.write_text(dumps(story), encoding="utf-8")
        paths.append(path)
    (folder / "broken.md").write_text("---\nheadline: [unclosed\n---\nbody\n", encoding="utf-8")
    return paths


def test_import_by_menu_runs_in_a_worker_and_refreshes(qtbot, make_window, desk, tmp_path,
                                                       monkeypatch):
    files = _story_files(tmp_path / "in")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *_a, **_k: ([str(p) for p in files], "")))
    window = make_window(desk)
    results: list[ImportSummary] = []
    window.actions_["import"].trigger()
    controller = window.importer.running[-1]
    controller.done.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert len(results[0].imported_ids) == 2
    assert window.model.total == 2
    assert window.current_story().id in results[0].imported_ids
    assert "Imported 2 stories" in summary_text(results[0])


def test_import_by_drag_and_drop_of_a_folder(qtbot, make_window, desk, tmp_path):
    _story_files(tmp_path / "dropped")
    window = make_window(desk)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped"))])
    # What dragEnterEvent accepts: local files and folders, never text or web links.
    assert window.importer.dropped_paths(mime) == [tmp_path / "dropped"]
    text = QMimeData()
    text.setText("just words")
    assert window.importer.dropped_paths(text) == []
    drop = QDropEvent(QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    results: list[ImportSummary] = []
    window.dropEvent(drop)
    window.importer.running[-1].done.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    summary = results[0]
    assert len(summary.imported_ids) == 2
    assert len(summary.rejected) == 1 and "broken.md" in summary.rejected[0][0]
    assert "1 not imported" in summary_text(summary)
    assert window.model.total == 2
    assert "News / Metro" in [window.filter_bar.section.itemData(i)
                              for i in range(window.filter_bar.section.count())]


def test_theme_switches_palettes_and_icon_ships(qapp):
    app = QApplication.instance()
    theme.apply_theme(app, dark=True)
    dark_base = app.palette().base().color().lightness()
    theme.apply_theme(app, dark=False)
    assert app.palette().base().color().lightness() > dark_base
    assert not icons.app_icon().isNull()
    assert icons.app_icon().pixmap(64).width() == 64


def test_toolbar_overflow_chevron_follows_the_scheme(make_window, desk, qapp):
    from PySide6.QtWidgets import QToolButton

    window = make_window(desk)
    try:
        for dark, colors in ((True, theme.DARK), (False, theme.LIGHT)):
            theme.apply_theme(qapp, dark=dark)
            window.actions_.retint()
            buttons = window.findChildren(QToolButton, "qt_toolbar_ext_button")
            assert buttons
            expected = icons.line_icon("more", colors.text).cacheKey()
            assert all(b.icon().cacheKey() == expected for b in buttons)
    finally:
        theme.apply_theme(qapp, dark=False)


def test_the_metadata_form_is_never_cut_off_at_the_right(qtbot, make_window, desk):
    story = desk.create(headline="Harbour footbridge opens", section="News / Metro",
                        byline="Maximiliana Featherstonehaugh-Villanueva")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    for width in (1440, 1100, 790):  # the offscreen screen is 800 px wide
        window.resize(width, 700)
        window.splitter.setSizes([width, width, 1])  # squeeze the metadata pane all it goes
        qtbot.wait(10)
        panel = window.metadata
        assert panel.widget().width() <= panel.viewport().width(), width
