"""Counting stories per status off the GUI thread, so a slow count never holds up the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, Signal

from newsdesk.desk import Desk
from newsdesk.model import NewsdeskError


class _Signals(QObject):
    counted = Signal(int, dict)  # generation, {status: count}


class _CountJob(QRunnable):
    """One grouped count on its own connection (a sqlite3 connection is its thread's)."""

    def __init__(self, db_path: Path, filters: dict[str, object], generation: int,
                 signals: _Signals):
        super().__init__()
        self._db_path = db_path
        self._filters = filters
        self._generation = generation
        # The job keeps the emitter alive; a receiver deleted meanwhile is simply not called.
        self._signals = signals

    def run(self) -> None:
        try:
            with Desk.open(self._db_path) as desk:
                counts = desk.status_counts(**self._filters)
        except (NewsdeskError, OSError):
            return  # the list keeps its last counts; the next refresh tries again
        self._signals.counted.emit(self._generation, counts)


class StatusCounter(QObject):
    """Runs the latest count request in the background; older answers are dropped."""

    counted = Signal(dict)

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._db_path = db_path
        self._generation = 0
        self._signals = _Signals()
        self._signals.counted.connect(self._arrived)
        # One worker: counts queue behind each other instead of competing for the disk.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

    def request(self, filters: dict[str, object]) -> None:
        self._generation += 1
        self._pool.clear()  # requests that have not started yet are already out of date
        self._pool.start(_CountJob(self._db_path, dict(filters), self._generation, self._signals))

    def _arrived(self, generation: int, counts: dict) -> None:
        if generation == self._generation:
            self.counted.emit(counts)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the running count (closing the window)."""
        return self._pool.waitForDone(msecs)

    def settle(self) -> None:
        """Wait for the running count and deliver its answer now, not at the next event."""
        self._pool.waitForDone()
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
