"""The test side of the fork server (crash_child.py): start a task, SIGKILL it at random."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SERVER = Path(__file__).with_name("crash_child.py")


@dataclass
class Run:
    """What one worker wrote before it finished or was killed."""

    pid: int
    lines: list[str] = field(default_factory=list)
    killed: bool = False
    status: int = 0

    @property
    def acks(self) -> list[tuple[str, int, str]]:
        """(story id, revision, content hash) of every save the worker reported as done."""
        out = []
        for line in self.lines:
            if line.startswith("ack "):
                _, story_id, revision, content_hash = line.split()
                out.append((story_id, int(revision), content_hash))
        return out

    @property
    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith(("error", "stale"))]


class ForkServer:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert self._line() == "ready"

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the fork server died")
        return line.rstrip("\n")

    def run(self, task: dict, rng: random.Random, *, after: int, delay: float) -> Run:
        """Start `task`; once it has written `after` lines, wait `delay` seconds, then
        SIGKILL it (unless it finished first). Returns everything it wrote."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(task) + "\n")
        self.proc.stdin.flush()
        first = self._line()
        assert first.startswith("pid "), first
        run = Run(int(first.split()[1]))
        while True:
            if len(run.lines) >= after and not run.killed:
                time.sleep(delay)
                # Gone already (finished and reaped): its exit line below says so.
                with contextlib.suppress(ProcessLookupError):
                    os.kill(run.pid, signal.SIGKILL)
                run.killed = True
            line = self._line()
            if line.startswith(f"exit {run.pid} "):
                run.status = int(line.split()[2])
                # Killed after it had already exited on its own: not a kill.
                run.killed = run.killed and os.WIFSIGNALED(run.status)
                return run
            run.lines.append(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)
        if self.proc.stdout:
            self.proc.stdout.close()
