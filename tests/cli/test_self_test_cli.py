"""`newsdesk --self-test` end to end: the real command, offscreen, on nobody's data."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.cli.conftest import newsdesk_executable


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    environ.update(QT_QPA_PLATFORM="offscreen", TMPDIR=str(temp), **env)
    return subprocess.run(
        args, capture_output=True, text=True, timeout=180, env=environ, cwd=tmp_path
    )


def test_self_test_passes_and_leaves_nothing_behind(tmp_path):
    result = run([*newsdesk_executable(), "--self-test"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout
    assert list((tmp_path / "tmp").iterdir()) == []
    # The user's own database and settings (set per test by tests/conftest.py) untouched.
    assert not Path(os.environ["NEWSDESK_DB"]).exists()
    assert not Path(os.environ["NEWSDESK_CONFIG_DIR"]).exists()


def test_self_test_takes_no_command(tmp_path):
    result = run([*newsdesk_executable(), "--self-test", "list"], tmp_path)
    assert result.returncode == 2
    assert "--self-test takes no command" in result.stderr


def test_a_stuck_self_test_ends_with_a_message(tmp_path):
    # Stand in for a window that never returns (a modal dialog nobody answers).
    script = textwrap.dedent(
        """
        import sys, time
        from newsdesk.ui import self_test
        self_test._exercise = lambda db, errors: time.sleep(60)
        sys.exit(self_test.run(timeout=1))
        """
    )
    result = run([sys.executable, "-c", script], tmp_path)
    assert result.returncode == 1
    assert "self-test failed: no result after 1 s" in result.stderr
    assert list((tmp_path / "tmp").iterdir()) == []
