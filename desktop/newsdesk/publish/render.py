"""Rendering the stories of an export: here, or in worker processes when there are many.

Rendering (Markdown, sanitizing, front matter or JSON) is pure CPU work, one story at a
time, and the export's own thread has the database and the files to look after. So a
large export hands its stories, a batch at a time, to a pool of worker processes (one
per core; threads would share one interpreter lock) while it goes on reading the next
batch and writing the last. The workers also check the approvals' Ed25519 signatures
(the costliest check of an export, one per story): a story whose signature fails comes
back as the reason instead of its files. A small one renders in place: starting the workers costs
more than a few hundred stories do. The files are the same either way.

The workers are newsdesk/workers.py's: spawned, never forked, none in a frozen bundle
(which renders in place), each ending once the export's process is gone.

Most of a story's rendering is its Markdown body (python-markdown, then nh3), and an
approved text never changes: a job may carry the body as the render cache kept it
(store/render_cache.py, keyed by the approved content hash and `body_renderer()`), and a
body rendered here comes back with the batch (`Rendering.bodies`) for the cache to keep.
A story with pictures renders its body with its figures, never from the cache.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import markdown
import nh3

from newsdesk import __version__
from newsdesk.domain.model import Approval, Story
from newsdesk.formats import html as body_renderer_module
from newsdesk.formats.html import render_body_html
from newsdesk.identity.signing import signature_valid
from newsdesk.publish import html, hugo, ninjs
from newsdesk.publish.pictures import ExportPicture
from newsdesk.publish.record import record_bytes, record_path
from newsdesk.workers import process_pool, worker_count

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
    body_html: str | None = None  # its body as the render cache kept it; None: render it


Files = dict[str, bytes]
# A job's outcome: its files, or why it may not go out (its signature did not verify).
Outcome = Files | str


class Batch(NamedTuple):
    """What rendering some jobs gives: each job's outcome, in order, and the bodies
    rendered here (not given by the cache), by approved content hash."""

    outcomes: list[Outcome]
    bodies: dict[str, str]


@functools.cache
def body_renderer() -> str:
    """Names the code that renders a body, for the render cache's key: formats/html.py
    (by the hash of its source: an allow-list or extension changed in it is a new
    renderer) and the versions of Markdown and nh3."""
    try:
        code = hashlib.sha256(Path(body_renderer_module.__file__).read_bytes()).hexdigest()[:16]
    except (OSError, TypeError):  # a bundle without sources: its version names it
        code = f"newsdesk-{__version__}"
    return f"body/1 {code} markdown-{markdown.__version__} nh3-{nh3.__version__}"

# Fewer stories to render than this: in place (a worker takes about a second to start).
POOL_MIN = 400


def render_jobs(fmt: str, jobs: Sequence[Job], now: datetime) -> Batch:
    """The outcome of each job, in order, and the bodies rendered (what a worker runs;
    also the in-place path)."""
    layout = WRITERS[fmt]
    outcomes: list[Outcome] = []
    bodies: dict[str, str] = {}
    for job in jobs:
        if job.unverified and not signature_valid(job.story.id, job.approval):
            outcomes.append(job.unverified)
            continue
        body = job.body_html
        if body is None and not job.pictures:
            body = bodies[job.approval.content_hash] = render_body_html(job.story.body)
        outcomes.append(story_files(layout, job._replace(body_html=body), job.now or now))
    return Batch(outcomes, bodies)


def story_files(layout: ModuleType, job: Job, now: datetime) -> Files:
    """A story's files in the tree: its pages, and the record of the approved content
    they were rendered from (publish/record.py)."""
    body = None if job.pictures else job.body_html
    files = layout.story_files(job.story, job.approval, job.former, now=now,
                               pictures=job.pictures, body_html=body)
    files[record_path(job.story.id)] = record_bytes(job.story, job.former, now, job.pictures)
    return files


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
            self.pool = process_pool(self.workers)
        size = -(-len(jobs) // self.workers)  # one part per worker
        parts = [
            self.pool.submit(render_jobs, self.fmt, jobs[start : start + size], self.now)
            for start in range(0, len(jobs), size)
        ]
        return Rendering(self, jobs, parts=parts)

    def in_place(self, jobs: Sequence[Job]) -> Batch:
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
        done: Batch | None = None,
        *,
        parts: Sequence[Future[Batch]] = (),
    ) -> None:
        self.renderer = renderer
        self.jobs = jobs
        self.done = done
        self.parts = parts

    def result(self) -> list[Outcome]:
        """Waits for the workers; raises what rendering raised."""
        return self._batch().outcomes

    def bodies(self) -> dict[str, str]:
        """The bodies the batch rendered (not given by the cache), by content hash."""
        return self._batch().bodies

    def _batch(self) -> Batch:
        if self.done is None:
            try:
                batches = [part.result() for part in self.parts]
                self.done = Batch([o for b in batches for o in b.outcomes],
                                  {k: v for b in batches for k, v in b.bodies.items()})
            except BrokenProcessPool:
                # Say, a script that calls the export without the `if __name__ ==
                # "__main__":` guard spawned workers need: the export still completes.
                self.done = self.renderer.in_place(self.jobs)
        return self.done
