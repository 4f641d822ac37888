"""What the story list shows in each cell: the columns, a row of the list, and the text,
tooltip, gauge, status dot and font of each cell by Qt role (the model in
story_list_model.py pages the rows; this module draws nothing and reads no desk)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from newsdesk.copydesk.lengths import Gauge
from newsdesk.ui import theme
from newsdesk.ui.panes.gauges import GAUGE_ROLE


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort: str
    # What the column is sized to show in full, measured in the current font, so the columns
    # fit on any platform or font size (the headline column takes what is left).
    sample: str
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


COLUMNS: tuple[Column, ...] = (
    Column("slug", "Slug", "slug", "harbour-br"),  # ten characters tell most slugs apart
    Column("headline", "Headline", "headline", ""),
    Column("section", "Section", "section", "News / Metro"),
    Column("status", "Status", "status", "Published"),
    Column("editor", "Editor", "editor", "Ana Costa"),
    Column("updated_at", "Updated", "updated_at", "2025-11-06"),
    Column("word_count", "Words", "word_count", "12,345", Qt.AlignmentFlag.AlignRight),
)


@dataclass(frozen=True)
class Row:
    """What the list shows of a story; built from a StoryRow or a freshly saved Story."""

    id: str
    slug: str
    headline: str
    section: str
    status: str
    editor: str
    updated_at: datetime
    word_count: int
    type: str = "news"  # the story type: the body's gauge measures against its target

    @classmethod
    def of(cls, item: object) -> Row:
        return cls(**{name: getattr(item, name) for name in cls.__dataclass_fields__})


def format_moment(value: datetime) -> str:
    """A local date and time to the minute, for labels and dialogs."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def slug_font() -> QFont:
    """Slugs are identifiers: a monospace face keeps similar ones apart."""
    font = QFont()
    font.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def format_updated(value: datetime, now: datetime | None = None) -> str:
    """Time today, day and month this year, else the ISO date: short enough for a column."""
    local = value.astimezone()
    now = (now or datetime.now().astimezone()).astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M")
    if local.year == now.year:
        return local.strftime("%d %b")
    return local.strftime("%Y-%m-%d")


ROLES = frozenset({
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.UserRole,
    GAUGE_ROLE,
})


class Cells:
    """A cell's value for a Qt role; `gauge` measures a row's body against its target."""

    def __init__(self, gauge: Callable[[Row], Gauge]) -> None:
        self._gauge = gauge
        self._dot_cache: dict[str, QIcon] = {}

    def value(self, row: Row, column: Column, role: int) -> object:
        """What the list shows of `row` in `column` for `role` (None: nothing)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return display(row, column.key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column.key)
        if role == GAUGE_ROLE:
            return self._gauge_data(row, column.key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column.key == "status":
            return self._dot(row.status)
        if role == Qt.ItemDataRole.FontRole and column.key == "slug":
            return slug_font()
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _tooltip(self, row: Row, key: str) -> str | None:
        if key == "headline":
            return row.headline
        if key == "updated_at":
            return row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        if key == "word_count":
            return self._gauge(row).explain()
        return None

    def _gauge_data(self, row: Row, key: str) -> tuple[float, str] | None:
        if key != "word_count":
            return None
        gauge = self._gauge(row)
        return (gauge.share, gauge.state)

    def _dot(self, status: str) -> QIcon:
        color = theme.status_color(status)
        key = f"{status}:{color.name()}"
        if key not in self._dot_cache:
            self._dot_cache[key] = _dot_icon(color)
        return self._dot_cache[key]


def display(row: Row, key: str) -> str:
    """A cell's text."""
    if key == "status":
        return theme.status_label(row.status)
    if key == "updated_at":
        return format_updated(row.updated_at)
    if key == "word_count":
        return f"{row.word_count:,}"
    return str(getattr(row, key))


def _dot_icon(color: QColor) -> QIcon:
    """A status's coloured dot, drawn at twice the size for sharp screens."""
    pixmap = QPixmap(20, 20)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(5, 5, 10, 10)
    painter.end()
    pixmap.setDevicePixelRatio(2)
    return QIcon(pixmap)
