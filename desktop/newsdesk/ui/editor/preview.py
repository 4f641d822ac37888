"""PreviewPane: the story as it will be published, rendered by formats.html, updated as typed.

The page is an article: section, headline, deck, byline, dateline, the caption, then the
body as the export renders it (raw HTML shows as text) with the story's pictures as the
HTML export places them (preview_pictures.py: the lead first, each a figure with its alt
text and "caption — credit", from its cached web rendition), set in a reading face with
a measure of about 38 em. Built by `article_html`, a pure function.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QFont, QImage, QResizeEvent
from PySide6.QtWidgets import QStyle, QTextBrowser, QVBoxLayout, QWidget

from newsdesk.domain.model import Story
from newsdesk.ui import theme

if TYPE_CHECKING:
    from newsdesk.media import Picture
    from newsdesk.publish.pictures import RenditionFile
    from newsdesk.ui.editor.preview_pictures import Shown

    PictureSource = Callable[[Picture], RenditionFile | None]

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
                 photo: str = "#e2e2df", *, pictured: bool = False) -> str:
    """The story as a reader sees it, for a QTextBrowser: the parts it has, in the order a
    page shows them. Every field is escaped; the body is the export's HTML (`pictured`:
    with the story's pictures as figures, so the caption field needs no photo's place)."""
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
    if story.caption and pictured:
        parts.append(f"<p class='caption' style='color:{muted}'>{escape(story.caption)}</p>")
    elif story.caption:
        # A caption with no picture attached: the photo's place, and the caption under it.
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
    """No network and no local files: the only images are the story's pictures, which the
    pane hands over by their `newsdesk-media:` URL (preview_pictures.py)."""

    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, QImage] = {}

    def loadResource(self, kind: int, name: QUrl) -> QImage | None:
        return self.images.get(name.toString())


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
        # The story's pictures (set by features/preview.py): the cached web rendition of
        # a picture, or None while it is not made; and who to tell about those.
        self.picture_source: PictureSource | None = None
        self.on_missing: Callable[[list[Picture]], None] | None = None
        self._images: dict[str, tuple[Shown, QImage]] = {}  # by picture id, decoded once
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
        story = self._story
        pictured = story is not None and bool(story.extra.get("pictures"))
        if not pictured:
            self._images, self.browser.images = {}, {}
        self.html = self._pictured(story, renderer) if pictured else renderer(self._pending)
        page = self.html
        if story is not None:
            c = theme.colors()
            page = article_html(story, self.html, c.muted, c.alternate, pictured=pictured)
            # Qt's rich text has no figcaption: set it as the page sets a caption.
            page = page.replace("<figcaption>", f"<p class='caption' style='color:{c.muted}'>")
            page = page.replace("</figcaption>", "</p>")
        self.browser.setHtml(page)

    def _pictured(self, story: Story, renderer: Callable[[str], str]) -> str:
        """The body with the story's pictures placed as the HTML export places them."""
        # Imported here: Pillow comes with the pictures, and only a story with some needs it.
        from newsdesk.ui.editor.preview_pictures import (
            display_size,
            image_url,
            pending_url,
            pictured_body,
            story_pictures,
        )

        pictures = story_pictures(story)
        # Only this story's images are kept: a session of many stories holds no more.
        self._images = {pid: v for pid, v in self._images.items()
                        if pid in {p.id for p in pictures}}
        self.browser.images = {url: image for url, image in self.browser.images.items()
                               if url in {image_url(p) for p in pictures}}
        shown, missing = {}, []
        for picture in pictures:
            shown[picture.id] = self._image(picture)
            if shown[picture.id] is None:
                missing.append(picture)
                size = display_size(picture.width, picture.height, self.measure())
                self.browser.images[pending_url(picture)] = _placeholder(*size)
        if missing and self.on_missing is not None:
            self.on_missing(missing)
        return pictured_body(story.body, pictures, shown, renderer, self.measure())

    def measure(self) -> int:
        """How wide a figure may show: the text's measure, or the pane's width if less."""
        from newsdesk.ui.editor.preview_pictures import MEASURE

        # From the pane's width, not the viewport's, which a scroll bar coming and going
        # would change (and with it the figures, and the scroll bar again).
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        margins = 2 * int(self.browser.document().documentMargin()) + bar + 8
        return max(120, min(MEASURE, self.width() - margins))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Figures are scaled to the pane: a narrower or wider pane shows them again.
        if self._images and self.measure() != next(iter(self._images.values()))[0].measure:
            self._schedule(at_once=False)

    def _image(self, picture: Picture) -> Shown | None:
        """What the preview shows of a picture (preview_pictures.Shown), its image
        decoded and scaled once; None while its rendition is not made."""
        from newsdesk.ui.editor.preview_pictures import Shown, display_size, image_url

        measure = self.measure()
        if picture.id in self._images and self._images[picture.id][0].measure == measure:
            return self._images[picture.id][0]
        made = self.picture_source(picture) if self.picture_source is not None else None
        image = QImage.fromData(made.data) if made is not None else QImage()
        if made is None or image.isNull():
            return None
        shown = Shown(image_url(picture), made.media_type, made.width, made.height, measure)
        size = display_size(made.width, made.height, measure)
        image = image.scaled(*size, Qt.AspectRatioMode.IgnoreAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
        self._images[picture.id] = (shown, image)
        self.browser.images[shown.url] = image
        return shown


def _placeholder(width: int, height: int) -> QImage:
    """A grey box of the picture's shape, while its rendition is being made."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#d8d8d4"))
    return image
