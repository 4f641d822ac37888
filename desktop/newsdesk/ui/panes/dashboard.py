"""The desk dashboard (pyqtgraph): stories per status and section, throughput, approval, words.

Figures come from `Desk.stats()` (see newsdesk.copydesk.stats for what each one counts). The
charts follow the light/dark theme. `refresh()` is cheap to call on every story change:
it recomputes once a burst of changes is over, and while the dashboard is hidden it only
notes that the figures are stale and recomputes when it is shown again.
"""

from __future__ import annotations

import math
from datetime import datetime, time

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.copydesk.stats import Stats
from newsdesk.desk import Desk
from newsdesk.domain.model import STATUSES
from newsdesk.ui import theme

PERIODS: tuple[tuple[str, int], ...] = (
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 365 days", 365),
)
ALL = "All"
REFRESH_DELAY_MS = 300
MAX_SECTIONS = 8  # the rest are summed into "Other" so the labels stay readable
# Each throughput line takes the colour of the status it leads to.
SERIES_STATUS = {
    "created": "draft",
    "submitted": "in_review",
    "approved": "approved",
    "published": "published",
}


class CountAxis(pg.AxisItem):
    """An axis of counts: ticks on whole numbers only (a story is not halved)."""

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        levels = [
            (spacing, [v for v in values if float(v).is_integer()])
            for spacing, values in super().tickValues(minVal, maxVal, size)
            if spacing >= 1
        ]
        levels = [(spacing, values) for spacing, values in levels if values]
        if not levels:  # a short range: every whole number in it
            levels = [(1.0, [float(v) for v in range(math.ceil(minVal), math.floor(maxVal) + 1)])]
        return levels


def _day_seconds(day: object) -> float:
    return datetime.combine(day, time()).timestamp()  # type: ignore[arg-type]


class Dashboard(QWidget):
    """Filters on top, five charts below; `stats` holds the figures last drawn."""

    refreshed = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.desk = desk
        self.stats: Stats | None = None
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.recompute)
        self._build()

    # Layout

    def _build(self) -> None:
        self.section_box = QComboBox()
        self.section_box.setObjectName("dashboardSection")
        self.editor_box = QComboBox()
        self.editor_box.setObjectName("dashboardEditor")
        self.period_box = QComboBox()
        self.period_box.setObjectName("dashboardPeriod")
        for label, days in PERIODS:
            self.period_box.addItem(label, days)
        self.period_box.setCurrentIndex(1)
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.recompute)
        for box in (self.section_box, self.editor_box, self.period_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(lambda _i: self.recompute())

        filters = QHBoxLayout()
        filters.setContentsMargins(8, 6, 8, 0)
        for text, box in (
            ("Section", self.section_box),
            ("Editor", self.editor_box),
            ("Period", self.period_box),
        ):
            label = QLabel(text)
            label.setBuddy(box)
            filters.addWidget(label)
            filters.addWidget(box)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(refresh)
        self.summary = QLabel("")
        self.summary.setObjectName("dashboardSummary")
        self.summary.setProperty("role", "muted")
        self.summary.setContentsMargins(8, 0, 8, 0)

        self.status_plot = self._plot("Stories by status", axisItems={"left": CountAxis("left")})
        self.section_plot = self._plot(
            "Stories by section", axisItems={"bottom": CountAxis("bottom")}
        )
        self.throughput_plot = self._plot(
            "Daily throughput",
            axisItems={"bottom": pg.DateAxisItem(orientation="bottom"), "left": CountAxis("left")},
        )
        self.throughput_plot.addLegend(offset=(8, 4), colCount=4)
        self.approval_plot = self._plot("Time from submission to approval (hours)")
        self.words_plot = self._plot(
            "Stories by length (words)", axisItems={"left": CountAxis("left")}
        )

        grid = QGridLayout()
        grid.setContentsMargins(6, 0, 6, 6)
        grid.setSpacing(6)
        grid.addWidget(self.status_plot, 0, 0)
        grid.addWidget(self.section_plot, 0, 1)
        grid.addWidget(self.throughput_plot, 1, 0, 1, 2)
        grid.addWidget(self.approval_plot, 2, 0)
        grid.addWidget(self.words_plot, 2, 1)
        for row in range(3):
            grid.setRowStretch(row, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)
        self._fill_filters()

    def _plot(self, title: str, **kwargs: object) -> pg.PlotWidget:
        plot = pg.PlotWidget(**kwargs)
        plot.setObjectName(title)
        plot.setMinimumSize(240, 160)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setProperty("chart_title", title)
        return plot

    def _fill_filters(self) -> None:
        for box, values in (
            (self.section_box, self.desk.sections()),
            (self.editor_box, self.desk.editors()),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, None)
            for value in values:
                box.addItem(value, value)
            index = box.findData(current)
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)

    # Figures

    def filters(self) -> dict[str, object]:
        return {
            "section": self.section_box.currentData(),
            "editor": self.editor_box.currentData(),
            "days": self.period_box.currentData(),
        }

    def set_filters(
        self, section: str | None = None, editor: str | None = None, days: int | None = None
    ) -> None:
        for box, value in ((self.section_box, section), (self.editor_box, editor)):
            box.blockSignals(True)
            box.setCurrentIndex(max(box.findData(value), 0))
            box.blockSignals(False)
        if days is not None:
            self.period_box.blockSignals(True)
            index = self.period_box.findData(days)
            if index < 0:
                self.period_box.addItem(f"Last {days} days", days)
                index = self.period_box.count() - 1
            self.period_box.setCurrentIndex(index)
            self.period_box.blockSignals(False)
        self.recompute()

    def refresh(self) -> None:
        """Stories changed: recompute soon if shown (a burst of changes costs one
        recompute), else when next shown."""
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def recompute(self) -> None:
        self._timer.stop()
        self._stale = False
        self._fill_filters()
        self.stats = self.desk.stats(**self.filters())  # type: ignore[arg-type]
        self._draw()
        self.refreshed.emit(self.stats)

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.recompute()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and self.stats is not None:
            self._draw()
        super().changeEvent(event)

    # Drawing

    def _draw(self) -> None:
        stats = self.stats
        if stats is None:
            return
        c = theme.colors()
        for plot in self._plots():
            plot.clear()
            plot.setBackground(c.base)
            plot.setTitle(plot.property("chart_title"), color=c.text, size="10pt")
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(c.border))
                axis.setTextPen(pg.mkPen(c.muted))
        self._draw_status(stats)
        self._draw_sections(stats)
        self._draw_throughput(stats)
        self._draw_approval(stats)
        self._draw_words(stats)
        hours = stats.approval_hours
        waiting = f"median {hours.median:.1f} h to approval" if hours else "no approvals"
        period = f"{stats.start:%d %b} – {stats.end:%d %b %Y}"
        self.summary.setText(
            f"{stats.total} {'story' if stats.total == 1 else 'stories'} · "
            f"{sum(stats.throughput.get('published', []))} published and {waiting} "
            f"in {period}"
        )

    def _plots(self) -> tuple[pg.PlotWidget, ...]:
        return (
            self.status_plot,
            self.section_plot,
            self.throughput_plot,
            self.approval_plot,
            self.words_plot,
        )

    def _bars(self, plot: pg.PlotWidget, labels: list[str], values: list[int], colors: list[str]):
        xs = list(range(len(values)))
        plot.addItem(
            pg.BarGraphItem(
                x=xs, height=values, width=0.65, brushes=colors, pens=[pg.mkPen(None)] * len(xs)
            )
        )
        plot.getAxis("bottom").setTicks([list(zip(xs, labels, strict=True))])
        plot.setXRange(-0.6, len(xs) - 0.4, padding=0)
        plot.setYRange(0, max([*values, 1]) * 1.1, padding=0)

    def _draw_status(self, stats: Stats) -> None:
        statuses = [s for s in STATUSES if s in stats.by_status]
        self._bars(
            self.status_plot,
            [theme.status_label(s) for s in statuses],
            [stats.by_status[s] for s in statuses],
            [theme.status_color(s).name() for s in statuses],
        )

    def _draw_sections(self, stats: Stats) -> None:
        plot = self.section_plot
        items = list(stats.by_section.items())
        if len(items) > MAX_SECTIONS:
            rest = sum(n for _, n in items[MAX_SECTIONS - 1 :])
            items = [*items[: MAX_SECTIONS - 1], ("Other", rest)]
        items.reverse()  # largest on top
        ys = list(range(len(items)))
        counts = [n for _, n in items]
        if items:
            plot.addItem(
                pg.BarGraphItem(
                    x0=[0] * len(ys), y=ys, height=0.65, width=counts,
                    brush=theme.colors().highlight, pen=pg.mkPen(None),
                )
            )
        left = plot.getAxis("left")
        left.setTicks([[(y, name) for y, (name, _) in zip(ys, items, strict=True)]])
        # String ticks do not widen the axis by themselves: make room for the longest.
        metrics = QFontMetrics(left.font() if hasattr(left, "font") else self.font())
        longest = max((metrics.horizontalAdvance(name) for name, _ in items), default=20)
        left.setWidth(longest + 14)
        plot.getAxis("bottom").setTicks(None)
        plot.setYRange(-0.6, max(len(items), 1) - 0.4, padding=0)
        plot.setXRange(0, max([*counts, 1]) * 1.1, padding=0)

    def _draw_throughput(self, stats: Stats) -> None:
        plot = self.throughput_plot
        xs = [_day_seconds(day) for day in stats.days]
        legend = plot.plotItem.legend
        if legend is not None:
            legend.clear()
            legend.setLabelTextColor(theme.colors().text)
        peak = 1
        for kind, series in stats.throughput.items():
            color = theme.status_color(SERIES_STATUS.get(kind, "draft"))
            plot.plot(
                xs, series, name=kind.capitalize(), pen=pg.mkPen(color, width=2),
                symbol="o" if len(xs) <= 31 else None, symbolSize=5,
                symbolBrush=color, symbolPen=pg.mkPen(None),
            )
            peak = max(peak, *series) if series else peak
        if xs:
            half_day = 43_200
            plot.setXRange(xs[0] - half_day, xs[-1] + half_day, padding=0)
        plot.setYRange(0, peak * 1.25, padding=0)

    def _draw_approval(self, stats: Stats) -> None:
        # A horizontal box plot: whiskers min–max, box p25–p75, a bar at the median.
        plot = self.approval_plot
        plot.getAxis("left").setTicks([[]])
        spread = stats.approval_hours
        c = theme.colors()
        plot.getAxis("bottom").setTicks(None if spread else [[]])  # no hours to mark
        if spread is None:
            text = pg.TextItem("No approvals in this period", color=c.muted, anchor=(0.5, 0.5))
            plot.addItem(text)
            text.setPos(0.5, 0.5)
            plot.setXRange(0, 1, padding=0)
            plot.setYRange(0, 1, padding=0)
            return
        accent = theme.status_color("approved")
        pen = pg.mkPen(c.muted, width=1.5)
        plot.plot([spread.min, spread.p25], [0, 0], pen=pen)
        plot.plot([spread.p75, spread.max], [0, 0], pen=pen)
        for x in (spread.min, spread.max):
            plot.plot([x, x], [-0.15, 0.15], pen=pen)
        box_width = max(spread.p75 - spread.p25, 1e-3)
        box_brush = pg.mkBrush(accent.red(), accent.green(), accent.blue(), 90)
        plot.addItem(
            pg.BarGraphItem(
                x0=[spread.p25], y=[0], height=0.5, width=[box_width],
                brush=box_brush, pen=pg.mkPen(accent, width=1.5),
            )
        )
        plot.plot([spread.median, spread.median], [-0.25, 0.25], pen=pg.mkPen(accent, width=3))
        label = pg.TextItem(
            f"median {spread.median:.1f} h · middle half {spread.p25:.1f}–{spread.p75:.1f} h · "
            f"{spread.count} approvals",
            color=c.text,
            anchor=(0.5, 0),
        )
        plot.addItem(label)
        span = max(spread.max - spread.min, 1.0)
        label.setPos(spread.min + (spread.max - spread.min) / 2, 0.75)
        plot.setXRange(spread.min - span * 0.08, spread.max + span * 0.08, padding=0)
        plot.setYRange(-0.8, 0.9, padding=0)

    def _draw_words(self, stats: Stats) -> None:
        if stats.words is None:
            return
        # Lower edges ("400" is 400–599 words) keep the labels short enough to sit side by side.
        labels = [label.split("–")[0] for label, _ in stats.words.buckets]
        values = [n for _, n in stats.words.buckets]
        self._bars(self.words_plot, labels, values, [theme.colors().link] * len(values))
