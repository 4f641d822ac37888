"""Delivery through git: what a push's answer means, and how long to wait before the next.

Under concurrency a push loses races: the remote has commits this laptop has not merged
yet (`[rejected] (fetch first)`, `(non-fast-forward)`), or another push updated the
branch between git's look at it and its own update (`[remote rejected] (failed to update
ref)`, "cannot lock ref"). Both are settled by fetching, merging (through the same
conflict handling) and pushing again, after a random wait that grows with each try (full
jitter: laptops that collided do not collide again in step). Anything else (a hook that
declines, no access, no network) fails at once: trying again would not help.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

PUSHED = "pushed"
BEHIND = "behind"  # lost a race: fetch, merge and push again
FAILED = "failed"

# What git says when a push lost a race, in its porcelain status line or its errors.
_BEHIND_WORDS: tuple[str, ...] = (
    "fetch first",
    "non-fast-forward",
    "failed to update ref",
    "failed to lock",
    "cannot lock ref",
    "incorrect old value",
)


def push_result(returncode: int, porcelain: str, errors: str) -> tuple[str, str]:
    """(PUSHED, BEHIND or FAILED, the reason in git's words) from `git push --porcelain`:
    its exit code, its standard output (one status line per ref, "!" for a refused one)
    and its standard error."""
    if returncode == 0:
        return PUSHED, ""
    refused = [line for line in porcelain.splitlines() if line.startswith("!")]
    reason = refused[0].split("\t")[-1] if refused else one_line(errors)
    text = "\n".join([*refused, errors]).lower()
    if refused and any(words in text for words in _BEHIND_WORDS):
        return BEHIND, reason
    return FAILED, reason or f"git push exited {returncode}"


def one_line(text: str) -> str:
    """Git's message (often several lines: "fatal: ...", hints) as one line."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


@dataclass(frozen=True)
class Backoff:
    """How often to push and how long to wait between tries.

    `attempts` pushes in all (the first and the retries); before retry n (from 1) a
    random wait of up to `first` * 2**(n-1) seconds, never more than `cap`: at most
    0.25 + 0.5 + 1 + 2 + 4 = 7.75 s over five retries, 3.9 s on average. `sleep` and
    `random` are parameters so that a caller (a test, a benchmark) can choose them."""

    attempts: int = 6
    first: float = 0.25
    cap: float = 4.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay(self, retry: int) -> float:
        """The wait before retry number `retry` (1 for the first retry)."""
        return self.random() * min(self.cap, self.first * 2 ** (retry - 1))

    def wait(self, retry: int) -> float:
        """Wait before retry number `retry`; returns how long."""
        seconds = self.delay(retry)
        self.sleep(seconds)
        return seconds
