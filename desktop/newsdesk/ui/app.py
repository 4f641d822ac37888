"""Application setup: names for QSettings, icon, high-DPI, light/dark scheme, and `run(desk)`."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

import newsdesk
from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui import theme
from newsdesk.ui.icons import app_icon


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once and set up for Newsdesk."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # Fractional scaling as the screen asks (150 %, 175 %), not rounded to whole steps.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Newsdesk")
    app.setApplicationDisplayName("Newsdesk")
    app.setOrganizationName("Newsdesk")
    app.setApplicationVersion(newsdesk.__version__)
    app.setDesktopFileName("newsdesk")
    app.setWindowIcon(app_icon())
    theme.follow_system(app)
    return app


def recover(db: Path | None, error: NewsdeskError) -> Desk | None:
    """The database would not open: when it is damaged, offer its last good backup in a
    dialog (ui/dialogs/backup.py). Returns the desk on the restored file, or None."""
    from newsdesk.ui.dialogs.backup import offer_restore_at_startup

    create_application()
    return offer_restore_at_startup(db, error)


def run(desk: Desk) -> int:
    """Open the main window on `desk` and run until it closes; returns the exit code."""
    from newsdesk.ui.main_window import MainWindow

    app = create_application()
    window = MainWindow(desk)
    window.show()
    return app.exec()
