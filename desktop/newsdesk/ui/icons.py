"""The app icon and the line icons of menus and toolbar, tinted for the current scheme."""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleOption

# Our own line drawings on a 24-unit grid: stroke only, so one tint fits both schemes.
_PATHS: dict[str, str] = {
    "new": "M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z M14 3v6h6 M12 12v6 M9 15h6",
    "import": "M12 3v12 M7 10l5 5 5-5 M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2",
    "save": "M6 3h10l4 4v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z M8 3v5h7V3 M8 21v-7h8v7",
    "find": "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z M20 20l-4-4",
    "next": "M6 9l6 6 6-6",
    "previous": "M6 15l6-6 6 6",
    "duplicate": "M9 9h11v11H9z M5 15H4V4h11v1",
    "trash": "M4 7h16 M10 11v6 M14 11v6 M6 7l1 13h10l1-13 M9 7V4h6v3",
    "submit": "M21 3L10 14 M21 3l-7 18-4-7-7-4z",
    "approve": "M20 6L9 17l-5-5",
    "request_changes": "M4 20l4-1 11-11-3-3L5 16z M14 7l3 3",
    "spike": "M6 6l12 12 M18 6L6 18",
    "restore": "M3 12a9 9 0 1 0 3-6.7 M3 4v5h5",
    "publish": "M12 16V4 M7 9l5-5 5 5 M4 15v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4",
    "history": "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z M12 7v5l3 3",
    "list": "M8 6h12 M8 12h12 M8 18h12 M4 6h.01 M4 12h.01 M4 18h.01",
    "panel": "M3 4h18v16H3z M15 4v16",
    "preview": "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
    "sections": "M4 4h7v7H4z M13 4h7v7h-7z M4 13h7v7H4z M13 13h7v7h-7z",
    "quit": "M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4 M16 17l5-5-5-5 M21 12H9",
    "more": "M6 7l5 5-5 5 M13 7l5 5-5 5",
    # The body editor's formatting (the kinds of block are named in words instead).
    "bold": "M7 4h6a4 4 0 0 1 0 8H7z M7 12h7.5a4 4 0 0 1 0 8H7z",
    "italic": "M19 4h-9 M14 20H5 M15 4L9 20",
    "link": "M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7 "
            "M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7",
    "bullets": "M9 6h12 M9 12h12 M9 18h12 M4 6h.01 M4 12h.01 M4 18h.01",
    "numbers": "M10 6h11 M10 12h11 M10 18h11 M4 5l1.5-1v6 M3.5 14.5a1.5 1.5 0 0 1 3 .3"
               "c0 1.2-3 2.2-3 4.2h3",
    "quote": "M4 11h5v7H4z M4 11c0-3 1.5-5 4-6 M14 11h5v7h-5z M14 11c0-3 1.5-5 4-6",
    "undo": "M9 14L4 9l5-5 M4 9h10.5a5.5 5.5 0 0 1 0 11H11",
    "redo": "M15 14l5-5-5-5 M20 9H9.5a5.5 5.5 0 0 0 0 11H13",
}


def _svg(path: str, color: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" '
        f'fill="none" stroke="{color}" stroke-width="1.8" stroke-linecap="round" '
        f'stroke-linejoin="round"><path d="{path}"/></svg>'
    ).encode()


@cache
def line_icon(name: str, color: str) -> QIcon:
    """A named line icon drawn in `color`; an empty icon for an unknown name."""
    path = _PATHS.get(name)
    if path is None:
        return QIcon()
    return QIcon(_SvgIconEngine(_svg(path, color), (16, 20, 24, 32, 48)))


@cache
def app_icon() -> QIcon:
    """The Newsdesk mark, shipped as resources/icons/newsdesk.svg."""
    data = (resources.files("newsdesk.resources") / "icons" / "newsdesk.svg").read_bytes()
    return QIcon(_SvgIconEngine(data, (16, 24, 32, 48, 64, 128, 256)))


class _SvgIconEngine(QIconEngine):
    """Draws the SVG at the size and pixel ratio asked for, when first asked (and keeps
    it): nothing is scaled blurry, and the start no longer draws every icon at ten sizes
    for menus that are not open yet."""

    def __init__(self, svg: bytes, sizes: tuple[int, ...]) -> None:
        super().__init__()
        self._svg = svg
        self._sizes = sizes
        self._renderer: QSvgRenderer | None = None
        self._pixmaps: dict[tuple[int, int, QIcon.Mode, float], QPixmap] = {}

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._svg, self._sizes)

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal,
                       state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        # The sizes a window manager may pick from for a window icon.
        return [QSize(size, size) for size in self._sizes]

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        key = (size.width(), size.height(), mode, scale)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            if self._renderer is None:
                self._renderer = QSvgRenderer(QByteArray(self._svg))
            pixmap = QPixmap(round(size.width() * scale), round(size.height() * scale))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            self._renderer.render(painter)
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            if mode in (QIcon.Mode.Disabled, QIcon.Mode.Selected):
                # Greyed or tinted by the style, as an icon made of fixed pixmaps is.
                pixmap = QApplication.style().generatedIconPixmap(mode, pixmap, QStyleOption())
            self._pixmaps[key] = pixmap
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        # With every screen at one ratio, that is the ratio: asking the painter for its
        # device makes PySide wrap the widget painted on, a tenth of a second the first time.
        ratios = {screen.devicePixelRatio() for screen in QGuiApplication.screens()}
        scale = ratios.pop() if len(ratios) == 1 else painter.device().devicePixelRatioF()
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))
