"""The copy-desk checks panel: findings for the story being edited, refreshed as the user types.

The panel asks a `source` callable for the story as it stands in the window (saved or
not) and runs the desk's checks on it, debounced so typing stays smooth. Activating a
finding emits `finding_activated(Finding)`; the window selects that text (body offsets
are offsets into the Markdown body).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from newsdesk.copydesk.checks import Finding, locate, reading_minutes
from newsdesk.desk import Desk
from newsdesk.domain.model import Story
from newsdesk.ui import theme

DEBOUNCE_MS = 400
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
FIELD_LABELS = {
    "": "Rules file",
    "headline": "Headline",
    "slug": "Slug",
    "deck": "Deck",
    "byline": "Byline",
    "dateline": "Dateline",
    "section": "Section",
    "editor": "Editor",
    "source_editor": "Source's editor",
    "caption": "Caption",
    "body": "Body",
    "embargo": "Embargo",
}
SEVERITY_LABELS = {"error": "error", "warning": "warning", "note": "note"}


def where(story: Story, finding: Finding) -> str:
    """'Body, line 4 · “TK”': the field, the line in multi-line fields, and the text."""
    place = locate(story, finding)
    label = FIELD_LABELS.get(finding.field, finding.field.capitalize())
    if finding.field in ("body", "caption", "deck") and finding.length:
        label += f", line {place['line']}"
    text = " ".join(str(place["text"]).split())
    if any(ch.isalnum() for ch in text):
        label += f" · “{text}”"
    elif finding.length:  # a lone quote or bracket says little: say the column instead
        label += f", column {place['column']}"
    return label


def severity_color(severity: str) -> QColor:
    c = theme.colors()
    return QColor({"error": c.error, "warning": c.warning}.get(severity, c.muted))


class FindingDelegate(QStyledItemDelegate):
    """Draws a finding as a severity dot, the message, and where it is in a quieter colour."""

    PAD = 6
    DOT = 9

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        return max(40, option.rect.width() - 3 * self.PAD - self.DOT)

    def _blocks(self, index: QModelIndex) -> tuple[str, str]:
        message, _, place = str(index.data(Qt.ItemDataRole.DisplayRole)).partition("\n")
        return message, place

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        message, place = self._blocks(index)
        width = self._text_width(option) if option.rect.width() > 0 else 280
        flags = Qt.TextFlag.TextWordWrap
        metrics = QFontMetrics(option.font)
        small = QFontMetrics(_small_font(option.font))
        height = metrics.boundingRect(0, 0, width, 10_000, flags, message).height()
        height += small.boundingRect(0, 0, width, 10_000, flags, place).height()
        return QSize(width, height + 2 * self.PAD + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        self.initStyleOption(option, index)
        message, place = self._blocks(index)
        option.text = ""
        option.icon = QIcon()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_color = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text_color if selected else QColor(theme.colors().muted)
        finding = index.data(FINDING_ROLE)
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(severity_color(finding.severity if finding else "note"))
        top = rect.top() + (QFontMetrics(option.font).height() - self.DOT) // 2
        if finding is not None and finding.severity == "note":
            painter.drawEllipse(rect.left() + 2, top + 2, self.DOT - 4, self.DOT - 4)
        else:
            painter.drawEllipse(rect.left(), top, self.DOT, self.DOT)
        text_rect = rect.adjusted(self.DOT + self.PAD, 0, 0, 0)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        painter.setPen(text_color)
        painter.setFont(option.font)
        used = painter.boundingRect(text_rect, flags, message)
        painter.drawText(text_rect, flags, message)
        painter.setPen(muted)
        painter.setFont(_small_font(option.font))
        painter.drawText(text_rect.adjusted(0, used.height() + 1, 0, 0), flags, place)
        painter.restore()


def _small_font(font: QFont) -> QFont:
    small = QFont(font)
    small.setPointSizeF(max(6.0, font.pointSizeF() * 0.9))
    return small


class ChecksPanel(QWidget):
    """A list of findings; `schedule()` on every edit, `refresh()` to run now."""

    finding_activated = Signal(object)
    findings_changed = Signal(list)

    def __init__(
        self,
        desk: Desk,
        source: Callable[[], Story | None],
        parent: QWidget | None = None,
        delay_ms: int = DEBOUNCE_MS,
    ):
        super().__init__(parent)
        self.setObjectName("checksPanel")
        self.desk = desk
        self.source = source
        self.findings: list[Finding] = []
        self._story: Story | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.refresh)
        self._build()

    def _build(self) -> None:
        title = QLabel("COPY CHECKS")
        title.setProperty("role", "pane-title")
        self.summary = QLabel("")
        self.summary.setProperty("role", "muted")
        self.show_notes = QToolButton()
        self.show_notes.setText("Style notes")
        self.show_notes.setToolTip("Show style notes (quotes, double spaces) as well as problems")
        self.show_notes.setCheckable(True)
        self.show_notes.setChecked(True)
        self.show_notes.toggled.connect(lambda _on: self._fill())
        header = QHBoxLayout()
        header.setContentsMargins(8, 6, 6, 2)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.show_notes)

        self.view = QListWidget()
        self.view.setObjectName("checksList")
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.view.setItemDelegate(FindingDelegate(self.view))
        self.view.setAlternatingRowColors(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.itemActivated.connect(self._activate)
        self.view.itemClicked.connect(self._activate)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(header)
        summary_row = QHBoxLayout()
        summary_row.setContentsMargins(8, 0, 8, 2)
        summary_row.addWidget(self.summary)
        layout.addLayout(summary_row)
        layout.addWidget(self.view, 1)

    # Running

    def schedule(self) -> None:
        """Run the checks DEBOUNCE_MS after the last call (call it on every edit)."""
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        story = self.source()
        self.set_findings(story, self.desk.check_story(story) if story is not None else [])

    def set_findings(self, story: Story | None, findings: list[Finding]) -> None:
        self._story = story
        self.findings = list(findings)
        self._fill()
        self.findings_changed.emit(self.findings)

    def _fill(self) -> None:
        self.view.clear()
        story = self._story
        counts = {severity: 0 for severity in SEVERITY_LABELS}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
            if finding.severity == "note" and not self.show_notes.isChecked():
                continue
            place = where(story, finding) if story is not None else finding.field
            item = QListWidgetItem(f"{finding.message}\n{place}")
            item.setData(FINDING_ROLE, finding)
            item.setToolTip(
                f"{SEVERITY_LABELS.get(finding.severity, finding.severity)} · {finding.check}"
            )
            self.view.addItem(item)
        if story is None:
            self.summary.setText("No story open")
            return
        found = [
            f"{n} {SEVERITY_LABELS[s]}{'s' if n != 1 else ''}" for s, n in counts.items() if n
        ]
        minutes = reading_minutes(story, self.desk.rules())
        self.summary.setText(
            " · ".join(found or ["No problems found"])
            + (f" — {minutes} min read" if minutes else "")
        )

    def _activate(self, item: QListWidgetItem) -> None:
        finding = item.data(FINDING_ROLE)
        if finding is not None:
            self.finding_activated.emit(finding)

    def changeEvent(self, event: QEvent) -> None:
        # Severity dots are painted in the theme's colours: repaint them on a theme switch.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "view"):
            self._fill()
        super().changeEvent(event)
