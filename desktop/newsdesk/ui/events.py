"""The window hears about changes: one broadcast of Changes (desk/changes.py) that the
panes subscribe to, whatever made them.

Three sources feed it: the window's own Desk (every operation that changes data tells
its subscribers, synchronously), jobs on worker threads with Desks of their own (the
runner's `changed`, delivered on the GUI thread), and other processes (a timer asks
`Desk.outside_changes()` every POLL_MS: two stat calls and a pragma when nobody wrote;
it also notices a database replaced by a restore, or a write-ahead log deleted under the
window, which the store then writes back). No caller decides what to refresh: each pane
decides from the Changes alone. See docs/architecture.md, "The window hears about
changes".
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from newsdesk.desk import Changes, Desk
from newsdesk.domain.model import NewsdeskError

POLL_MS = 700


class Events(QObject):
    """`changed(Changes)` for every change heard; `problem(str)` once per new problem with
    watching the database (the file removed, say)."""

    changed = Signal(object)
    problem = Signal(str)

    def __init__(self, desk: Desk, parent: QObject | None = None,
                 interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._desk = desk
        self._last_problem = ""
        self._unsubscribe = desk.subscribe(self._heard)
        self.poll()  # starts watching: what other connections wrote before now is loaded
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _heard(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def broadcast(self, changes: Changes) -> None:
        """Changes made elsewhere in this process (a job's own Desk)."""
        if changes:
            self.changed.emit(changes)

    def poll(self) -> Changes:
        """Ask the Desk what other connections changed (it tells us as a subscriber)."""
        try:
            found = self._desk.outside_changes()
        except NewsdeskError as exc:
            if str(exc) != self._last_problem:
                self._last_problem = str(exc)
                self.problem.emit(str(exc))
            return Changes()
        self._last_problem = ""
        return found

    def stop(self) -> None:
        self.timer.stop()
        self._unsubscribe()
