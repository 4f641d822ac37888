"""Rendering the stories of an export: here, or in worker processes when there are many.

Rendering (Markdown, sanitizing, front matter or JSON) is pure CPU work, one story at a
time, and the export's own thread has the database and the files to look after. So a
large export hands its stories, a batch at a time, to a pool of worker processes (one
per core; threads would share one interpreter lock) while it goes on reading the next
batch and writing the last. The workers also check the approvals' Ed25519 signatures
(the costliest check of an export, one per story): a story whose signature fails comes
back as the reason instead of its files. A small one renders in place: starting the workers costs
more than a few hundred stories do. The files are the same either way.

The workers are started with `spawn`, never `fork`: the window runs an export on a
worker thread, and forking a process that has threads running is not safe. A frozen
bundle (PyInstaller) renders in place, as its entry script would have to call
`multiprocessing.freeze_support()` before a spawned worker could start.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from types import ModuleType
from typing import NamedTuple

from newsdesk.domain.model import Approval, Story
from newsdesk.identity.signing import signature_valid
from newsdesk.publish import html, hugo, ninjs
from newsdesk.publish.pictures import ExportPicture
from newsdesk.publish.record import record_bytes, record_path

WRITERS: dict[str, ModuleType] = {"hugo": hugo, "ninjs": ninjs, "html": html}


class Job(NamedTuple):
    """What one story needs to be rendered: the revision, its approval, its former
    names; if the approval's signature is still to be checked, what to say when it does
    not verify; and the clock to render with, when not the export's (the time an
    unchanged story was first rendered, so that rendering it again gives the same bytes)."""

    story: Story
    approval: Approval
    former: tuple[tuple[str, str], ...] = ()
    unverified: str = ""
    now: datetime | None = None
    pictures: tuple[ExportPicture, ...] = ()


Files = dict[str, bytes]
# A job's outcome: its files, or why it may not go out (its signature did not verify).
Outcome = Files | str

# Fewer stories to render than this: in place (a worker takes about a second to start).
POOL_MIN = 400
MAX_WORKERS = 4


def render_jobs(fmt: str, jobs: Sequence[Job], now: datetime) -> list[Outcome]:
    """The outcome of each job, in order (what a worker runs; also the in-place path)."""
    layout = WRITERS[fmt]
    return [
        job.unverified
        if job.unverified and not signature_valid(job.story.id, job.approval)
        else story_files(layout, job, job.now or now)
        for job in jobs
    ]


def story_files(layout: ModuleType, job: Job, now: datetime) -> Files:
    """A story's files in the tree: its pages, and the record of the approved content
    they were rendered from (publish/record.py)."""
    files = layout.story_files(job.story, job.approval, job.former, now=now,
                               pictures=job.pictures)
    files[record_path(job.story.id)] = record_bytes(job.story, job.former, now, job.pictures)
    return files


def worker_count() -> int:
    """How many worker processes a large export uses here (0: render in place)."""
    if getattr(sys, "frozen", False):
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS) if cores > 1 else 0


class Renderer:
    """Renders batches of jobs, in place or on a process pool started on first use.

    `submit` returns a future of the batch's files, so the caller can prepare the next
    batch meanwhile; `close` stops the workers.
    """

    def __init__(self, fmt: str, now: datetime, expected: int, workers: int | None = None):
        self.fmt = fmt
        self.now = now
        count = worker_count() if workers is None else workers
        self.workers = count if expected >= POOL_MIN or workers is not None else 0
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, jobs: Sequence[Job]) -> Rendering:
        if not self.workers or len(jobs) < 2:
            return Rendering(self, jobs, render_jobs(self.fmt, jobs, self.now))
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        size = -(-len(jobs) // self.workers)  # one part per worker
        parts = [
            self.pool.submit(render_jobs, self.fmt, jobs[start : start + size], self.now)
            for start in range(0, len(jobs), size)
        ]
        return Rendering(self, jobs, parts=parts)

    def in_place(self, jobs: Sequence[Job]) -> list[Outcome]:
        """Render here from now on: the pool broke (a worker could not start or died)."""
        self.workers = 0
        return render_jobs(self.fmt, jobs, self.now)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class Rendering:
    """The files of a submitted batch, in job order: ready, or parts still in workers."""

    def __init__(
        self,
        renderer: Renderer,
        jobs: Sequence[Job],
        files: list[Outcome] | None = None,
        *,
        parts: Sequence[Future[list[Outcome]]] = (),
    ) -> None:
        self.renderer = renderer
        self.jobs = jobs
        self.files = files
        self.parts = parts

    def result(self) -> list[Outcome]:
        """Waits for the workers; raises what rendering raised."""
        if self.files is None:
            try:
                self.files = [files for part in self.parts for files in part.result()]
            except BrokenProcessPool:
                # Say, a script that calls the export without the `if __name__ ==
                # "__main__":` guard spawned workers need: the export still completes.
                self.files = self.renderer.in_place(self.jobs)
        return self.files
