"""Run by test_window_fit.py in its own process, on a screen of the size it is given:
start the window on a fresh database and settings as `newsdesk` does, and print where
everything is (JSON). Not a test module: a child process needs a screen of its own."""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication, QWidget

from newsdesk.desk import Desk
from newsdesk.ui.app import create_application
from newsdesk.ui.main_window import MainWindow


def rect(widget: QWidget, window: QWidget) -> list[int]:
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def main() -> int:
    app = create_application([])
    with Desk.open(sys.argv[1], seed=True) as desk:
        window = MainWindow(desk)
        window.show()
        for _ in range(5):
            app.processEvents()
        story_list, bar, rich = window.story_list, window.workflow_bar, window.editor.rich
        panel = window.metadata
        buttons = [bar.widgetForAction(a) for a in bar.actions() if a.isVisible()]
        screen = window.screen().availableGeometry()
        frame = window.frameGeometry()
        print(json.dumps({
            "screen": [screen.x(), screen.y(), screen.width(), screen.height()],
            "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
            "window": [window.width(), window.height()],
            "headline_column": story_list.columnWidth(1),
            "hidden_columns": [i for i in range(7) if story_list.isColumnHidden(i)],
            "body_lines": rich.viewport().height() // rich.fontMetrics().lineSpacing(),
            "metadata_whole": panel.widget().width() <= panel.viewport().width(),
            "workflow_buttons_shown": all(b is None or b.isVisible() for b in buttons),
            "panes": {name: rect(widget, window) for name, widget in (
                ("list", window.list_pane), ("editor", window.editor_tabs),
                ("metadata", window.metadata), ("checks", window.copy_desk.checks),
                ("status", window.status), ("workflow", window.workflow_bar),
            )},
        }))
        window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
