"""Pictures in the window: Story › Add Photo…, picture files dropped on the window, and
the lead photo's thumbnail with its caption, alt text and credit in the metadata panel.

Adding goes through the desk as `newsdesk media add` does (the open story is saved
first; the picture is a new revision on top of it; a bad file is refused with the
reason in the status bar and nothing stored). A drop of picture files (by extension;
the bytes are checked when adding) attaches them to the open story; any other drop is
left to the import. The thumbnail is the desk's cached 320 px rendition; the renditions of
an added picture (or of one shown without them) are made by a background job
(features/renditions.py), never on the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QDropEvent, QPixmap
from PySide6.QtWidgets import QFileDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.ui.features import renditions

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData, SignalInstance

    from newsdesk.ui.window import StoryWindow

PICTURE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"})
FILE_FILTER = "Pictures (*.jpg *.jpeg *.png *.webp *.heic);;All files (*)"


def picture_paths(mime: QMimeData) -> list[Path]:
    """The local picture files of a drag (by extension); empty unless all of it is."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    if paths and all(p.suffix.lower() in PICTURE_SUFFIXES for p in paths):
        return paths
    return []


def ask_pictures(parent: QWidget) -> list[Path]:
    """The files chosen in the Add Photo dialog (tests replace this)."""
    names, _ = QFileDialog.getOpenFileNames(parent, "Add Photo", "", FILE_FILTER)
    return [Path(name) for name in names]


class LeadPhoto(QWidget):
    """The lead photo (or the first picture) of the open story: thumbnail and fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leadPhoto")
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 6, 0, 0)
        box.addWidget(self.image)
        box.addWidget(self.text)
        self.hide()

    def show_picture(self, thumbnail: bytes | None, lines: list[str]) -> None:
        """The thumbnail and the lines; with no thumbnail (being made) the lines alone,
        with no lines nothing."""
        if not lines:
            self.hide()
            return
        pixmap = QPixmap()
        if thumbnail is not None and pixmap.loadFromData(thumbnail):
            self.image.setPixmap(pixmap)
        else:
            self.image.clear()
            self.image.setText("(thumbnail being made)")
        self.text.setText("\n".join(lines))
        self.show()


class Photos(QObject):
    """The window's pictures feature."""

    def __init__(self, window: StoryWindow, panel: QScrollArea) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.lead = LeadPhoto()
        layout = panel.widget().layout()
        layout.insertWidget(max(0, layout.count() - 1), self.lead)  # above the stretch
        window.actions_["add_photo"].triggered.connect(self.add_from_dialog)
        self.renditions = renditions.for_window(window)
        # When a background job has made renditions, the lead photo looks again.
        self.renditions.ready.connect(lambda: self.show(window.current_story()))

    def add_from_dialog(self) -> Story | None:
        paths = ask_pictures(self.window.dialog_parent())
        return self.add(paths) if paths else None

    def take_drop(self, event: QDropEvent) -> bool:
        """Attach dropped picture files to the open story; False if not pictures."""
        paths = picture_paths(event.mimeData())
        if not paths or self.window.current_story() is None:
            return False
        event.acceptProposedAction()
        self.add(paths)
        return True

    def add(self, paths: list[Path]) -> Story | None:
        window = self.window
        story = window.current_story()
        if story is None or not window.save_now():
            return None
        try:
            saved, added = window.desk.media.add_pictures(window.current_story().id, paths)
        except NewsdeskError as exc:
            window.show_message(f"Photo not added: {exc}", 8000)
            return None
        self.renditions.ensure(added)  # thumbnail and web rendition, off the GUI thread
        names = ", ".join(p.file_name for p in added)
        # The open story shows the new revision when the window hears the change.
        window.show_message(f"Added {names} (revision {saved.revision})", 6000)
        return saved

    def show(self, story: Story | None) -> None:
        """Show the story's lead photo (or its first picture) in the metadata panel."""
        pictures = self._pictures(story)
        if not pictures:
            self.lead.show_picture(None, [])
            return
        picture = next((p for p in pictures if p.role == "lead"), pictures[0])
        # Only a cached thumbnail: one not made yet (a picture that came by sync) is
        # made by a background job, and shown when it is ready.
        cached = self.window.desk.media.cached_rendition(picture)
        if cached is None:
            self.renditions.ensure([picture])
        thumb = None if cached is None else cached.data
        lines = [picture.caption or "(no caption)", f"Alt: {picture.alt or '(none)'}",
                 f"Credit: {picture.credit or '(none)'}"]
        self.lead.show_picture(thumb, lines)

    @staticmethod
    def _pictures(story: Story | None) -> tuple:
        if story is None or not story.extra.get("pictures"):
            return ()
        from newsdesk.media.attached import pictures_of

        try:
            return pictures_of(story.extra)
        except NewsdeskError:
            return ()


def install(window: StoryWindow, panel: QScrollArea, loaded: SignalInstance) -> Photos:
    """Story › Add Photo…, and the lead photo of each story the window shows."""
    photos = Photos(window, panel)
    loaded.connect(photos.show)
    return photos
