"""Pictures' renditions made in the background: one job on the window's runner.

A picture added in the window, or shown without its thumbnail or web rendition (one that
arrived by sync), gets them made by `Desk.media.make_renditions` in a job of the runner's
"work" lane (ui/jobs/runner.py), never on the GUI thread: decoding a 24-MP photo takes a
good part of a second. `ready` tells the lead photo and the preview to look again. A
picture is asked for once at a time, and one that could not be rendered is not asked
for again in this session (the export says why it cannot go out).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from newsdesk.ui.jobs.runner import Job

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.media import Picture
    from newsdesk.ui.jobs.runner import Progress
    from newsdesk.ui.window import StoryWindow


class RenditionJobs(QObject):
    """The window's background rendition making (one per window: `for_window`)."""

    ready = Signal()

    def __init__(self, window: StoryWindow) -> None:
        super().__init__(window.dialog_parent())
        self.setObjectName("renditionJobs")
        self.window = window
        self._jobs: dict[Job, set[str]] = {}
        self._failed: set[str] = set()

    def pending(self) -> set[str]:
        return set().union(*self._jobs.values()) if self._jobs else set()

    def ensure(self, pictures: Iterable[Picture]) -> Job | None:
        """Start making these pictures' missing renditions, unless already under way."""
        busy = self.pending() | self._failed
        wanted = list({p.id: p for p in pictures if p.id not in busy}.values())
        if not wanted:
            return None

        def work(desk: Desk, progress: Progress) -> object:
            return desk.media.make_renditions(wanted, progress)

        job = Job(self.window.desk.path, work)
        self._jobs[job] = {p.id for p in wanted}
        job.finished.connect(self._finished)  # a slot of this GUI-thread object: queued
        self.window.jobs.start(job)
        return job

    @Slot(object)
    def _finished(self, result: object) -> None:
        ids = self._jobs.pop(self.sender(), set())  # type: ignore[call-overload]
        failed = getattr(result, "failed", None)
        # A job that failed outright (the database moved away) made nothing: no retries.
        self._failed |= ids if failed is None else {p.id for p, _ in failed}
        self.ready.emit()


def for_window(window: StoryWindow) -> RenditionJobs:
    """The window's RenditionJobs, made the first time a feature asks."""
    found = window.dialog_parent().findChild(RenditionJobs, "renditionJobs")
    return found if found is not None else RenditionJobs(window)
