"""Fixtures for window tests: a desk on a temp database and windows that close themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from newsdesk.desk import Desk
from newsdesk.ui.app import create_application
from newsdesk.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def qapp_cls():
    # pytest-qt makes the QApplication; ours must be the same class, set up the same way.
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "desk.db"


@pytest.fixture
def desk(db_path: Path) -> Iterator[Desk]:
    with Desk.open(db_path) as d:
        yield d


@pytest.fixture
def make_window(qtbot, qapp) -> Iterator[Callable[[Desk], MainWindow]]:
    create_application()

    def make(desk: Desk) -> MainWindow:
        window = MainWindow(desk)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


def body_input(window: MainWindow) -> QWidget:
    """The text widget the user types the body into, whatever the editor is built from."""
    for kind in (QTextEdit, QPlainTextEdit):
        for widget in window.editor.findChildren(kind):
            if widget.isVisible() and not widget.isReadOnly():
                return widget
    raise AssertionError("no editable body widget found")


def activate(qtbot, window: QWidget) -> None:
    """Make `window` the active one, so that its shortcuts take keys (offscreen too)."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
