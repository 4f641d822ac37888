"""Sync benchmarks: first sync of N stories to an empty folder, a sync with nothing
changed, with one story changed in the database, with one file changed in the folder,
and a bare stat walk of the tree for comparison. Prints figures; asserts nothing.

    python tests/benchmarks/bench_sync.py [N] [--db PATH] [--folder PATH]

With --db and --folder pointing at existing ones, the fill and first sync are skipped,
so a 100,000-story tree is built once and measured many times.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from newsdesk.store import Store
from newsdesk.sync.engine import sync_folder


def stat_walk(folder: Path) -> int:
    count = 0
    for _root, _dirs, files in os.walk(folder / "stories"):
        for name in files:
            os.stat(os.path.join(_root, name))
            count += 1
    return count


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_ms(action: Callable[[], object], repeat: int = 3) -> float:
    return statistics.median(timed(action) for _ in range(repeat)) * 1000


def run(count: int, db_path: Path, folder: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    store = Store.open(db_path)
    try:
        if store.count() == 0:
            started = time.perf_counter()
            for start in range(0, count, 5000):
                part = list(corpus.stories(min(5000, count - start), seed=start))
                for n, story in enumerate(part):
                    story.slug = f"{story.slug}-{start + n:x}"
                store.bulk_insert(part, actor="bench")
            rows.append(("fill database", f"{time.perf_counter() - started:.1f} s"))
        if not (folder / "stories").exists():
            seconds = timed(lambda: sync_folder(store, folder, actor="bench"))
            rows.append((f"first sync of {store.count()} stories", f"{seconds:.1f} s"))
            # Files written in the last seconds are re-read once (racy stat cache).
            time.sleep(3)
            sync_folder(store, folder, actor="bench")
        walk = median_ms(lambda: stat_walk(folder))
        rows.append((f"bare stat walk of {stat_walk(folder)} files", f"{walk:.0f} ms"))
        idle = median_ms(lambda: sync_folder(store, folder, actor="bench"))
        rows.append(("sync, nothing changed", f"{idle:.0f} ms ({idle / walk:.1f}x walk)"))
        row = store.list_rows(limit=1)[0]

        def one_local_change() -> None:
            story = store.get(row.id)
            store.save(story.replace(body=story.body + " More."), story.revision, "bench")
            report = sync_folder(store, folder, actor="bench")
            assert report.counts() == {"exported": 1}, report.counts()

        local = median_ms(one_local_change)
        rows.append(("sync, one story changed in the database", f"{local:.0f} ms"))
        path = next((folder / "stories").rglob("*.md"))

        def one_file_change() -> None:
            with path.open("a", encoding="utf-8") as handle:
                handle.write("\nA line added in the folder.\n")
            report = sync_folder(store, folder, actor="bench")
            assert report.counts() == {"updated": 1}, report.counts()

        remote = median_ms(one_file_change)
        rows.append(("sync, one file changed in the folder", f"{remote:.0f} ms"))
    finally:
        store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    with TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        folder = args.folder or Path(tmp) / "tree"
        rows = run(args.count, db, folder)
    width = max(len(label) for label, _ in rows)
    print(f"sync benchmarks ({os.cpu_count()} CPUs)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    main()
