"""Counting stories per status as a job, so a slow count never holds up the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from newsdesk.desk import Desk
from newsdesk.ui.jobs.runner import Job, JobRunner, Progress

LANE = "counts"


class StatusCounter(QObject):
    """Runs the latest count request in the runner's counts lane (one at a time, a newer
    request supersedes one not started); older answers are dropped."""

    counted = Signal(dict)

    def __init__(self, runner: JobRunner, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._db_path = db_path
        self._generation = 0

    def request(self, filters: dict[str, object]) -> None:
        self._generation += 1
        generation, asked = self._generation, dict(filters)

        def work(desk: Desk, _progress: Progress) -> tuple[int, dict[str, int] | None]:
            return generation, desk.status_counts(**asked)

        # A count that fails leaves the list its last counts; the next request tries again.
        job = Job(self._db_path, work, fail=lambda _exc: (generation, None))
        job.finished.connect(self._arrived)
        self._runner.start(job, LANE, supersede=True)

    def _arrived(self, answer: tuple[int, dict[str, int] | None]) -> None:
        generation, counts = answer
        if generation == self._generation and counts is not None:
            self.counted.emit(counts)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the running count (closing the window)."""
        return self._runner.wait(LANE, msecs)

    def settle(self) -> None:
        """Wait for the running count and deliver its answer now, not at the next event."""
        self._runner.settle(LANE)
