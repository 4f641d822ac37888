"""The desk dashboard: figures from the desk, filters, theme, refresh on change."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from newsdesk.domain.model import Story
from newsdesk.ui import theme
from newsdesk.ui.panes.dashboard import Dashboard
from tests.gui.conftest import activate


@pytest.fixture
def filled(desk):
    for i, (section, editor) in enumerate(
        [("News / Metro", "Ana Costa"), ("News / Metro", "Tom Reyes"), ("Sport", "Ana Costa")]
    ):
        desk.store.insert(
            Story(slug=f"s{i}", headline=f"Story {i}", section=section, editor=editor,
                  body="word " * (150 + 300 * i))
        )
    return desk


@pytest.fixture
def dashboard(qtbot, filled):
    board = Dashboard(filled)
    qtbot.addWidget(board)
    board.resize(900, 700)
    board.show()
    qtbot.waitExposed(board)
    return board


def bars(plot: pg.PlotWidget) -> list[pg.BarGraphItem]:
    return [item for item in plot.items() if isinstance(item, pg.BarGraphItem)]


def test_shows_the_desk_figures(dashboard):
    stats = dashboard.stats
    assert stats.total == 3 and stats.by_section == {"News / Metro": 2, "Sport": 1}
    [status_bars] = bars(dashboard.status_plot)
    assert list(status_bars.opts["height"]) == [3, 0, 0, 0, 0, 0]  # killed too
    [section_bars] = bars(dashboard.section_plot)
    assert sorted(section_bars.opts["width"]) == [1, 2]
    curves = dashboard.throughput_plot.listDataItems()
    assert {c.name() for c in curves} == {"Created", "Submitted", "Approved", "Published"}
    created = next(c for c in curves if c.name() == "Created")
    assert sum(created.getData()[1]) == 3
    assert isinstance(dashboard.throughput_plot.getAxis("bottom"), pg.DateAxisItem)
    assert "3 stories" in dashboard.summary.text()


def test_filters_recompute(dashboard):
    dashboard.section_box.setCurrentIndex(dashboard.section_box.findData("Sport"))
    assert dashboard.stats.total == 1 and dashboard.stats.section == "Sport"
    dashboard.set_filters(section="Sport", editor="Ana Costa", days=7)
    assert dashboard.stats.total == 1 and dashboard.stats.editor == "Ana Costa"
    assert len(dashboard.stats.days) == 7
    dashboard.set_filters(days=14)
    assert dashboard.period_box.currentData() == 14 and dashboard.stats.total == 3
    assert [dashboard.editor_box.itemText(i) for i in range(dashboard.editor_box.count())] == [
        "All", "Ana Costa", "Tom Reyes",
    ]


def test_refresh_when_stories_change_and_when_hidden(qtbot, dashboard, filled):
    filled.store.insert(Story(slug="new", headline="New", section="Sport"))
    with qtbot.waitSignal(dashboard.refreshed):
        dashboard.refresh()
        dashboard.refresh()  # a burst of changes: one recompute
    assert dashboard.stats.total == 4
    dashboard.hide()
    filled.store.insert(Story(slug="newer", headline="Newer", section="Sport"))
    dashboard.refresh()
    assert dashboard.stats.total == 4  # hidden: no work until shown
    dashboard.show()
    assert dashboard.stats.total == 5


def test_follows_light_and_dark(dashboard, qapp):
    try:
        theme.apply_theme(qapp, dark=True)
        dashboard.recompute()
        assert dashboard.status_plot.backgroundBrush().color().name() == theme.DARK.base
        theme.apply_theme(qapp, dark=False)
        dashboard.recompute()
        assert dashboard.status_plot.backgroundBrush().color().name() == theme.LIGHT.base
    finally:
        theme.apply_theme(qapp, dark=False)


def test_no_approvals_says_so(dashboard):
    assert dashboard.stats.approval_hours is None
    texts = [i for i in dashboard.approval_plot.items() if isinstance(i, pg.TextItem)]
    assert texts and "No approvals" in texts[0].toPlainText()



def tick_values(plot: pg.PlotWidget, side: str) -> list[float]:
    """The values the axis labels, as it would draw them now."""
    axis = plot.getAxis(side)
    low, high = plot.viewRange()[0 if side == "bottom" else 1]
    length = axis.width() if side == "bottom" else axis.height()
    return [value for _spacing, values in axis.tickValues(low, high, max(length, 200))
            for value in values]


def test_count_axes_show_whole_numbers(dashboard):
    """Issue 19: the section chart's count axis read 0.5, 1.5, 2.5."""
    for plot, side in ((dashboard.section_plot, "bottom"), (dashboard.status_plot, "left"),
                       (dashboard.throughput_plot, "left"), (dashboard.words_plot, "left")):
        values = tick_values(plot, side)
        assert values, plot.objectName()
        assert all(float(v).is_integer() for v in values), (plot.objectName(), values)


def test_the_dashboard_opens_in_its_own_window_and_leaves_the_editor_alone(
    qtbot, make_window, filled
):
    """Issue 19: docked under the editor it took 60% of its height."""
    window = make_window(filled)
    activate(qtbot, window)
    editor_height = window.editor_tabs.height()
    qtbot.keyClick(window, Qt.Key.Key_5,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    board = window.copy_desk.dashboard
    qtbot.waitUntil(board.isVisible)
    assert board.window() is not window and board.window().isWindow()
    assert board.stats is not None and board.stats.total == 3
    assert window.editor_tabs.height() == editor_height
    # The same keys, or closing that window, hide it again.
    board.window().close()
    assert not window.copy_desk.dashboard_action.isChecked()
