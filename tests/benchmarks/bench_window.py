"""Window benchmarks: open the main window offscreen on N stories and time what a user does
(open, scroll a page, filter, search, sort, move to the next story, save). Prints figures;
asserts nothing about time.

    python tests/benchmarks/bench_window.py [N] [--db PATH]

With --db and an existing file, the fill is skipped (build a 100,000-story database once,
e.g. with bench_store.py, and measure it many times).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from newsdesk.desk import Desk
from newsdesk.ui.app import create_application
from newsdesk.ui.main_window import MainWindow


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def measure(label: str, action: Callable[[], object], repeat: int = 5) -> tuple[str, float]:
    action()  # warm the page cache, as in a window that is already open
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return label, statistics.median(times) * 1000


def cases(app: QApplication, window: MainWindow) -> list[tuple[str, Callable[[], object]]]:
    bar, model, view = window.filter_bar, window.model, window.story_list

    def choose(combo, index: int) -> None:
        combo.setCurrentIndex(index)
        combo.setCurrentIndex(0)

    def search(text: str) -> Callable[[], None]:
        def run() -> None:
            bar.search.setText(text)
            bar._emit_now()
            bar.search.clear()
            bar._emit_now()

        return run

    def page() -> None:
        model.refresh()
        model.fetchMore()
        view.scrollToBottom()
        settle(app)

    def next_story() -> None:
        window.actions_["next_story"].trigger()
        settle(app)

    def edit_and_save() -> None:
        window.metadata.caption.setPlainText(f"Caption {time.perf_counter()}")
        window.save_now()

    return [
        ("refresh list (first page; counts follow)", model.refresh),
        ("next page of 200 rows + scroll", page),
        ("filter by status and back", lambda: choose(bar.status, 2)),
        ("filter by section and back", lambda: choose(bar.section, 1)),
        ("search 'harbour' and clear", search("harbour")),
        ("search 'budget council' and clear", search("budget council")),
        ("sort by headline and back", lambda: (model.sort(1, Qt.SortOrder.AscendingOrder),
                                               model.sort(5, Qt.SortOrder.DescendingOrder))),
        ("open the next story", next_story),
        ("edit a field and save", edit_and_save),
    ]


def run(db: Path, count: int) -> None:
    if not db.exists():
        with Desk.open(db) as desk:
            desk.store.bulk_insert(corpus.stories(count), actor="bench")
    app = create_application([sys.argv[0]])
    with Desk.open(db) as desk:
        started = time.perf_counter()
        window = MainWindow(desk)
        window.show()
        settle(app)
        opened = (time.perf_counter() - started) * 1000
        print(f"{'stories':40s} {window.model.total:>10,}")
        print(f"{'open the window (first paint)':40s} {opened:>10.1f} ms")
        for label, ms in (measure(label, action) for label, action in cases(app, window)):
            print(f"{label:40s} {ms:>10.1f} ms")
        window.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=100_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    with TemporaryDirectory() as tmp:
        os.environ.setdefault("NEWSDESK_CONFIG_DIR", str(Path(tmp) / "config"))
        run(args.db or Path(tmp) / "bench.db", args.count)


if __name__ == "__main__":
    main()
