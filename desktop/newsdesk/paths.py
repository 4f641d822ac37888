"""Where Newsdesk keeps its files: the default database and the config folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Newsdesk"


def default_db_path() -> Path:
    """NEWSDESK_DB if set, else newsdesk.db in the platform's user data folder."""
    env = os.environ.get("NEWSDESK_DB")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "newsdesk.db"


def config_dir() -> Path:
    """NEWSDESK_CONFIG_DIR if set, else the platform's user config folder for newsdesk."""
    env = os.environ.get("NEWSDESK_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_config_path("newsdesk", appauthor=False)
