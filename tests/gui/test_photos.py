"""Pictures in the window: Story › Add Photo…, a dropped picture file, the lead photo's
thumbnail and fields in the metadata panel, a bad file refused in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from newsdesk.ui.features import photos
from tests.unit.media.test_media_samples import IPTC_CAPTION, IPTC_CREDIT, news_photo


def open_window(qtbot, desk):
    from newsdesk.ui.main_window import MainWindow

    window = MainWindow(desk)
    qtbot.addWidget(window)
    return window


def test_add_photo_attaches_it_and_shows_the_lead_thumbnail(qtbot, tmp_path, monkeypatch):
    from newsdesk.desk import Desk

    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    with Desk.open(tmp_path / "desk.db") as desk:
        story = desk.create(headline="Warehouse fire", body="Text.")
        window = open_window(qtbot, desk)
        window.story_list.select_story(story.id)
        monkeypatch.setattr(photos, "ask_pictures", lambda parent: [photo])
        window.actions_["add_photo"].trigger()
        (picture,) = desk.media.pictures(story.id)
        assert picture.caption == IPTC_CAPTION
        assert window.current_story().revision == story.revision + 1
        # The thumbnail and web rendition are made by a job on the window's runner.
        window.jobs.settle()
        assert desk.media.cached_rendition(picture) is not None
        assert desk.media.cached_rendition(picture, web=True) is not None
        lead = window.photos.lead
        assert not lead.isHidden() and not lead.image.pixmap().isNull()
        assert lead.image.pixmap().width() == 320
        assert IPTC_CAPTION in lead.text.text() and IPTC_CREDIT in lead.text.text()
        window.close()


def test_a_dropped_picture_is_attached_and_a_bad_one_refused(qtbot, tmp_path):
    from newsdesk.desk import Desk

    good, bad = tmp_path / "fire.jpg", tmp_path / "fake.jpg"
    good.write_bytes(news_photo())
    bad.write_bytes(b"not a picture")
    with Desk.open(tmp_path / "desk.db") as desk:
        story = desk.create(headline="Warehouse fire", body="Text.")
        window = open_window(qtbot, desk)
        window.story_list.select_story(story.id)

        def drop(path):
            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(str(path))])
            event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                               Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
            window.dropEvent(event)

        drop(bad)
        assert desk.media.pictures(story.id) == ()
        assert "Photo not added" in window.statusBar().currentMessage()
        drop(good)
        assert len(desk.media.pictures(story.id)) == 1
        window.close()
