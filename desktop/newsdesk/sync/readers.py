"""Reading many story files at once, on worker processes: what a pass does first when it
meets a whole archive it never read (a second laptop's first sync, a fresh clone).

Reading a story file (its bytes, its hash, its front matter parsed) and checking the
signatures it carries are pure CPU work, one file at a time, and the costliest part of
taking a story in. So a pass with many files to read hands them, a chunk at a time, to
a pool of worker processes (one per core; threads would share one interpreter lock),
which also check every approval's and action's Ed25519 signature and say which verified
(`FileState.verified`; arrival.py does not check those again). A few files are read in
place: starting the workers costs more than a few hundred files do. Either way the
same function reads each file, and the results are the same.

The workers are newsdesk/workers.py's (spawned, never forked; none in a frozen bundle,
which reads in place; each ending once the sync's process is gone), and a pool that
breaks (a worker that cannot start) falls back to reading in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from newsdesk.domain.model import Story
from newsdesk.identity.signing import action_signature_valid, signature_valid
from newsdesk.store.sync_records import pack
from newsdesk.workers import process_pool, worker_count

# Fewer files to read than this: in place (a worker takes about a second to start).
POOL_MIN = 400
# Files per task handed to a worker.
CHUNK = 200

Reader = Callable[..., Any]


def read_files(read: Reader, root: Path, wanted: Sequence[tuple[Any, ...]]) -> list[Any]:
    """`read(root, *item)` of every item, in order: on workers when there are many."""
    workers = worker_count()
    if workers and len(wanted) >= POOL_MIN:
        try:
            return _on_workers(read, root, wanted, workers)
        except BrokenProcessPool:
            pass  # a worker could not start or died: read in place instead
    return [read(root, *item) for item in wanted]


def read_and_check(read: Reader, root: Path, chunk: Sequence[tuple[Any, ...]]) -> list[Any]:
    """What a worker does with one chunk: read each file, check the signatures of the
    story it holds, and work out its sync hash and what taking it in needs (prepare)."""
    states = [read(root, *item) for item in chunk]
    for state in states:
        if state.story is not None:
            state.verified = verified_records(state.story)
            state.hash_of_story()  # worked out here, beside the rest
            prepare(state)
    return states


def prepare(state: Any) -> None:
    """Work out here, not in the process that takes the stories in, what storing a file's
    story costs most: its word count and content hash, and its text packed as the base's
    snapshot (each the same pure function of the file the taking in would run)."""
    story = state.story
    state.counted = (story.word_count, story.content_hash)
    if state.text is not None:
        state.packed = pack(state.text.encode("utf-8"))


def verified_records(story: Story) -> frozenset[object]:
    """The story's approvals and actions whose signatures verify."""
    good: set[object] = {a for a in story.approvals if signature_valid(story.id, a)}
    good.update(a for a in story.actions if action_signature_valid(story.id, a))
    return frozenset(good)


def _on_workers(
    read: Reader, root: Path, wanted: Sequence[tuple[Any, ...]], workers: int
) -> list[Any]:
    with process_pool(workers) as pool:
        parts = [
            pool.submit(read_and_check, read, root, wanted[start : start + CHUNK])
            for start in range(0, len(wanted), CHUNK)
        ]
        return [state for part in parts for state in part.result()]
