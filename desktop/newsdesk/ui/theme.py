"""Light and dark palettes and the small style sheet the window uses; follows the system."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    button: str
    border: str
    highlight: str
    highlighted_text: str
    link: str
    error: str
    warning: str
    ok: str


LIGHT = Colors(
    window="#f3f3f1",
    base="#ffffff",
    alternate="#f7f7f5",
    text="#1d1d1f",
    muted="#6b6b70",
    button="#ebebe8",
    border="#c9c9c6",
    highlight="#2f6db5",
    highlighted_text="#ffffff",
    link="#1f5fa8",
    error="#c62828",
    warning="#b26a00",
    ok="#2e7d32",
)
DARK = Colors(
    window="#25272b",
    base="#1c1d20",
    alternate="#222327",
    text="#e4e4e6",
    muted="#9a9ca3",
    button="#303237",
    border="#45474d",
    highlight="#3d7fd1",
    highlighted_text="#ffffff",
    link="#79aef0",
    error="#ef6b6b",
    warning="#f0b44c",
    ok="#6cc070",
)

# How each workflow status is named in the window (list, filter, dashboard, workflow bar).
STATUS_LABELS = {
    "draft": "Draft",
    "in_review": "In review",
    "approved": "Approved",
    "published": "Published",
    "spiked": "Spiked",
    "killed": "Killed",
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


# Status colours mean the same in both schemes; only their lightness differs.
STATUS_COLORS = {
    "light": {
        "draft": "#6b6b70",
        "in_review": "#b26a00",
        "approved": "#2e7d32",
        "published": "#1f5fa8",
        "spiked": "#c62828",
        "killed": "#4a148c",
    },
    "dark": {
        "draft": "#a3a5ab",
        "in_review": "#f0b44c",
        "approved": "#6cc070",
        "published": "#79aef0",
        "spiked": "#ef6b6b",
        "killed": "#c39bd3",
    },
}


def is_dark(app: QGuiApplication | None = None) -> bool:
    app = app or QGuiApplication.instance()
    if app is None:
        return False
    return bool(app.property("newsdesk_dark"))


def colors(app: QGuiApplication | None = None) -> Colors:
    return DARK if is_dark(app) else LIGHT


def status_color(status: str) -> QColor:
    table = STATUS_COLORS["dark" if is_dark() else "light"]
    return QColor(table.get(status, table["draft"]))


def _palette(c: Colors) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alternate,
        QPalette.ColorRole.ToolTipBase: c.base,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.button,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.BrightText: c.error,
        QPalette.ColorRole.Highlight: c.highlight,
        QPalette.ColorRole.HighlightedText: c.highlighted_text,
        QPalette.ColorRole.Link: c.link,
        QPalette.ColorRole.Mid: c.border,
        QPalette.ColorRole.Midlight: c.button,
        QPalette.ColorRole.Dark: c.border,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    disabled = QColor(c.muted)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def _style_sheet(c: Colors) -> str:
    # Kept small on purpose: Fusion draws the widgets; this only adds what the palette
    # cannot say (invalid fields, quiet labels, pane headers).
    return f"""
QLineEdit, QPlainTextEdit {{
    border: 1px solid {c.border}; border-radius: 4px; padding: 3px 4px; background: {c.base};
    selection-background-color: {c.highlight}; selection-color: {c.highlighted_text};
}}
QLineEdit:focus, QPlainTextEdit:focus {{ border: 1px solid {c.highlight}; }}
QLineEdit:disabled, QPlainTextEdit:disabled {{ color: {c.muted}; background: {c.alternate}; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"],
QDateEdit[invalid="true"], QDateTimeEdit[invalid="true"] {{
    border: 1px solid {c.error}; border-radius: 4px;
}}
QLabel[role="muted"] {{ color: {c.muted}; }}
QLabel[role="warning"] {{ color: {c.warning}; font-weight: 600; }}
QLabel[role="error"] {{ color: {c.error}; }}
QLabel[role="pane-title"] {{ color: {c.muted}; font-weight: 600; letter-spacing: 0.5px; }}
QLabel[role="headline"] {{ font-size: 15pt; font-weight: 600; }}
QLabel[role="chip"] {{
    border: 1px solid {c.border}; border-radius: 8px; padding: 1px 8px; background: {c.base};
}}
QTableView {{ gridline-color: {c.alternate}; }}
QHeaderView::section {{
    padding: 4px 6px; border: none; border-bottom: 1px solid {c.border};
    border-right: 1px solid {c.alternate}; background: {c.window}; font-weight: 600;
}}
QSplitter::handle {{ background: {c.border}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QToolBar {{ border: none; border-bottom: 1px solid {c.border}; spacing: 2px; padding: 2px 4px; }}
QStatusBar {{ border-top: 1px solid {c.border}; }}
QStatusBar QLabel {{ padding: 0 6px; }}
"""


def apply_theme(app: QApplication, dark: bool | None = None) -> None:
    """Apply the light or dark look; None follows the system colour scheme."""
    if dark is None:
        dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setProperty("newsdesk_dark", dark)
    app.setStyle("Fusion")
    c = DARK if dark else LIGHT
    app.setPalette(_palette(c))
    app.setStyleSheet(_style_sheet(c))


CHOICES = ("system", "light", "dark")


def follow_system(app: QApplication) -> None:
    """Apply the system scheme now and again whenever the user switches it (unless a
    light or dark look was chosen, see `choose`)."""
    apply_theme(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow(app))


def _follow(app: QApplication) -> None:
    if app.property("newsdesk_theme") in (None, "system"):
        apply_theme(app)


def choose(app: QApplication, choice: str) -> None:
    """View › Theme: "system" follows the desktop, "light" and "dark" hold regardless."""
    choice = choice if choice in CHOICES else "system"
    app.setProperty("newsdesk_theme", choice)
    apply_theme(app, None if choice == "system" else choice == "dark")
