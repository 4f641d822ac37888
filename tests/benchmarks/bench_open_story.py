"""Open-story benchmark: GUI-thread time to build the window and to switch between two long
stories from the list (body, metadata panel, checks, spelling), offscreen. Prints figures;
asserts nothing about time.

    python tests/benchmarks/bench_open_story.py [WORDS]

Times are CPU time of the GUI thread (steadier than the wall clock on a busy machine).
"select in the list" is the time until the selection call returns (the story is on screen
at the next paint); "+ deferred work" adds what it leaves to the event loop (spelling
squiggles in chunks, the debounced checks), run until the loop is idle.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer

from newsdesk.desk import Desk
from newsdesk.ui.app import create_application
from newsdesk.ui.main_window import MainWindow

SOURCE = (
    "the council said ferry harbour timetable residents would meet on Tuesday to discuss "
    "plans for a new footbridge across the river which engineers estimate could cost "
    "several million pounds and take two years to build while local traders worry about "
    "disruption to the market square colour organisation metres travelled recognised "
    "quayside lorries tonnes neighbourhood centre programme Okafor Brannigan"
)
VOCABULARY = SOURCE.split()


def body(words: int, seed: int) -> str:
    rng = random.Random(seed)
    paragraphs, count = [], 0
    while count < words:
        n = rng.randint(40, 90)
        text = " ".join(rng.choice(VOCABULARY) for _ in range(n))
        paragraphs.append(text[0].upper() + text[1:] + ".")
        count += n
    return "\n\n".join(paragraphs) + "\n"


def drain(idle_ms: int = 600) -> None:
    """Run the event loop (waiting, not spinning) past the checks' debounce and every
    deferred chunk."""
    loop = QEventLoop()
    QTimer.singleShot(idle_ms, loop.quit)
    loop.exec()


def run(words: int, switches: int) -> None:
    create_application([sys.argv[0]])
    with TemporaryDirectory() as tmp, Desk.open(Path(tmp) / "bench.db", seed=False) as desk:
        ids = []
        for n in range(2):
            story = desk.create(headline=f"Harbour footbridge plan {n}", byline="Mira Okafor",
                                editor="Ana Costa", section="News / Metro", body=body(words, n))
            ids.append(story.id)
        started = time.thread_time()
        window = MainWindow(desk)  # opens the first story too
        built = (time.thread_time() - started) * 1000
        window.show()
        drain()
        print(f"{'build the window':44s} {built:8.1f} ms")
        print(f"{'pyqtgraph imported at start':44s} {'pyqtgraph' in sys.modules!s:>8}")
        returned, total = [], []
        for n in range(switches + 1):
            started = time.thread_time()
            window.story_list.select_story(ids[n % 2])
            returned.append((time.thread_time() - started) * 1000)
            drain()
            total.append((time.thread_time() - started) * 1000)
        # The first switch warms caches (fonts, the dictionary), as in a window in use.
        print(f"{f'select a {words:,}-word story in the list':44s} "
              f"{statistics.median(returned[1:]):8.1f} ms")
        print(f"{'  + deferred work':44s} {statistics.median(total[1:]):8.1f} ms")
        print(f"{'  body marked modified after opening':44s} {window.editor.is_modified()!s:>8}")
        window.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", nargs="?", type=int, default=2000)
    parser.add_argument("--switches", type=int, default=8)
    args = parser.parse_args(argv)
    with TemporaryDirectory() as config:
        os.environ.setdefault("NEWSDESK_CONFIG_DIR", config)
        run(args.words, args.switches)


if __name__ == "__main__":
    main()
