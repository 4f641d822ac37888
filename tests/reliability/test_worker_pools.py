"""Worker processes end with the process that started them (newsdesk/workers.py): a
sync, an export or a wire ingest killed with SIGKILL leaves no worker behind, and every
pool in the product is made there."""

from __future__ import annotations

import ast
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "newsdesk"

# A parent that starts two workers, says their pids, then waits to be killed.
PARENT = """
import os, sys, time
from newsdesk.workers import process_pool

pool = process_pool(2)
pids = {pool.submit(os.getpid).result() for _ in range(20)}
print(" ".join(map(str, sorted(pids))), flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_the_workers_of_a_killed_parent_end_on_their_own():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    pids = [int(pid) for pid in parent.stdout.readline().split()]
    assert pids and all(alive(pid) for pid in pids)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in pids if alive(pid)] == []


def test_every_process_pool_is_made_by_newsdesk_workers():
    """A sync's readers, an export's renderers and a wire burst's readers all: one made
    elsewhere would outlive a killed parent."""
    makers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name == "ProcessPoolExecutor":
                    makers.append(str(path.relative_to(PACKAGE)))
    assert makers == ["workers.py"], makers
