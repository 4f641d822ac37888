"""PreviewPane: the story as it will be published, rendered by formats.html, updated as typed.

The page is an article: section, headline, deck, byline, dateline, the photo's place and
its caption, then the body as the export renders it (raw HTML shows as text), set in a
reading face with a measure of about 38 em. Built by `article_html`, a pure function.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from newsdesk.domain.model import Story
from newsdesk.ui import theme

PREVIEW_DELAY_MS = 300
_STYLE = (
    "body{font-family:Georgia,'DejaVu Serif',serif;}"
    "blockquote{margin-left:1.5em;}"
    "pre,code{font-family:monospace;}"
    "table.body td,table.body th{border:1px solid #999;padding:2px 6px;}"
    "h1.headline{font-size:22pt;font-weight:700;margin-top:4px;margin-bottom:6px;}"
    "p.deck{font-size:14pt;margin-top:0;margin-bottom:10px;}"
    "p.section{font-size:9pt;font-weight:600;letter-spacing:1px;margin-bottom:2px;}"
    "p.byline{font-size:10pt;font-weight:600;margin-bottom:0;}"
    "p.dateline{font-size:10pt;margin-top:2px;}"
    "p.caption{font-size:9.5pt;margin-top:4px;margin-bottom:14px;}"
)


def article_html(story: Story, body_html: str, muted: str = "#6b6b70",
                 photo: str = "#e2e2df") -> str:
    """The story as a reader sees it, for a QTextBrowser: the parts it has, in the order a
    page shows them. Every field is escaped; the body is the export's HTML."""
    parts = []
    if story.section:
        parts.append(f"<p class='section' style='color:{muted}'>{escape(story.section.upper())}"
                     "</p>")
    parts.append(f"<h1 class='headline'>{escape(story.headline) or '(no headline)'}</h1>")
    if story.deck:
        parts.append(f"<p class='deck'>{escape(story.deck)}</p>")
    if story.byline:
        byline = story.byline if story.byline.lower().startswith("by ") else f"By {story.byline}"
        parts.append(f"<p class='byline'>{escape(byline)}</p>")
    dateline = dateline_text(story)
    if dateline:
        parts.append(f"<p class='dateline' style='color:{muted}'>{escape(dateline)}</p>")
    if story.caption:
        # No picture travels with a story yet: its place, and the caption under it.
        parts.append(
            f"<table width='100%' cellspacing='0' cellpadding='0'><tr><td height='150' "
            f"bgcolor='{photo}' align='center' style='color:{muted}'>Photo</td></tr></table>"
            f"<p class='caption' style='color:{muted}'>{escape(story.caption)}</p>"
        )
    parts.append(body_html.replace("<table>", "<table class='body'>"))
    return "".join(parts)


def dateline_text(story: Story) -> str:
    """'PORTSMOUTH, 23 November 2026' as a page sets it."""
    place = story.dateline.place.upper()
    day = story.dateline.date
    when = f"{day.day} {day:%B %Y}" if day else ""
    return ", ".join(part for part in (place, when) if part)


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
        self.browser.document().setDocumentMargin(24)
        font = QFont()
        font.setFamilies(["Charter", "Georgia", "Noto Serif", "DejaVu Serif", "serif"])
        font.setPointSizeF(max(11.0, QFont().pointSizeF() * 1.1))
        self.browser.document().setDefaultFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self._pending = ""
        self._story: Story | None = None
        self.html = ""
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_now)

    def follow(self, editor: object) -> None:
        """Keep showing `editor.markdown()` as it changes (a BodyEditor)."""
        editor.changed.connect(lambda: self.show_markdown(editor.markdown()))
        self.show_markdown(editor.markdown(), at_once=True)

    def show_markdown(self, text: str, at_once: bool = False) -> None:
        """The body alone."""
        self._pending = text
        self._story = None
        self._schedule(at_once)

    def show_story(self, story: Story, at_once: bool = False) -> None:
        """The whole story as an article: headline, deck, byline and the rest."""
        self._pending = story.body
        self._story = story
        self._schedule(at_once)

    def _schedule(self, at_once: bool) -> None:
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
        page = self.html
        if self._story is not None:
            c = theme.colors()
            page = article_html(self._story, self.html, c.muted, c.alternate)
        self.browser.setHtml(page)
