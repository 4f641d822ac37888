"""Store benchmarks: fill a database with N synthetic stories, then time the list, search,
count and save paths the window uses. Prints figures; asserts nothing about time.

    python tests/benchmarks/bench_store.py [N] [--db PATH]

With --db and an existing file, the fill is skipped, so a 100,000-story database is built
once and measured many times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from newsdesk.store import Store

SORTS = ("updated_at", "slug", "headline", "section", "status", "editor", "word_count")


def fill(store: Store, count: int, chunk: int = 5000) -> float:
    """Bulk-insert `count` corpus stories in chunks; returns seconds spent in the store."""
    spent = 0.0
    stories = corpus.stories(count)
    while True:
        part = [story for _, story in zip(range(chunk), stories, strict=False)]
        if not part:
            return spent
        started = time.perf_counter()
        store.bulk_insert(part, actor="bench")
        spent += time.perf_counter() - started


def measure(label: str, action: Callable[[], object], repeat: int = 5) -> tuple[str, float]:
    action()  # warm the page cache, as a window that is already open would be
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return label, statistics.median(times) * 1000


def cases(store: Store, total: int) -> list[tuple[str, Callable[[], object]]]:
    middle = total // 2
    found = store.list_rows(limit=20)
    rare = found[0].headline.split()[1] if found else "harbour"

    def twenty_saves() -> None:
        for row in found:
            story = store.get(row.id)
            store.save(story.replace(body=story.body + " Updated."), story.revision, "bench")

    listed: list[tuple[str, Callable[[], object]]] = []
    for sort in SORTS:
        listed.append((f"list first page by {sort}", lambda s=sort: store.list_rows(sort=s)))
        listed.append(
            (
                f"list page at {middle} by {sort}",
                lambda s=sort: store.list_rows(sort=s, offset=middle),
            )
        )
    listed += [
        ("list drafts by headline", lambda: store.list_rows(status="draft", sort="headline")),
        ("list section News (+ sub)", lambda: store.list_rows(section="News")),
        ("list waiting for desk chief", lambda: store.list_rows(waiting_for="desk_chief")),
        ("count all", lambda: store.count()),
        ("status counts", lambda: store.status_counts()),
        ("search common word", lambda: store.search("harbour")),
        ("search as you type 'har'", lambda: store.search("har")),
        (f"search rarer word {rare!r}", lambda: store.search(rare)),
        ("search hostile '\"unbalanced'", lambda: store.search('"unbalanced')),
        ("list query common, by updated", lambda: store.list_rows(query="harbour")),
        (
            "list query common, by headline",
            lambda: store.list_rows(query="harbour", sort="headline"),
        ),
        ("count query common", lambda: store.count(query="harbour")),
        ("status counts query common", lambda: store.status_counts(query="harbour")),
        ("tags with counts", lambda: store.tags()),
        ("tag completion 'ho'", lambda: store.tags("ho")),
        ("find by slug", lambda: store.find(found[3].slug)),
        ("find by id prefix", lambda: store.find(found[3].id[:8])),
        ("20 saves (each its own commit)", twenty_saves),
    ]
    return listed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", nargs="?", type=int, default=20_000)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    with TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        existed = path.exists()
        with Store.open(path) as store:
            if not existed:
                seconds = fill(store, args.count)
                print(
                    f"bulk_insert {args.count} stories: {seconds:.1f} s "
                    f"({args.count / seconds:.0f} stories/s)"
                )
            total = store.count()
            size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6
            print(f"{total} live stories, database {size:.0f} MB")
            for label, action in cases(store, total):
                name, ms = measure(label, action, repeat=1 if "saves" in label else 5)
                print(f"  {name:<40} {ms:9.2f} ms")


if __name__ == "__main__":
    main()
