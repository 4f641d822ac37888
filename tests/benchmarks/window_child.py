"""Run by run.py in a fresh process: start the window as `newsdesk` does, offscreen, on a
database, and print one JSON line of figures.

    python tests/benchmarks/window_child.py DB STARTED [--open ID ID]

STARTED is time.monotonic() in the parent right before it started this process (one
clock for the whole machine on Linux), so "up" counts interpreter start and imports.
With --open, it also times opening those stories (alternately) in the editor.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("started", type=float)
    parser.add_argument("--open", nargs=2, metavar="ID")
    args = parser.parse_args()

    # What `newsdesk` with no command runs: cli.main -> open_window -> ui.app.run.
    from newsdesk.cli import read_command_line
    from newsdesk.desk import Desk

    read_command_line(["--db", args.db])
    from newsdesk.ui.app import create_application
    from newsdesk.ui.main_window import MainWindow

    desk = Desk.open(args.db, seed=True)
    app = create_application([sys.argv[0]])
    window = MainWindow(desk)
    window.show()
    deadline = time.monotonic() + 120
    while window.model.rowCount() == 0 and time.monotonic() < deadline:
        app.processEvents()
    app.processEvents()  # the first page painted
    figures: dict[str, object] = {
        "up_s": time.monotonic() - args.started,
        "rows": window.model.rowCount(),
    }
    window.counter.settle()
    app.processEvents()
    figures["total"] = window.model.total
    figures["rss_mb"] = rss_mb()

    if args.open:
        times = []
        for n in range(11):
            story_id = args.open[n % 2]
            started = time.perf_counter()
            window.open_story(story_id)
            app.processEvents()
            times.append((time.perf_counter() - started) * 1000)
            if window.current_story() is None or window.current_story().id != story_id:
                raise SystemExit(f"story {story_id} did not open")
        figures["open_ms"] = statistics.median(times[1:])  # the first warms caches
    print(json.dumps(figures))
    sys.stdout.flush()
    # Leave without tearing the window down: only the way up is measured.
    os._exit(0)


if __name__ == "__main__":
    main()
