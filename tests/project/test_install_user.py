"""packaging/install-user.sh: installs a build for one user, and --uninstall takes it away."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "org.newsdesk.Newsdesk"

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def fake_build(dist: Path) -> None:
    """What build.sh leaves in dist/newsdesk, with a stand-in for the frozen program."""
    (dist / "_internal").mkdir(parents=True)
    program = dist / "newsdesk"
    program.write_text("#!/bin/sh\necho 'newsdesk 9.9.9'\n")
    program.chmod(0o755)
    share = dist / "share"
    for size in ("48x48", "256x256"):
        icon = share / "icons" / "hicolor" / size / "apps" / f"{APP_ID}.png"
        icon.parent.mkdir(parents=True)
        icon.write_bytes(b"png")
    (share / "applications").mkdir()
    shutil.copy(ROOT / "packaging" / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy(ROOT / "packaging" / f"{APP_ID}.metainfo.xml", share / "metainfo")


def install(home: Path, dist: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home), "DIST": str(dist)}
    env.pop("XDG_DATA_HOME", None)
    return subprocess.run(
        ["bash", str(ROOT / "packaging" / "install-user.sh"), *args],
        capture_output=True, text=True, env=env, timeout=60,
    )


def test_install_and_uninstall_for_the_current_user(tmp_path):
    home, dist = tmp_path / "home", tmp_path / "dist" / "newsdesk"
    home.mkdir()
    fake_build(dist)
    result = install(home, dist)
    assert result.returncode == 0, result.stderr
    opt = home / ".local" / "opt" / "newsdesk"
    share = home / ".local" / "share"
    assert (opt / "newsdesk").is_file()
    assert (home / ".local" / "bin" / "newsdesk").resolve() == (opt / "newsdesk").resolve()
    entry = (share / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={opt}/newsdesk\n" in entry  # found even without ~/.local/bin on PATH
    assert f"TryExec={opt}/newsdesk\n" in entry
    assert (share / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert "9.9.9" in result.stdout

    stories = share / "Newsdesk" / "newsdesk.db"
    stories.parent.mkdir(parents=True)
    stories.write_bytes(b"the user's stories")
    result = install(home, dist, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not opt.exists()
    assert not (home / ".local" / "bin" / "newsdesk").exists()
    assert not (share / "applications" / f"{APP_ID}.desktop").exists()
    assert not list((share / "icons").rglob(f"{APP_ID}.*"))
    assert stories.read_bytes() == b"the user's stories"


def test_without_a_build_it_says_what_to_run(tmp_path):
    result = install(tmp_path, tmp_path / "nothing-here")
    assert result.returncode == 2
    assert "run packaging/build.sh first" in result.stderr
