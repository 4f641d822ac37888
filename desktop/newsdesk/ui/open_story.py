"""The open story: shown in the editor and the metadata panel, saved as it is typed
(jobs/autosave.py), saved before it is left, and kept current when it changes elsewhere.

When the Changes the window hears (ui/events.py) touch the open story, `reaction`
decides: the same text with a new status or approval is taken quietly; a new version
with no unsaved edits here is shown at once (a note in the status bar says so), so the
next save meets no stale-revision dialog; with unsaved edits, they are kept and a banner
says who saved when (ui/editor/elsewhere_banner.py), with Compare (the stale-save
dialog's comparison), Keep Mine and Take Theirs. A story moved to the trash elsewhere
closes, or, with edits, gets the banner too (Keep Mine brings it back).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from newsdesk.desk import Changes, Desk
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.ui.editor import BodyEditor
from newsdesk.ui.editor.elsewhere_banner import (
    ElsewhereBanner,
    reloaded_text,
    saved_elsewhere_text,
)
from newsdesk.ui.jobs import autosave
from newsdesk.ui.panes.metadata_panel import MetadataPanel

NOTHING = "nothing"
REBASE = "rebase"  # same text, its status or approvals moved: take it quietly
RELOAD = "reload"  # a new version and nothing unsaved here: show it
BANNER = "banner"  # a new version while there are unsaved edits: keep them, say so
GONE = "gone"  # moved to the trash (or purged) elsewhere, nothing unsaved: close it
GONE_BANNER = "gone-banner"  # the same with unsaved edits: keep them, say so

# The stale-save dialog's choices (dialogs/stale_save.py, imported when first needed).
KEEP_MINE, TAKE_THEIRS = "mine", "theirs"


def reaction(base: Story | None, fresh: Story | None, dirty: bool) -> str:
    """What the editor does when the open story (`base`, as loaded or last saved here)
    may have changed elsewhere: `fresh` is the live story now (None: in the trash or
    purged), `dirty` whether there are unsaved edits here."""
    if base is None:
        return NOTHING
    if fresh is None:
        return GONE_BANNER if dirty else GONE
    same_text = (fresh.revision == base.revision and fresh.editable() == base.editable()
                 and fresh.extra == base.extra)
    if same_text:
        return NOTHING if fresh == base else REBASE
    return BANNER if dirty else RELOAD


def confirm_discard(parent: QWidget, detail: str) -> bool:
    """Ask whether unsaveable edits may be dropped; True means discard (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"This story has changes that cannot be saved yet:\n\n{detail}\n\n"
        "Discard them, or keep editing?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


class OpenStory(QObject):
    """Owns what the window shows of one story and its save cycle."""

    loaded = Signal(object)  # the story now shown (None: none), whole
    saved = Signal(object)  # saved from this window
    rebased = Signal(object)  # the same text with a new status or approval
    message = Signal(str)  # a note for the status bar

    def __init__(self, desk: Desk, editor: BodyEditor, metadata: MetadataPanel,
                 banner: ElsewhereBanner, parent: QWidget) -> None:
        super().__init__(parent)
        self._desk = desk
        self._parent = parent
        self.editor = editor
        self.metadata = metadata
        self.banner = banner
        self._loading = False
        self._gone = False
        self._detail = ""
        self.autosaver = autosave.Autosaver(desk, self.collect, metadata.problems, parent)
        self.autosaver.saved.connect(self._saved)
        self.autosaver.replaced.connect(self.load)
        self.autosaver.problems_found.connect(metadata.mark)
        self.autosaver.state_changed.connect(self._state_changed)
        metadata.changed.connect(self._edited)
        editor.changed.connect(self._body_edited)
        banner.compare.connect(self._compare)
        banner.keep_mine.connect(lambda: self._settle(KEEP_MINE))
        banner.take_theirs.connect(lambda: self._settle(TAKE_THEIRS))

    # What is open

    def current(self) -> Story | None:
        """The story as last loaded or saved."""
        return self.autosaver.base

    def collect(self, base: Story) -> Story:
        story = self.metadata.apply_to(base)
        # The body is taken from the editor only when it was edited, so an untouched body
        # is never rewritten by a round trip through the editor.
        if self.editor.is_modified():
            story = story.replace(body=self.editor.markdown())
        return story

    def in_window(self) -> Story | None:
        """The story as the window shows it, saved or not (what the copy checks read)."""
        base = self.current()
        if base is None:
            return None
        return self.metadata.apply_to(base).replace(body=self.editor.markdown())

    def load(self, story: Story | None) -> None:
        """Show `story` (None: nothing open), its edits tracked from here."""
        self._loading = True
        try:
            self.banner.hide()
            self._gone = False
            self.metadata.set_story(story)
            self.editor.set_markdown(story.body if story else "")
            self.editor.set_read_only(story is None)
            self.editor.setEnabled(story is not None)
            self.autosaver.start(story)
        finally:
            self._loading = False
        self.loaded.emit(story)

    def save_now(self) -> bool:
        return self.autosaver.flush()

    def edit(self, story: Story) -> None:
        """Put these values in the fields as an edit of the user's (one undo gives the
        body back), then save."""
        self.metadata.headline.setText(story.headline)
        self.metadata.deck.setPlainText(story.deck)
        self.metadata.caption.setPlainText(story.caption)
        if story.body != self.editor.markdown():
            self.editor.replace_markdown(story.body)
        self.save_now()

    def leave(self) -> bool:
        """Save the open story before leaving it; False if the user chose to stay."""
        if self.autosaver.flush():
            return True
        if confirm_discard(self._parent, self._detail or "the story could not be saved"):
            self.autosaver.start(None)
            return True
        return False

    # Edits

    def _edited(self) -> None:
        if not self._loading:
            self.autosaver.mark_dirty()

    def _body_edited(self) -> None:
        # Highlighters (spelling) restyle the document without changing its Markdown.
        if self.editor.is_modified():
            self._edited()

    def _saved(self, story: Story) -> None:
        self.editor.mark_saved()
        self.metadata.show_saved(story)
        self.saved.emit(story)

    def _state_changed(self, state: str, detail: str) -> None:
        self._detail = detail
        if state == autosave.SAVED:
            self.banner.hide()
            self._gone = False

    # Changes heard

    def apply(self, changes: Changes) -> None:
        """React to changes that may touch the open story (see `reaction`)."""
        base = self.current()
        # A save of this window's own tells its change while it is being made: the
        # autosaver takes its result itself.
        if base is None or self.autosaver.saving or not changes.touches(base.id):
            return
        found = self._desk.live_stories([base.id])
        fresh = found[0] if found else None
        what = reaction(base, fresh, self.autosaver.is_dirty())
        if what == REBASE and fresh is not None:
            self.autosaver.rebase(fresh)
            self.metadata.show_saved(fresh)
            self.rebased.emit(fresh)
        elif what == RELOAD and fresh is not None:
            self.load(fresh)
            self.message.emit(f"Updated: {reloaded_text(fresh)}")
        elif what == BANNER and fresh is not None:
            self.banner.show_saved(fresh)
            self.autosaver.hold(fresh, saved_elsewhere_text(fresh))
        elif what == GONE:
            self.load(None)
            self.message.emit(f"“{base.headline}” was moved to the trash elsewhere")
        elif what == GONE_BANNER:
            self._gone = True
            self.banner.show_deleted()
            self.autosaver.hold(base, "moved to the trash elsewhere; your edits are kept")

    def _compare(self) -> None:
        from newsdesk.ui.dialogs import stale_save  # when asked, not at every start

        theirs, mine = self.autosaver.held, self.autosaver.edits()
        if theirs is not None and mine is not None:
            self._settle(stale_save.ask(self._parent, mine, theirs))

    def _settle(self, choice: str) -> None:
        theirs = self.autosaver.held
        if theirs is None:
            self.banner.hide()
            return
        if self._gone:
            if choice == TAKE_THEIRS:
                self.load(None)
                return
            if choice != KEEP_MINE:
                return
            try:
                theirs = self._desk.undelete(theirs.id)
            except NewsdeskError as exc:
                self.message.emit(f"Could not bring the story back: {exc}")
                return
            self._gone = False
        self.autosaver.settle(choice, theirs)
