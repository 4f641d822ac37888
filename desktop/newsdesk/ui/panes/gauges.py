"""Fit-to-length gauges: a count against its target as a short bar and "412 / 600 words".

`GaugeLabel` sits in the metadata panel (body, headline, deck); `GaugeDelegate` draws the
same bar under the word count of each row of the story list.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from newsdesk.copydesk.lengths import FITS, OVER, Gauge
from newsdesk.ui import theme

BAR_WIDTH = 36
BAR_HEIGHT = 4
GAUGE_ROLE = Qt.ItemDataRole.UserRole + 7  # (share of the target, state) of a list row


def gauge_color(state: str) -> QColor:
    c = theme.colors()
    return QColor({FITS: c.ok, OVER: c.warning}.get(state, c.muted))


def draw_bar(painter: QPainter, rect: QRectF, share: float, state: str) -> None:
    """A rounded track, filled to `share` of its width (full at the target)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    track = QColor(theme.colors().border)
    painter.setBrush(track)
    radius = rect.height() / 2
    painter.drawRoundedRect(rect, radius, radius)
    filled = QRectF(rect)
    filled.setWidth(rect.width() * max(0.0, min(share, 1.0)))
    painter.setBrush(gauge_color(state))
    painter.drawRoundedRect(filled, radius, radius)
    painter.restore()


class GaugeLabel(QLabel):
    """'37 / 64' with a bar before it; a warning colour once over the target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gauge: Gauge | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setContentsMargins(BAR_WIDTH + 6, 0, 0, 0)

    def gauge(self) -> Gauge | None:
        return self._gauge

    def show_gauge(self, gauge: Gauge) -> None:
        self._gauge = gauge
        unit = f" {gauge.unit}" if gauge.unit == "words" else ""
        self.setText(f"{gauge.count:,} / {gauge.target:,}{unit}")
        self.setProperty("role", "warning" if gauge.state == OVER else "muted")
        self.setToolTip(gauge.explain())
        self.style().unpolish(self)
        self.style().polish(self)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._gauge is None:
            return
        text = self.fontMetrics().horizontalAdvance(self.text())
        right = self.contentsRect().right() - text - 6
        top = (self.height() - BAR_HEIGHT) / 2
        painter = QPainter(self)
        draw_bar(painter, QRectF(right - BAR_WIDTH, top, BAR_WIDTH, BAR_HEIGHT),
                 self._gauge.share, self._gauge.state)
        painter.end()


class GaugeDelegate(QStyledItemDelegate):
    """The list's word count with its fit-to-length bar underneath."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex) -> None:
        super().paint(painter, option, index)
        value = index.data(GAUGE_ROLE)
        if not value:
            return
        share, state = value
        rect = option.rect.adjusted(6, 0, -6, 0)
        bar = QRectF(rect.left(), rect.bottom() - BAR_HEIGHT - 2, rect.width(), BAR_HEIGHT - 1)
        draw_bar(painter, bar, share, state)
