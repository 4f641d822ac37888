"""The preview shows the story's pictures as the HTML export publishes them: the lead
first, a body reference where it stands, each an image with its alt text and a caption
with the credit, from the cached web rendition (no file, no network). A picture without
renditions (arrived by sync) gets them from a background job on the window's runner."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument, QTextImageFormat

from newsdesk.ui.editor.preview_pictures import display_size
from tests.unit.media.test_media_samples import news_photo

SHOTS = Path(os.environ.get("NEWSDESK_SHOTS", "/work/wt/shots/media"))


def document_images(document: QTextDocument) -> list[tuple[str, QImage]]:
    """Each image the preview's document lays out: its name and the image it shows."""
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = QTextImageFormat(fmt).name()
                image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
                found.append((name, image))
            it += 1
        block = block.next()
    return found


def story_with_pictures(desk, tmp_path, *, ahead: bool):
    lead, inline = tmp_path / "lead.jpg", tmp_path / "pier.jpg"
    lead.write_bytes(news_photo((1200, 800)))
    inline.write_bytes(news_photo((640, 480)))
    story = desk.create(headline="Night ferries return", section="News",
                        body="First paragraph.\n\nSecond paragraph.\n")
    _, (first,) = desk.media.add_pictures(story.id, [lead], caption="The north pier at dusk",
                                    credit="Li Wei / Agency", alt="A ferry at the pier",
                                    lead=True)
    _, (second,) = desk.media.add_pictures(story.id, [inline], caption="Passengers boarding",
                                     credit="Desk photo", alt="People on a gangway")
    current = desk.get(story.id)
    body = f"First paragraph.\n\n![People on a gangway](media:{second.id})\n\nSecond paragraph.\n"
    story = desk.save(current.replace(body=body), current.revision)
    if ahead:
        desk.media.make_renditions([first, second])
    return story, first, second


def open_preview(make_window, desk, story):
    window = make_window(desk)
    window.resize(1500, 900)
    window.story_list.select_story(story.id)
    window.actions_["toggle_preview"].trigger()
    return window


def test_the_preview_shows_the_pictures_as_the_html_export_does(
    qtbot, make_window, desk, tmp_path
):
    story, lead, inline = story_with_pictures(desk, tmp_path, ahead=True)
    window = open_preview(make_window, desk, story)
    # Figures fit the pane as laid out (a pane resized shows them again).
    qtbot.waitUntil(lambda: f'width="{window.preview.measure()}"' in window.preview.html)
    html = window.preview.html
    hexes = [p.id.removeprefix("sha256:") for p in (lead, inline)]
    width = window.preview.measure()
    assert width > 300
    assert f'<img src="newsdesk-media:{hexes[0]}" alt="A ferry at the pier" width="{width}"' in html
    assert f'<img src="newsdesk-media:{hexes[1]}" alt="People on a gangway" width="{width}"' in html
    assert "<figcaption>The north pier at dusk — Li Wei / Agency</figcaption>" in html

    shown = window.preview.browser.toPlainText()
    order = ["Night ferries return", "The north pier at dusk — Li Wei / Agency",
             "First paragraph.", "Passengers boarding — Desk photo", "Second paragraph."]
    positions = [shown.index(part) for part in order]
    assert positions == sorted(positions)

    images = document_images(window.preview.browser.document())
    assert [name for name, _ in images] == [f"newsdesk-media:{h}" for h in hexes]
    for (_, image), shape in zip(images, [(1200, 800), (640, 480)], strict=True):
        assert not image.isNull()
        assert (image.width(), image.height()) == display_size(*shape, width)
        # The photo itself (the scene's colours), not the grey stand-in.
        assert image.pixelColor(width // 2, 100).name() != "#d8d8d4"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "preview-pictures.png"))
    # A narrower pane shows the figures narrower, as a page's CSS would.
    window.resize(1000, 900)
    qtbot.waitUntil(lambda: document_images(window.preview.browser.document())[0][1].width()
                    == window.preview.measure() < width)


def test_a_picture_without_renditions_gets_them_from_a_background_job(
    make_window, desk, tmp_path, db_path
):
    story, lead, inline = story_with_pictures(desk, tmp_path, ahead=False)
    with sqlite3.connect(db_path) as conn:  # as a picture that arrived by sync
        assert conn.execute("SELECT count(*) FROM media_renditions").fetchone() == (0,)
    window = open_preview(make_window, desk, story)
    # At first a grey box of the picture's shape, the caption already under it.
    images = document_images(window.preview.browser.document())
    assert all(name.endswith("?pending") for name, _ in images)
    assert "The north pier at dusk — Li Wei / Agency" in window.preview.browser.toPlainText()
    assert window.photos.lead.image.pixmap().isNull()

    window.jobs.settle()
    with sqlite3.connect(db_path) as conn:  # made by the job, seen from outside
        made = dict(conn.execute(
            "SELECT picture_id, count(*) FROM media_renditions GROUP BY picture_id"))
    assert made == {lead.id: 2, inline.id: 2}
    images = document_images(window.preview.browser.document())
    assert [name for name, _ in images] == [
        f"newsdesk-media:{p.id.removeprefix('sha256:')}" for p in (lead, inline)]
    assert all(not image.isNull() for _, image in images)
    assert window.photos.lead.image.pixmap().width() == 320


@pytest.mark.parametrize(("size", "expected"), [
    ((1600, 1067), (560, 373)),
    ((560, 300), (560, 300)),
    ((320, 480), (320, 480)),
    ((6000, 1), (560, 1)),
    ((0, 0), (1, 1)),
])
def test_a_figure_shows_at_its_size_or_scaled_down_to_the_measure(size, expected):
    assert display_size(*size) == expected
