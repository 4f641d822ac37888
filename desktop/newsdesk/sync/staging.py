"""Staging new story files in git while the pass is still writing more: a first sync of
a big archive (or a second laptop's first export) writes thousands of files, a chunk at
a time (bulk.py), and `git add` of a chunk already in place runs beside the writing of
the next instead of after all of them.

Only the files the pass reports in place are staged here, one `git update-index --add`
at a time (git allows one at a time on the index), each reading a list from a file of
the clone's git folder. It saves work and decides nothing: the commit that follows
stages the whole tree as always (`git add -A`, which finds these already staged), so a
failure here (another git holding the index) costs only the time.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from newsdesk.sync.git import Git


class Stager:
    """Stages the paths it is told of, in the background, one command at a time."""

    def __init__(self, git: Git) -> None:
        self.git = git
        self.queued: list[str] = []
        self.running: subprocess.Popen[str] | None = None
        self.listing: Path | None = None

    def placed(self, paths: list[str]) -> None:
        """New files are in place: stage them (now, or once the running add is done)."""
        self.queued.extend(paths)
        self._next()

    def finish(self) -> None:
        """Wait until everything told of is staged (or given up on)."""
        while self.running is not None or self.queued:
            if self.running is not None:
                self.running.wait()
            self._next()

    def _next(self) -> None:
        if self.running is not None:
            if self.running.poll() is None:
                return  # still staging the previous chunk
            self._done()
        if not self.queued or self.git.git_dir is None:
            self.queued = []
            return
        self.listing = self.git.git_dir / f"newsdesk-staging-{os.getpid()}"
        self.listing.write_bytes(b"\0".join(p.encode("utf-8", "surrogateescape")
                                           for p in self.queued))
        self.queued = []
        try:
            with self.listing.open("rb") as paths:
                # update-index reads the paths one by one (no pathspec to match against
                # every file of the tree, as `git add` would).
                self.running = self.git.start(
                    "update-index", "--add", "-z", "--stdin", stdin=paths
                )
        except OSError:
            self._done()

    def _done(self) -> None:
        """The running add ended (how it ended does not matter: see the docstring)."""
        if self.running is not None:
            self.running.communicate()
        self.running = None
        if self.listing is not None:
            with contextlib.suppress(OSError):
                self.listing.unlink()
            self.listing = None
