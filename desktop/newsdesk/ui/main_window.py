"""The main window: composes the panes (story list, editor, metadata panel, workflow bar,
status bar), the open story, the actions and the features, and hands every pane the
Changes it hears (ui/events.py)."""

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
from newsdesk.copydesk import typography
from newsdesk.desk import Desk
from newsdesk.domain.model import Story
from newsdesk.ui import layout
from newsdesk.ui.actions import ActionRegistry
from newsdesk.ui.editor import BodyEditor, PreviewPane
from newsdesk.ui.editor.elsewhere_banner import ElsewhereBanner
from newsdesk.ui.events import Events
from newsdesk.ui.features import (
    after_publication,
    backups,
    change_slug,
    copy_desk,
    export,
    photos,
    preview,
    sync_folder,
    theme_choice,
    wire_update,
)
from newsdesk.ui.features.importing import ImportDrops
from newsdesk.ui.features.section_lists import SectionLists
from newsdesk.ui.features.stories import StoryCommands
from newsdesk.ui.jobs import autosave
from newsdesk.ui.jobs.counts import StatusCounter
from newsdesk.ui.jobs.imports import ImportController, Importer
from newsdesk.ui.jobs.runner import JobRunner
from newsdesk.ui.open_story import OpenStory
from newsdesk.ui.panes import focus
from newsdesk.ui.panes.filter_bar import FilterBar
from newsdesk.ui.panes.metadata_panel import MetadataPanel
from newsdesk.ui.panes.status_bar import StatusBar
from newsdesk.ui.panes.story_list_model import StoryTableModel
from newsdesk.ui.panes.story_list_view import StoryListView
from newsdesk.ui.panes.workflow_bar import WorkflowBar
from newsdesk.ui.settings import WindowSettings

if TYPE_CHECKING:
    # Dialogs are imported when first opened: each costs the window's start time.
    from newsdesk.ui.dialogs.history import HistoryDialog


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, parent: QWidget | None = None):
        super().__init__(parent)
        self.desk = desk
        self.settings = WindowSettings()
        self.jobs = JobRunner(self)
        self.events = Events(desk, self)
        self.jobs.changed.connect(self.events.broadcast)  # what jobs' own Desks change
        self.importer = Importer(self, self.jobs, desk.path)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Newsdesk")
        self.setAcceptDrops(True)
        self.actions_ = ActionRegistry(self)
        self._build_panes()
        self._build_chrome()
        self.story = OpenStory(desk, self.editor, self.metadata, self.banner, self)
        self.autosaver = self.story.autosaver
        self._install_workflow()
        self._connect()
        self._install_features()
        self.sections.reload()
        layout.restore(self)
        self.model.set_filters(self.filter_bar.filters())
        self.open_first_story()

    # Composition

    def _build_panes(self) -> None:
        self.counter = StatusCounter(self.jobs, self.desk.path, self)
        self.model = StoryTableModel(self.desk, self, counter=self.counter)
        self.filter_bar = FilterBar(self.desk.profile.name, self.desk.profile.role)
        self.story_list = StoryListView(self.model)
        self.story_list.addAction(self.actions_["delete"])
        self.list_pane = _column("listPane", self.filter_bar, self.story_list)
        self.editor = BodyEditor()
        self.editor.set_typography(typography.house_style(self.desk.rules()))
        self.preview = PreviewPane()
        self.editor_tabs = QTabWidget()
        self.editor_tabs.setObjectName("editorPane")
        self.editor_tabs.setDocumentMode(True)
        self.editor_tabs.addTab(self.editor, "Write")
        self.editor_tabs.addTab(self.preview, "Preview")
        self.banner = ElsewhereBanner()
        self.editor_column = _column("editorColumn", self.banner, self.editor_tabs)
        self.metadata = MetadataPanel(self.desk)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for pane in (self.list_pane, self.editor_column, self.metadata):
            self.splitter.addWidget(pane)
        self.list_pane.setMinimumWidth(220)
        self.editor_column.setMinimumWidth(280)
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
        self.commands = StoryCommands(self, self.story, self.story_list, self.model,
                                      self.metadata)
        self.imports = ImportDrops(self, self.importer, self.autosaver, self.story_list)
        a["save"].triggered.connect(self.save_now)
        a["wire_queue"].triggered.connect(self._wire_view)
        QTimer.singleShot(1500, self._resume_wire_watch)  # after the first page is up
        a["quit"].triggered.connect(self.close)
        a["find"].triggered.connect(lambda: self.editor_tabs.setCurrentIndex(0))
        a["search"].triggered.connect(self.filter_bar.focus_search)
        a["next_story"].triggered.connect(lambda: self.story_list.move(+1))
        a["previous_story"].triggered.connect(lambda: self.story_list.move(-1))
        a["history"].triggered.connect(self.show_history)
        a["reset_layout"].triggered.connect(lambda: layout.reset(self))
        a["about"].triggered.connect(self._about)
        a["toggle_list"].toggled.connect(self.list_pane.setVisible)
        a["toggle_metadata"].toggled.connect(self.metadata.setVisible)
        focus.install(self)
        # Every pane hears every change, whoever made it: this window, a job, another
        # process. The list first, so that the open story's row is there to select.
        self.sections = SectionLists(self, self.filter_bar, self.metadata)
        self.events.changed.connect(self.model.apply)
        self.events.changed.connect(self.story.apply)
        self.events.problem.connect(lambda text: self.show_message(text, 15000))
        self.filter_bar.filters_changed.connect(self.model.set_filters)
        self.model.counted.connect(self._list_counted)
        self.story.loaded.connect(self._shown)
        self.story.saved.connect(self._shown_again)
        self.story.rebased.connect(self._shown_again)
        self.story.message.connect(lambda text: self.show_message(text, 8000))
        self.autosaver.state_changed.connect(self._save_state_changed)
        # Taking their version means another connection wrote: look at once, not at the
        # next poll, so the list shows it too.
        self.autosaver.replaced.connect(lambda _story: self.events.poll())
        self.editor.counts_changed.connect(self.status.show_counts)
        self.editor.counts_changed.connect(self.metadata.show_words)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.styleHints().colorSchemeChanged.connect(lambda _s: self.actions_.retint())

    def _install_workflow(self) -> None:
        """The workflow bar: role buttons, the voided-approval banner."""
        self.workflow_bar = WorkflowBar(
            self.desk, self.actions_, self.current_story, self.save_now, self
        )
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.workflow_bar)
        self.workflow_bar.message.connect(lambda text: self.show_message(text, 5000))

    def _install_features(self) -> None:
        self.copy_desk = copy_desk.CopyDesk(
            self, self.story, self.editor, self.metadata, self.editor_tabs
        )
        self.sync_tools = sync_folder.SyncTools(self)
        self.export_tools = export.ExportAction(self)
        self.backup_tools = backups.BackupTools(self)
        self.slug_action = change_slug.SlugAction(self)
        theme_choice.install(self)
        self.after_publication = after_publication.install(
            self, self.story.loaded, self.metadata.story_type)
        self.photos = photos.install(self, self.metadata, self.story.loaded)
        self.wire_update = wire_update.install(self, self.editor_column, self.story.loaded)
        self.preview_tab = preview.Preview(self, self.editor_tabs, self.preview)
        for signal in (self.editor.changed, self.metadata.changed):
            signal.connect(lambda: self.preview_tab.refresh())
        self.actions_["house_style"].triggered.connect(self.apply_house_style)

    # The open story (StoryWindow, ui/window.py)

    def dialog_parent(self) -> QWidget:
        return self

    def current_story(self) -> Story | None:
        return self.story.current()

    def story_in_window(self) -> Story | None:
        return self.story.in_window()

    def save_now(self) -> bool:
        return self.story.save_now()

    def leave_story(self) -> bool:
        return self.story.leave()

    def close_story(self) -> None:
        self.story.load(None)

    def show_message(self, text: str, timeout_ms: int = 5000) -> None:
        self.status.showMessage(text, timeout_ms)

    def edit_story(self, story: Story) -> None:
        self.story.edit(story)

    def open_story(self, story_id: str) -> None:
        self.commands.open_story(story_id)

    def open_first_story(self) -> None:
        self.commands.open_first_story()

    def _shown(self, story: Story | None) -> None:
        if hasattr(self, "preview_tab"):  # not yet while the window is being built
            self.preview_tab.refresh()
        self._shown_again(story)

    def _shown_again(self, story: Story | None) -> None:
        self._update_title()
        self.workflow_bar.set_story(story)

    # Stories

    def new_story(self) -> None:
        self.commands.new_story()

    def duplicate_story(self) -> None:
        self.commands.duplicate_story()

    def delete_story(self) -> None:
        self.commands.delete_story()

    def show_history(self) -> HistoryDialog | None:
        """The open story's history, window-modal so no edit races a restore."""
        from newsdesk.ui.dialogs.history import open_history  # a dialog: when first asked

        return open_history(self)

    def apply_house_style(self) -> object:
        from newsdesk.ui.dialogs.house_style import apply_in_window  # when first asked

        return apply_in_window(self)

    # Lists, filters, sections

    def refresh(self) -> None:
        self.model.refresh()

    def _list_counted(self) -> None:
        counts = self.model.status_counts
        self.filter_bar.set_counts(counts)
        self.status.show_list_counts(self.model.total or 0, sum(counts.values()))

    def _wire_view(self) -> None:
        from newsdesk.ui.features.wire import WireDialog

        dialog = WireDialog(self)
        dialog.story_changed.connect(self.open_story)  # the list hears the Changes itself
        dialog.open()

    def _resume_wire_watch(self) -> None:
        from newsdesk.ui.features.wire_ingest import resume_watching

        resume_watching(self)

    # Import

    def import_paths(self, paths: list, *, quiet: bool = False) -> ImportController | None:
        """Import in a job; the list hears of the new stories, and the first is selected."""
        return self.imports.import_paths(paths, quiet=quiet)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.imports.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.imports.drop(event, self.photos)

    # Chrome

    def _save_state_changed(self, state: str, detail: str) -> None:
        self.status.show_save_state(state, detail)
        self.setWindowModified(state != autosave.SAVED)

    def _update_title(self) -> None:
        story = self.current_story()
        title = story.headline if story else "No story open"
        self.setWindowTitle(f"{title}[*] — Newsdesk")

    def _about(self) -> None:
        QMessageBox.about(self, "About Newsdesk", f"<b>Newsdesk</b> {newsdesk.__version__}<br>"
                          f"An offline newsroom editor.<br>Database: {self.desk.path}")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.leave_story():
            event.ignore()
            return
        self.events.stop()
        self.sync_tools.shutdown()
        self.jobs.shutdown()
        self.backup_tools.shutdown()
        layout.save(self)
        event.accept()


def _column(name: str, *widgets: QWidget) -> QWidget:
    """Widgets stacked in one pane of the splitter, the last taking the height left."""
    pane = QWidget()
    pane.setObjectName(name)
    column = QVBoxLayout(pane)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    for widget in widgets:
        column.addWidget(widget, 1 if widget is widgets[-1] else 0)
    return pane
