"""Wires the desk tools into the main window: checks under the editor, dashboard, squiggles.

`install(window)` is called once by MainWindow before it restores its layout (docks are
restored by object name). The tools only use the window's public parts: the desk, the
body editor, the metadata panel, the story list model, the autosaver and the View menu.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from newsdesk.checks import Finding
from newsdesk.model import Story
from newsdesk.ui.editor.spell_highlighter import SpellHighlighter, spelling_menu
from newsdesk.ui.panes.checks_panel import ChecksPanel

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow
    from newsdesk.ui.panes.dashboard import Dashboard

# Which metadata widget shows each story field (the dateline's text is its place).
FIELD_WIDGETS = {"dateline": "place"}


class DeskTools:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.checks = ChecksPanel(window.desk, self.story_in_window)
        self.editor_split = _under_editor(window, self.checks)
        # The dashboard (pyqtgraph, figures over the whole desk) is built when first shown:
        # building it, and importing pyqtgraph and numpy, took a second of every start.
        # It has a window of its own: docked under the editor it took most of its height.
        self._dashboard: Dashboard | None = None
        self.dashboard_window = DashboardWindow(window)
        self.dashboard_window.visibility_changed.connect(self._dashboard_visibility)
        rich = window.editor.rich
        self.spelling = SpellHighlighter(rich.document(), window.desk, window.current_story)
        rich.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rich.customContextMenuRequested.connect(self._context_menu)
        self._add_menu_actions()
        self._connect()

    def _connect(self) -> None:
        w = self.window
        for signal in (
            w.editor.changed,
            w.metadata.changed,
            w.autosaver.saved,
            w.autosaver.replaced,
            w.autosaver.state_changed,
            w.story_list.story_selected,
        ):
            signal.connect(lambda *_args: self.checks.schedule())
        # Another body in the editor (a story opened, a version taken, back from the source
        # view): its squiggles follow over the next turns of the event loop, so the story
        # shows at once. By then the window holds the story the names are taken from.
        w.editor.loaded.connect(self.spelling.check_soon)
        self.checks.finding_activated.connect(self.select_finding)

    @property
    def dashboard(self) -> Dashboard:
        return self._build_dashboard()

    def _build_dashboard(self) -> Dashboard:
        if self._dashboard is None:
            from newsdesk.ui.panes.dashboard import Dashboard

            self._dashboard = Dashboard(self.window.desk)
            self.dashboard_window.set_dashboard(self._dashboard)
            self.window.model.loaded.connect(self._dashboard.refresh)
        return self._dashboard

    def _dashboard_visibility(self, visible: bool) -> None:
        if visible:
            self._build_dashboard()
        self.dashboard_action.blockSignals(True)
        self.dashboard_action.setChecked(visible)
        self.dashboard_action.blockSignals(False)

    def show_dashboard(self, on: bool = True) -> None:
        if on:
            self._build_dashboard()
            self.dashboard_window.open_beside(self.window)
        else:
            self.dashboard_window.hide()

    def _add_menu_actions(self) -> None:
        self.checks_action = QAction("Copy &Checks", self.window)
        self.checks_action.setCheckable(True)
        self.checks_action.setChecked(True)
        self.checks_action.setStatusTip("Show or hide the copy-desk checks under the editor")
        self.checks_action.toggled.connect(self.checks.setVisible)
        self.dashboard_action = dashboard_action = QAction("Desk &Dashboard", self.window)
        dashboard_action.setCheckable(True)
        dashboard_action.setStatusTip(
            "Stories per status and section, throughput, approval times (in its own window)"
        )
        dashboard_action.toggled.connect(self.show_dashboard)
        toggles = [self.checks_action, dashboard_action]
        for action, keys in zip(toggles, ("Ctrl+Alt+4", "Ctrl+Alt+5"), strict=True):
            action.setShortcut(QKeySequence(keys))
            self.window.addAction(action)
        self.spelling_action = QAction("Check &Spelling", self.window)
        self.spelling_action.setCheckable(True)
        self.spelling_action.setChecked(True)
        self.spelling_action.setStatusTip(
            "Underline words that neither the dictionary nor the word list knows"
        )
        self.spelling_action.toggled.connect(self.spelling.set_enabled)
        toggles.append(self.spelling_action)
        view = _menu(self.window, "View")
        if view is not None:
            anchor = self.window.actions_["reset_layout"]
            for action in toggles:
                view.insertAction(anchor, action)
            view.insertSeparator(anchor)

    # The story as the window shows it

    def story_in_window(self) -> Story | None:
        base = self.window.current_story()
        if base is None:
            return None
        return self.window.metadata.apply_to(base).replace(body=self.window.editor.markdown())

    def select_finding(self, finding: Finding) -> None:
        """Select the finding's text: in the body editor, or in the metadata field."""
        w = self.window
        if finding.field == "body":
            w.editor_tabs.setCurrentIndex(0)
            w.editor.select_range(finding.start, finding.start + finding.length)
            w.editor.setFocus()
            return
        name = FIELD_WIDGETS.get(finding.field, finding.field)
        widget = getattr(w.metadata, name, None)
        if not isinstance(widget, QWidget):
            return
        if not w.metadata.isVisible():
            w.actions_["toggle_metadata"].setChecked(True)
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
        rich = self.window.editor.rich
        menu = spelling_menu(
            rich, pos, self.spelling, lambda text: self.window.status.showMessage(text, 4000)
        )
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(rich.viewport().mapToGlobal(pos))


def _under_editor(window: MainWindow, panel: QWidget) -> QSplitter:
    """Put `panel` under the editor in the editor's column of the main splitter.

    Beside the editor in its own column, the panel would add its width to the window's
    minimum width; under it, it shares the editor's column.
    """
    split = QSplitter(Qt.Orientation.Vertical)
    split.setObjectName("editorChecksSplitter")
    split.setChildrenCollapsible(True)
    index = window.splitter.indexOf(window.editor_tabs)
    window.splitter.replaceWidget(index, split)
    split.addWidget(window.editor_tabs)
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


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu() is not None:
            return action.menu()
    return None


def install(window: MainWindow) -> DeskTools:
    return DeskTools(window)
