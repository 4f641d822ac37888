"""Progress bars for the long commands (import, sync, export), drawn by tqdm.

Only on a terminal, and only on stderr: a script reading stdout, or the `--json` of a
command, never sees one. The desk reports progress as (done, total, name); the bar shows
the count, the rate and the time left.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int, str], None]


def wanted(as_json: bool = False) -> bool:
    """A bar is drawn for a person at a terminal, never for JSON or a pipe."""
    return not as_json and sys.stderr.isatty()


@contextmanager
def progress_bar(what: str, unit: str, *, enabled: bool) -> Iterator[Progress | None]:
    """A callback that moves a bar titled `what` (None when no bar is wanted)."""
    if not enabled:
        yield None
        return
    from tqdm import tqdm  # only when a bar is drawn: it costs the start of every command

    bar = tqdm(total=0, desc=what, unit=unit, file=sys.stderr, dynamic_ncols=True,
               leave=True, mininterval=0.2)

    def update(done: int, total: int, _name: str) -> None:
        if bar.total != total:
            bar.total = total
            bar.refresh()
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        bar.close()
