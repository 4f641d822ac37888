"""Worker processes for a burst of work (a sync reading thousands of files, an export
rendering thousands of stories, a wire burst): how many, and a pool of them that ends
with the process that started it.

The workers are spawned, never forked: the window runs these on worker threads, and
forking a process that has threads running is not safe. A frozen bundle (PyInstaller)
works in place, as its entry script would have to call `multiprocessing.freeze_support()`
before a spawned worker could start. A worker ends on its own once its parent is gone:
a parent killed with SIGKILL cannot stop its pool, and its workers would otherwise wait
forever on a queue they hold open themselves (the wire ingest's kill loop found them).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

MAX_WORKERS = 4
PARENT_CHECK_SECONDS = 0.5  # how soon a worker notices that its parent was killed


def worker_count() -> int:
    """How many worker processes a burst uses here (0: work in place)."""
    if getattr(sys, "frozen", False):
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return min(cores, MAX_WORKERS) if cores > 1 else 0


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` spawned processes, each ending once this process is gone."""
    return ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                               initializer=end_with_parent, initargs=(os.getpid(),))


def end_with_parent(parent: int) -> None:
    """In a worker process: end as soon as the process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
