"""View › Theme: System, Light or Dark, one of three, applied at once and remembered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QApplication

from newsdesk.ui import theme

if TYPE_CHECKING:
    from newsdesk.ui.window import StoryWindow


def install(window: StoryWindow) -> None:
    group = QActionGroup(window.dialog_parent())
    group.setExclusive(True)
    for choice in theme.CHOICES:
        action = window.actions_[f"theme_{choice}"]
        group.addAction(action)
        action.triggered.connect(lambda _=False, c=choice: choose(window, c))
    saved = window.settings.theme()
    window.actions_[f"theme_{saved if saved in theme.CHOICES else 'system'}"].setChecked(True)
    app = QApplication.instance()
    if saved in ("light", "dark"):
        _apply(window, saved)
    elif isinstance(app, QApplication):
        app.setProperty("newsdesk_theme", "system")  # the desktop's look is on already


def choose(window: StoryWindow, choice: str) -> None:
    window.settings.save_theme(choice)
    _apply(window, choice)


def _apply(window: StoryWindow, choice: str) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        theme.choose(app, choice)
        window.actions_.retint()
