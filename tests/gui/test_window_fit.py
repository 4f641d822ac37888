"""The window fits the screen it opens on, and every pane stays usable at 1280x720 (issue 19)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("first_run_probe.py")


def first_run_on(tmp_path: Path, width: int, height: int) -> dict:
    """Start the window for the first time on an offscreen screen of width x height."""
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [{
        "name": "screen", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1,
    }]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "NEWSDESK_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, str(PROBE), str(tmp_path / "desk.db")], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def within(inner: list[int], outer: list[int]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


@pytest.mark.parametrize("screen", [(1366, 768), (1280, 720), (1920, 1080)])
def test_the_first_window_fits_the_screen(tmp_path, screen):
    shown = first_run_on(tmp_path, *screen)
    assert within(shown["frame"], shown["screen"]), shown
    window = [0, 0, *shown["window"]]
    for name, place in shown["panes"].items():
        assert within(place, window), (name, shown)
        assert place[2] > 0 and place[3] > 0, name
    # Each pane is usable, not merely there: the body shows a good number of lines, the
    # checks a few findings, the headline column room to be read, the metadata form is
    # whole and nothing of the workflow bar (History included) sits in an overflow menu.
    assert shown["body_lines"] >= 12, shown
    assert shown["panes"]["checks"][3] >= 90, shown
    assert shown["headline_column"] >= 120, shown
    assert shown["metadata_whole"] and shown["workflow_buttons_shown"], shown


@pytest.mark.parametrize(("width", "height", "expected"), [
    (1366, 768, (1350, 720)),  # room for the window's frame and title bar
    (1280, 720, (1264, 672)),
    (1920, 1080, (1440, 900)),  # a big screen: the default size
    (2560, 1440, (1440, 900)),
    (800, 600, (784, 552)),
])
def test_first_size_comes_from_the_available_screen(width, height, expected):
    from newsdesk.ui import layout

    assert layout.first_size(width, height) == expected


def test_a_big_screen_shows_every_column_and_leaves_the_editor_room(tmp_path):
    shown = first_run_on(tmp_path, 1920, 1080)
    assert shown["window"] == [1440, 900]
    assert shown["hidden_columns"] == []
    list_w, editor_w, meta_w = (shown["panes"][k][2] for k in ("list", "editor", "metadata"))
    assert editor_w >= 500 and min(list_w, editor_w) > meta_w > 0
    assert shown["headline_column"] >= 150


@pytest.mark.parametrize(("room", "hidden"), [
    (900, []),
    (700, []),
    (560, ["editor"]),
    (520, ["editor", "section"]),
    (300, ["editor", "section", "updated_at", "slug"]),
])
def test_a_narrow_list_gives_up_its_least_needed_columns(room, hidden):
    from newsdesk.ui import layout

    widths = {"slug": 84, "headline": 82, "section": 90, "status": 90, "editor": 73,
              "updated_at": 82, "word_count": 65}
    assert layout.columns_to_hide(widths, room) == hidden
