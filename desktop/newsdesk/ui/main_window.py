"""The main window: composes the story list, body editor and metadata panel and wires them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import newsdesk
from newsdesk import typography, wording
from newsdesk.desk import Desk
from newsdesk.model import NewsdeskError, Story
from newsdesk.ui import (
    autosave,
    desk_tools,
    file_tools,
    layout,
    panes,
    preview_link,
    slug_action,
    theme_menu,
)
from newsdesk.ui.actions import ActionRegistry
from newsdesk.ui.counts import StatusCounter
from newsdesk.ui.editor import BodyEditor, PreviewPane
from newsdesk.ui.features import photos
from newsdesk.ui.filter_bar import FilterBar
from newsdesk.ui.import_worker import ImportController, Importer, ImportSummary
from newsdesk.ui.metadata_panel import MetadataPanel
from newsdesk.ui.settings import WindowSettings
from newsdesk.ui.status_bar import StatusBar
from newsdesk.ui.story_list import StoryTableModel
from newsdesk.ui.story_view import StoryListView
from newsdesk.ui.workflow_bar import WorkflowBar

if TYPE_CHECKING:
    # Dialogs are imported when first opened: each costs the window's start time.
    from newsdesk.ui.history_view import HistoryDialog


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


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.settings = WindowSettings()
        self._loading = False
        self.importer = Importer(self, desk.path)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Newsdesk")
        self.setAcceptDrops(True)
        self.actions_ = ActionRegistry(self)
        self._build_panes()
        self._build_chrome()
        self._connect()
        self.autosaver = autosave.Autosaver(desk, self._collect, self.metadata.problems, self)
        self.autosaver.state_changed.connect(self._save_state_changed)
        self.autosaver.saved.connect(self._story_saved)
        self.autosaver.replaced.connect(self._took_theirs)
        self.autosaver.problems_found.connect(self.metadata.mark)
        self._install_workflow()
        self.desk_tools = desk_tools.install(self)  # checks, dashboard, spelling
        self.sync_tools = file_tools.install_sync(self)  # File > Sync, conflict resolver
        self.export_tools = file_tools.install_export(self)  # File > Export for Publishing
        self.backup_tools = file_tools.install_backups(self)  # File > Restore from Backup
        self._reload_sections()
        layout.restore(self)
        self._apply_filters(self.filter_bar.filters())
        self._open_initial_story()

    # Composition

    def _build_panes(self) -> None:
        self.counter = StatusCounter(self.desk.path, self)
        self.model = StoryTableModel(self.desk, self, counter=self.counter)
        self.filter_bar = FilterBar(self.desk.profile.name, self.desk.profile.role)
        self.story_list = StoryListView(self.model)
        self.story_list.addAction(self.actions_["delete"])
        self.list_pane = QWidget()
        self.list_pane.setObjectName("listPane")
        list_layout = QVBoxLayout(self.list_pane)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.filter_bar)
        list_layout.addWidget(self.story_list, 1)

        self.editor = BodyEditor()
        self.editor.set_typography(typography.house_style(self.desk.rules()))
        self.preview = PreviewPane()
        self.editor_tabs = QTabWidget()
        self.editor_tabs.setObjectName("editorPane")
        self.editor_tabs.setDocumentMode(True)
        self.editor_tabs.addTab(self.editor, "Write")
        self.editor_tabs.addTab(self.preview, "Preview")

        self.metadata = MetadataPanel(self.desk)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.list_pane, self.editor_tabs, self.metadata):
            self.splitter.addWidget(pane)
        self.list_pane.setMinimumWidth(220)
        self.editor_tabs.setMinimumWidth(280)
        self.setCentralWidget(self.splitter)

    def _build_chrome(self) -> None:
        editor = self.editor
        self.actions_.adopt("find", editor.action_find)
        self.actions_.extend("editor-history", [editor.action_undo, editor.action_redo])
        self.actions_.extend("editor-find", [editor.action_replace])
        self.actions_.extend("editor-format", editor.format_actions)
        self.actions_.extend("editor-view", [editor.action_source])
        self.actions_.build_menus(self.menuBar())
        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.actions_.build_toolbar(self.toolbar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.status = StatusBar(str(self.desk.path), self)
        self.setStatusBar(self.status)

    def _connect(self) -> None:
        a = self.actions_
        a["new_story"].triggered.connect(self.new_story)
        a["import"].triggered.connect(lambda: self.import_paths(self.importer.choose_files()))
        a["save"].triggered.connect(self.save_now)
        a["trash_dialog"].triggered.connect(self._trash_dialog)
        a["quit"].triggered.connect(self.close)
        a["find"].triggered.connect(lambda: self.editor_tabs.setCurrentIndex(0))
        a["search"].triggered.connect(self.filter_bar.focus_search)
        a["next_story"].triggered.connect(lambda: self.story_list.move(+1))
        a["previous_story"].triggered.connect(lambda: self.story_list.move(-1))
        a["duplicate"].triggered.connect(self.duplicate_story)
        a["delete"].triggered.connect(self.delete_story)
        a["manage_sections"].triggered.connect(self._manage_sections)
        a["house_style"].triggered.connect(self.apply_house_style)  # Format › Apply…
        a["reset_layout"].triggered.connect(lambda: layout.reset(self))
        a["about"].triggered.connect(self._about)
        a["toggle_list"].toggled.connect(self.list_pane.setVisible)
        a["toggle_metadata"].toggled.connect(self.metadata.setVisible)
        panes.install(self)
        theme_menu.install(self)
        preview_link.install(self)
        self.filter_bar.filters_changed.connect(self._apply_filters)
        self.importer.finished.connect(self._imported)
        self.story_list.story_selected.connect(self.open_story)
        self.model.counted.connect(self._list_counted)
        self.metadata.changed.connect(self._edited)
        self.metadata.manage_sections_requested.connect(self._manage_sections)
        self.editor.changed.connect(self._body_edited)
        self.editor.counts_changed.connect(self.status.show_counts)
        self.editor.counts_changed.connect(self.metadata.show_words)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.styleHints().colorSchemeChanged.connect(lambda _s: self.actions_.retint())

    # Stories

    def current_story(self) -> Story | None:
        return self.autosaver.base

    def _collect(self, base: Story) -> Story:
        story = self.metadata.apply_to(base)
        # The body is taken from the editor only when it was edited, so an untouched body
        # is never rewritten by a round trip through the editor.
        if self.editor.is_modified():
            story = story.replace(body=self.editor.markdown())
        return story

    def _edited(self) -> None:
        if not self._loading:
            self.autosaver.mark_dirty()

    def _body_edited(self) -> None:
        # Highlighters (spelling) restyle the document without changing its Markdown.
        if self.editor.is_modified():
            self._edited()

    def _load(self, story: Story | None) -> None:
        self._loading = True
        try:
            self.metadata.set_story(story)
            self.editor.set_markdown(story.body if story else "")
            self.editor.set_read_only(story is None)
            self.editor.setEnabled(story is not None)
            self.autosaver.start(story)
            preview_link.refresh(self)
            self.photos.show(story)
        finally:
            self._loading = False
        self._update_title()
        self.workflow_bar.set_story(story)

    def _leave_story(self) -> bool:
        """Save the open story before leaving it; False if the user chose to stay."""
        if self.autosaver.flush():
            return True
        detail = self.status.save_detail() or "the story could not be saved"
        if confirm_discard(self, detail):
            self.autosaver.start(None)
            return True
        return False

    def open_story(self, story_id: str) -> None:
        current = self.current_story()
        if current is not None and current.id == story_id:
            return
        if not self._leave_story():
            if current is not None:
                self.story_list.select_story(current.id, notify=False)
                # A click that asked still selects its row once the question is answered:
                # put the open story's row back after that.
                QTimer.singleShot(0, lambda: self.story_list.select_story(current.id, notify=False))
            return
        try:
            story = self.desk.get(story_id)
        except NewsdeskError as exc:
            self.status.showMessage(str(exc), 5000)
            self.refresh()
            return
        self._load(story)

    def save_now(self) -> bool:
        return self.autosaver.flush()

    def new_story(self) -> None:
        if not self._leave_story():
            return
        story = self.desk.create(headline="Untitled story", editor=self.desk.profile.name)
        self._show_new(story)
        self.metadata.headline.setFocus()
        self.metadata.headline.selectAll()

    def duplicate_story(self) -> None:
        current = self.current_story()
        if current is None or not self._leave_story():
            return
        self._show_new(self.desk.duplicate(current.id))
        self.status.showMessage("Duplicated as a new draft", 4000)

    def _show_new(self, story: Story) -> None:
        self._load(story)
        self.refresh()
        self.story_list.select_story(story.id, notify=False)

    def delete_story(self) -> None:
        current = self.current_story()
        if current is None:
            return
        self.autosaver.flush()
        row = self.model.row_of(current.id)
        self.desk.delete(current.id)
        self.autosaver.start(None)
        self._load(None)
        self.story_list.clearSelection()
        self.refresh()
        self.status.showMessage(f"Moved “{current.headline}” to the trash (File › Trash…)", 6000)
        if self.model.rowCount():
            target = min(row or 0, self.model.rowCount() - 1)
            next_id = self.model.story_id(target)
            if next_id:
                self.story_list.select_story(next_id)

    def reload_story(self, story: Story) -> None:
        """Show this version of the open story (a restored revision)."""
        self._load(story)

    def _took_theirs(self, story: Story) -> None:
        """A newer version of the open story (the user took the one saved elsewhere, or
        gave it a new slug): the editor and its list row show it."""
        self._load(story)
        self.model.update_story(story)

    def _story_saved(self, story: Story) -> None:
        self.editor.mark_saved()
        self.model.update_story(story)
        self.metadata.show_saved(story)
        self._update_title()
        self.workflow_bar.set_story(story)

    def _open_initial_story(self) -> None:
        last = self.settings.last_story()
        if last and self.story_list.select_story(last):
            return
        first = self.model.story_id(0)
        if first:
            self.story_list.select_story(first)
        else:
            self._load(None)

    # Workflow: the bar (role buttons, voided-approval banner) and the history window

    def _install_workflow(self) -> None:
        self.workflow_bar = WorkflowBar(
            self.desk, self.actions_, self.current_story, self.save_now, self
        )
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.workflow_bar)
        self.workflow_bar.transitioned.connect(self._transitioned)
        self.workflow_bar.message.connect(lambda text: self.status.showMessage(text, 5000))
        self.actions_["history"].triggered.connect(self.show_history)
        self.slug_action = slug_action.install(self)  # Story > Change Slug
        self.slug_action.changed.connect(self._took_theirs)
        self.photos = photos.install(self)  # Story > Add Photo…, drops, lead photo

    def _transitioned(self, story: Story) -> None:
        self.autosaver.start(story)
        self.metadata.show_saved(story)
        self.refresh()
        self.story_list.select_story(story.id, notify=False)

    def show_history(self) -> HistoryDialog | None:
        """The open story's history, window-modal so no edit races a restore."""
        from newsdesk.ui.history_view import open_history  # a dialog: when first asked

        return open_history(self)

    def apply_house_style(self) -> object:
        from newsdesk.ui.house_style import apply_in_window  # a dialog: when first asked

        return apply_in_window(self)

    # Lists, filters, sections

    def refresh(self) -> None:
        self.model.refresh()

    def _apply_filters(self, filters: dict[str, object]) -> None:
        self.model.set_filters(filters)

    def _list_counted(self) -> None:
        counts = self.model.status_counts
        self.filter_bar.set_counts(counts)
        self.status.show_list_counts(self.model.total or 0, sum(counts.values()))

    def _reload_sections(self) -> None:
        sections = self.desk.sections()
        self.filter_bar.set_sections(sections)
        self.metadata.set_sections(sections)

    def _manage_sections(self) -> None:
        from newsdesk.ui.dialogs import SectionsDialog

        SectionsDialog(self.desk, self).exec()
        self._reload_sections()

    def _trash_dialog(self) -> None:
        from newsdesk.ui.dialogs import TrashDialog

        dialog = TrashDialog(self.desk, self)
        dialog.exec()
        if dialog.restored:
            self.refresh()
            self.story_list.select_story(dialog.restored[-1])

    # Import

    def import_paths(self, paths: list, *, quiet: bool = False) -> ImportController | None:
        """Import in a worker thread; the list refreshes and selects the first new story."""
        if not paths:
            return None
        self.autosaver.flush()
        return self.importer.start(paths, quiet=quiet)

    def _imported(self, summary: ImportSummary) -> None:
        self._reload_sections()
        self.refresh()
        if summary.imported_ids:
            self.story_list.select_story(summary.imported_ids[0])
        self.status.showMessage(f"Imported {wording.count(len(summary.imported_ids), 'story')}",
                                5000)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if photos.picture_paths(event.mimeData()) or self.importer.dropped_paths(
                event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.photos.take_drop(event):
            return
        paths = self.importer.dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # Editor chrome

    def _save_state_changed(self, state: str, detail: str) -> None:
        self.status.show_save_state(state, detail)
        self.setWindowModified(state != autosave.SAVED)

    def _update_title(self) -> None:
        story = self.current_story()
        title = story.headline if story else "No story open"
        self.setWindowTitle(f"{title}[*] — Newsdesk")

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Newsdesk",
            f"<b>Newsdesk</b> {newsdesk.__version__}<br>An offline newsroom editor.<br>"
            f"Database: {self.desk.path}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leave_story():
            event.ignore()
            return
        self.importer.stop_all()
        self.counter.wait()
        self.sync_tools.shutdown()
        self.backup_tools.shutdown()
        layout.save(self)
        event.accept()

