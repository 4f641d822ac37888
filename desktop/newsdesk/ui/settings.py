"""Window settings kept between sessions (QSettings): geometry, pane sizes, columns, last story."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

# Versioned: a header saved before all seven list columns were shown by default hides three
# of them, so it is not restored.
HEADER_KEY = "story_list/header-v2"


def open_settings() -> QSettings:
    """The window's settings file; NEWSDESK_CONFIG_DIR moves it (tests, portable installs)."""
    folder = os.environ.get("NEWSDESK_CONFIG_DIR")
    if folder:
        return QSettings(str(Path(folder).expanduser() / "window.ini"), QSettings.Format.IniFormat)
    return QSettings()


class WindowSettings:
    """Typed access to the few values the window remembers."""

    def __init__(self, settings: QSettings | None = None):
        self._s = settings or open_settings()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def header(self) -> QByteArray | None:
        return self._bytes(HEADER_KEY)

    def last_story(self) -> str:
        return str(self._s.value("session/last_story", "") or "")

    def theme(self) -> str:
        """The look chosen in View › Theme: "system", "light" or "dark"."""
        return str(self._s.value("view/theme", "system") or "system")

    def save_theme(self, choice: str) -> None:
        self._s.setValue("view/theme", choice)
        self._s.sync()

    def pane_visible(self, name: str, default: bool = True) -> bool:
        value = self._s.value(f"panes/{name}", default)
        return value in (True, "true", "1", 1)

    def save(
        self,
        *,
        geometry: QByteArray,
        window_state: QByteArray,
        splitters: dict[str, QByteArray],
        header: QByteArray,
        last_story: str,
        panes: dict[str, bool],
    ) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", window_state)
        for name, state in splitters.items():
            self._s.setValue(f"splitters/{name}", state)
        self._s.setValue(HEADER_KEY, header)
        self._s.setValue("session/last_story", last_story)
        for name, visible in panes.items():
            self._s.setValue(f"panes/{name}", visible)
        self._s.sync()

    def clear_layout(self) -> None:
        for group in ("window", "splitters", "story_list", "panes"):
            self._s.remove(group)
        self._s.sync()
