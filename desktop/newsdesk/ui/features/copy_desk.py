"""The copy-desk tools in the window: the checks under the editor, the dashboard in its own
window, spelling squiggles and their menu.

Made once by MainWindow before it restores its layout. The tools see the window through
its protocol (ui/window.py) and the panes they work on, which the window hands them: the
open story, the body editor, the metadata panel and the editor's tabs. Their View menu
toggles are the registry's (toggle_checks, toggle_dashboard, toggle_spelling).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from newsdesk.copydesk.checks import Finding
from newsdesk.domain.model import Story
from newsdesk.ui.editor.spell_highlighter import SpellHighlighter, spelling_menu
from newsdesk.ui.panes.checks_panel import ChecksPanel

if TYPE_CHECKING:
    from newsdesk.ui.editor import BodyEditor
    from newsdesk.ui.open_story import OpenStory
    from newsdesk.ui.panes.dashboard import Dashboard
    from newsdesk.ui.panes.metadata_panel import MetadataPanel
    from newsdesk.ui.window import StoryWindow

# Which metadata widget shows each story field (the dateline's text is its place).
FIELD_WIDGETS = {"dateline": "place"}


class CopyDesk:
    def __init__(self, window: StoryWindow, story: OpenStory, editor: BodyEditor,
                 metadata: MetadataPanel, editor_tabs: QTabWidget) -> None:
        self.window = window
        self.story = story
        self.editor = editor
        self.metadata = metadata
        self.editor_tabs = editor_tabs
        self.checks = ChecksPanel(window.desk, self.story_in_window)
        self.editor_split = _under(editor_tabs, self.checks)
        # The dashboard (pyqtgraph, figures over the whole desk) is built when first shown:
        # building it, and importing pyqtgraph and numpy, took a second of every start.
        # It has a window of its own: docked under the editor it took most of its height.
        self._dashboard: Dashboard | None = None
        self.dashboard_window = DashboardWindow(window.dialog_parent())
        self.dashboard_window.visibility_changed.connect(self._dashboard_visibility)
        rich = editor.rich
        self.spelling = SpellHighlighter(rich.document(), window.desk, window.current_story)
        rich.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rich.customContextMenuRequested.connect(self._context_menu)
        actions = window.actions_
        self.checks_action = actions["toggle_checks"]
        self.dashboard_action = actions["toggle_dashboard"]
        self.spelling_action = actions["toggle_spelling"]
        self.checks_action.toggled.connect(self.checks.setVisible)
        self.dashboard_action.toggled.connect(self.show_dashboard)
        self.spelling_action.toggled.connect(self.spelling.set_enabled)
        self._connect()

    def _connect(self) -> None:
        for signal in (
            self.editor.changed,
            self.metadata.changed,
            self.story.loaded,
            self.story.saved,
            self.story.rebased,
            self.story.autosaver.state_changed,
        ):
            signal.connect(lambda *_args: self.checks.schedule())
        # Another body in the editor (a story opened, a version taken, back from the source
        # view): its squiggles follow over the next turns of the event loop, so the story
        # shows at once. By then the window holds the story the names are taken from.
        self.editor.loaded.connect(self.spelling.check_soon)
        self.checks.finding_activated.connect(self.select_finding)

    @property
    def dashboard(self) -> Dashboard:
        return self._build_dashboard()

    def _build_dashboard(self) -> Dashboard:
        if self._dashboard is None:
            from newsdesk.ui.panes.dashboard import Dashboard

            self._dashboard = Dashboard(self.window.desk)
            self.dashboard_window.set_dashboard(self._dashboard)
            self.window.events.changed.connect(lambda _changes: self._refresh_dashboard())
        return self._dashboard

    def _dashboard_visibility(self, visible: bool) -> None:
        if visible:
            self._build_dashboard()
        self.dashboard_action.blockSignals(True)
        self.dashboard_action.setChecked(visible)
        self.dashboard_action.blockSignals(False)

    def _refresh_dashboard(self) -> None:
        if self._dashboard is not None:
            self._dashboard.refresh()

    def show_dashboard(self, on: bool = True) -> None:
        if on:
            self._build_dashboard()
            self.dashboard_window.open_beside(self.window.dialog_parent())
        else:
            self.dashboard_window.hide()

    # The story as the window shows it

    def story_in_window(self) -> Story | None:
        return self.window.story_in_window()

    def select_finding(self, finding: Finding) -> None:
        """Select the finding's text: in the body editor, or in the metadata field."""
        if finding.field == "body":
            self.editor_tabs.setCurrentIndex(0)
            self.editor.select_range(finding.start, finding.start + finding.length)
            self.editor.setFocus()
            return
        name = FIELD_WIDGETS.get(finding.field, finding.field)
        widget = getattr(self.metadata, name, None)
        if not isinstance(widget, QWidget):
            return
        if not self.metadata.isVisible():
            self.window.actions_["toggle_metadata"].setChecked(True)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.setSelection(finding.start, finding.length)
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            cursor = widget.textCursor()
            cursor.setPosition(min(finding.start, len(widget.toPlainText())))
            cursor.setPosition(
                min(finding.start + finding.length, len(widget.toPlainText())),
                cursor.MoveMode.KeepAnchor,
            )
            widget.setTextCursor(cursor)

    def _context_menu(self, pos: QPoint) -> None:
        rich = self.editor.rich
        menu = spelling_menu(
            rich, pos, self.spelling, lambda text: self.window.show_message(text, 4000)
        )
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(rich.viewport().mapToGlobal(pos))


def _under(editor_tabs: QWidget, panel: QWidget) -> QSplitter:
    """Put `panel` under the editor, in the editor's column of the main splitter.

    Beside the editor in its own column, the panel would add its width to the window's
    minimum width; under it, it shares the editor's column (the banner of a story changed
    elsewhere stays above both).
    """
    column = editor_tabs.parentWidget().layout()
    index = column.indexOf(editor_tabs)
    split = QSplitter(Qt.Orientation.Vertical)
    split.setObjectName("editorChecksSplitter")
    split.setChildrenCollapsible(True)
    column.insertWidget(index, split, 1)  # type: ignore[attr-defined]
    split.addWidget(editor_tabs)
    split.addWidget(panel)
    split.setStretchFactor(0, 4)
    split.setStretchFactor(1, 1)
    panel.setMinimumHeight(90)
    return split


class DashboardWindow(QWidget):
    """The dashboard's own window: beside the main one, sized to the screen it is on."""

    visibility_changed = Signal(bool)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("dashboardWindow")
        self.setWindowTitle("Desk Dashboard")
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def set_dashboard(self, dashboard: QWidget) -> None:
        self.layout().addWidget(dashboard)

    def open_beside(self, main: QWidget) -> None:
        if not self.isVisible():
            free = main.screen().availableGeometry()
            self.resize(min(1100, free.width() - 40), min(780, free.height() - 60))
            frame = self.frameGeometry()
            frame.moveCenter(free.center())
            self.move(frame.topLeft())
        self.show()
        self.raise_()
        self.activateWindow()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.visibility_changed.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.visibility_changed.emit(False)
