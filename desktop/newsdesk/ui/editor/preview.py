"""PreviewPane: the body as it will be exported, rendered by formats.html, updated as typed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

PREVIEW_DELAY_MS = 300
_STYLE = (
    "body{font-family:Georgia,'DejaVu Serif',serif;}"
    "blockquote{margin-left:1.5em;color:#555;}"
    "pre,code{font-family:monospace;}"
    "table{border-collapse:collapse;}td,th{border:1px solid #999;padding:2px 6px;}"
)


def _export_renderer() -> Callable[[str], str]:
    # Imported when first needed: the export module belongs to another layer and team.
    from newsdesk.formats.html import render_body_html

    return render_body_html


class _Browser(QTextBrowser):
    """No network and no local files: images and other resources are never loaded."""

    def loadResource(self, kind: int, name: QUrl) -> None:
        return None


class PreviewPane(QWidget):
    """Read-only HTML preview; `show_markdown` renders after a short pause in typing."""

    def __init__(self, parent: QWidget | None = None,
                 renderer: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self._renderer = renderer
        self.browser = _Browser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDefaultStyleSheet(_STYLE)
        self.browser.document().setDocumentMargin(16)
        font = QFont()
        font.setFamilies(["Charter", "Georgia", "Noto Serif", "DejaVu Serif", "serif"])
        font.setPointSizeF(max(11.0, QFont().pointSizeF() * 1.1))
        self.browser.document().setDefaultFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self._pending = ""
        self.html = ""
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_now)

    def follow(self, editor: object) -> None:
        """Keep showing `editor.markdown()` as it changes (a BodyEditor)."""
        editor.changed.connect(lambda: self.show_markdown(editor.markdown()))
        self.show_markdown(editor.markdown(), at_once=True)

    def show_markdown(self, text: str, at_once: bool = False) -> None:
        self._pending = text
        if at_once:
            self.render_now()
        else:
            self._timer.start()

    def is_pending(self) -> bool:
        return self._timer.isActive()

    def render_now(self) -> None:
        self._timer.stop()
        renderer = self._renderer or _export_renderer()
        self.html = renderer(self._pending)
        self.browser.setHtml(self.html)
