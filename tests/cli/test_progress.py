"""Progress on long commands: a bar on a terminal's stderr, never in JSON or a pipe (issue 19)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
from pathlib import Path

from tests.cli.conftest import newsdesk_executable
from tests.cli.test_export_cli import set_up_desk

BAR_RE = re.compile(r"(\d+)/(\d+) \[\d\d:\d\d<\d\d:\d\d")  # done/total [elapsed<left


def on_terminal(runner, *args: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    """Run `newsdesk` with stderr on a pseudo-terminal, as a person would see it; stdout
    is a pipe. Returns (stdout, what the terminal got)."""
    master, slave = pty.openpty()
    # A terminal 100 columns wide (a new pseudo-terminal has no size, and no room for a bar).
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    process = subprocess.Popen(
        [*newsdesk_executable(), "--db", str(runner.db), *args], stdout=subprocess.PIPE,
        stderr=slave, stdin=subprocess.DEVNULL, env={**runner.env, **(env or {})},
    )
    os.close(slave)
    seen = bytearray()
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    out = process.stdout.read().decode()
    process.wait(timeout=60)
    os.close(master)
    return out, seen.decode(errors="replace")


def stories(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"story-{n:03d}.md").write_text(
            f'---\nheadline: "Story {n}"\nslug: "story-{n}"\n---\nText {n}.\n', encoding="utf-8")
    return folder


def test_import_and_sync_show_a_bar_with_the_count_on_a_terminal(newsdesk, tmp_path):
    folder = stories(tmp_path / "in", 120)
    out, terminal = on_terminal(newsdesk, "import", str(folder))
    assert len(out.splitlines()) == 120  # stdout holds the ids, as without a terminal
    assert "Importing" in terminal
    assert ("120", "120") in BAR_RE.findall(terminal)
    out, terminal = on_terminal(newsdesk, "sync", str(tmp_path / "shared"))
    assert "Syncing" in terminal and BAR_RE.search(terminal)
    _out, terminal = on_terminal(newsdesk, "sync", str(tmp_path / "shared"), "--json")
    assert "Syncing" not in terminal and not BAR_RE.search(terminal)


def test_no_bar_in_a_pipe(newsdesk, tmp_path):
    folder = stories(tmp_path / "in", 30)
    done = newsdesk("import", str(folder))
    assert done.stderr == ""


def test_export_shows_a_bar_on_a_terminal_and_none_in_json(newsdesk, tmp_path):
    def as_(folder: str):
        env = {"NEWSDESK_CONFIG_DIR": str(tmp_path / folder)}
        return lambda *args, check=0: newsdesk(*args, env=env, check=check)

    set_up_desk(as_, tmp_path)
    chief = {"NEWSDESK_CONFIG_DIR": str(tmp_path / "chief")}
    _out, terminal = on_terminal(newsdesk, "export", "--format", "html", "--out",
                                 str(tmp_path / "site"), "--json", env=chief)
    assert "Exporting" not in terminal
    _out, terminal = on_terminal(newsdesk, "export", "--format", "ninjs", "--out",
                                 str(tmp_path / "feed"), env=chief)
    assert "Exporting" in terminal and BAR_RE.search(terminal)
