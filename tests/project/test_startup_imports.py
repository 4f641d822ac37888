"""What reading the command line loads (issue 23: any `newsdesk` command starts in under
60 ms before its own work): `newsdesk --version`, `--help` and a command's `--help`, run
as a user runs them in a fresh interpreter, import neither Qt, numpy, sqlite-utils (nor
its command line, click), the desk, nor the publishing or sync code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

# Each costs tens of milliseconds, and none is needed to read a command line.
HEAVY = (
    "PySide6",
    "shiboken6",
    "numpy",
    "click",
    "sqlite_utils",
    "newsdesk.desk",
    "newsdesk.store",
    "newsdesk.publish",
    "newsdesk.sync",
    "newsdesk.ui",
    "markdown",
    "yaml",
    "tqdm",
    "cryptography",
)


def loaded_by(argv: list[str], tmp_path) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `python -X importtime -m newsdesk ARGV`; its result and every module it imported."""
    env = {**os.environ, "NEWSDESK_DB": str(tmp_path / "never.db"),
           "NEWSDESK_CONFIG_DIR": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "newsdesk", *argv],
        capture_output=True, text=True, timeout=60, env=env,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return done, modules


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m in HEAVY or m.startswith(tuple(h + "." for h in HEAVY)))


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["--help"], ["list", "--help"], ["export", "--help"], ["sync", "--help"]],
)
def test_reading_the_command_line_imports_nothing_heavy(argv, tmp_path):
    done, modules = loaded_by(argv, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "newsdesk" in done.stdout
    assert "newsdesk.cli.main" in modules  # the measure saw the command line being read
    assert heavy(modules) == []
    assert not (tmp_path / "never.db").exists()


def test_a_bad_option_is_refused_without_loading_the_desk(tmp_path):
    done, modules = loaded_by(["list", "--no-such-option"], tmp_path)
    assert done.returncode == 2
    assert "unrecognized arguments: --no-such-option" in done.stderr
    assert heavy(modules) == []


def test_a_command_still_loads_what_it_runs_with(tmp_path):
    """The counter-check: the same measure sees the desk when a command that needs it runs."""
    done, modules = loaded_by(["trash", "--json"], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {"newsdesk.store", "newsdesk.desk", "sqlite_utils"} <= modules


@pytest.mark.parametrize("argv", [["list", "--json"], ["search", "harbour", "--json"]])
def test_list_and_search_load_the_store_alone(argv, tmp_path):
    """They only read the list: the store, without the desk, sync or publishing code."""
    done, modules = loaded_by(argv, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "[]\n"
    assert {"newsdesk.store", "sqlite_utils"} <= modules
    assert [m for m in heavy(modules) if not m.startswith(("newsdesk.store", "sqlite_utils",
                                                            "click"))] == []


@pytest.mark.parametrize("argv", [["trash", "--json"], ["show", "no-such-story"]])
def test_a_command_that_opens_the_desk_loads_no_sync_or_publishing_code(argv, tmp_path):
    """The desk's facade and exchange imported the sync package at their top, so every
    command that opens the desk (and the window) loaded it: a tenth of the window's start
    on a quiet machine. It loads when a sync or a conflict is asked for (issue 23)."""
    done, modules = loaded_by(argv, tmp_path)
    assert done.returncode in (0, 2), done.stderr[-2000:]
    assert "newsdesk.desk" in modules
    assert [m for m in modules if m.startswith(("newsdesk.sync", "newsdesk.publish"))] == []


def test_a_sync_still_loads_the_sync_package(tmp_path):
    done, modules = loaded_by(["sync", str(tmp_path / "shared")], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "newsdesk.sync" in modules
