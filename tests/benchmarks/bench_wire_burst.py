"""A burst of 10,000 wire items dropped into a watched folder (issue 22): how long until
they are all in the queue, the files moved to .done, and searchable. Prints figures;
asserts nothing (tests/cli/test_wire_burst.py checks a smaller burst end to end).

    python tests/benchmarks/bench_wire_burst.py [N] [--seed 2026]

The items are generated from the shipped samples of every format (NewsML-G2, NITF,
ninjs 1 and 2, plain text) with new guids and words, a share of them later versions of
earlier items and a share the same text under another feed's guid, as a busy wire is.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import resource
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from newsdesk.desk import Desk, wire_journal
from newsdesk.desk.wire_watch import FolderWatch
from newsdesk.formats.detect import parse_wire_file
from newsdesk.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples" / "wire"
TEMPLATES = ("newsml-g2-newsitem.xml", "nitf-3.6.xml", "ninjs-1.4.json", "ninjs-2.2.json",
             "plain-text.txt")
# Where each template says its version (the item's, not the format's).
VERSION = {
    "newsml-g2-newsitem.xml": re.compile(r'(\n\s+version=")\d+(")'),
    "nitf-3.6.xml": re.compile(r'(<du-key version=")\d+(")'),
    "ninjs-1.4.json": re.compile(r'(\n    "version": ")\d+(")'),
    "ninjs-2.2.json": re.compile(r'(\n    "version": ")\d+(")'),
}
WORDS = ["harbour", "council", "tram", "ferry", "budget", "school", "market", "river",
         "bridge", "station", "mayor", "library", "bakers", "lifeboat", "storm", "festival",
         "museum", "district", "quay"]


def generate(folder: Path, count: int, seed: int = 2026) -> int:
    """Write `count` wire files into `folder`: 80% new items, 15% later versions of earlier
    ones, 5% an earlier item's text under another feed's guid. Returns `count`."""
    rng = random.Random(seed)
    texts = [(name, (SAMPLES / name).read_text(encoding="utf-8")) for name in TEMPLATES]
    first = {name: parse_wire_file(SAMPLES / name)[0] for name in TEMPLATES}
    for n in range(count):
        name, text = texts[n % len(texts)]
        # Plain text has no version or guid of its own (both come from its text).
        kind = rng.random() if n >= 100 and name in VERSION else 1.0
        # An earlier item of the same template (the same format, so the same guid rule).
        number = n if kind > 0.2 else rng.randrange(n // 5) * 5 + n % 5
        guid = first[name].guid + (f"-{number}" if kind > 0.05 else f"-feed-b-{n}")
        text = text.replace(first[name].guid, guid)
        if 0.05 < kind <= 0.2:  # a later version of item `number`
            text = VERSION[name].sub(lambda m: f"{m.group(1)}9{m.group(2)}", text, 1)
            text = text.replace("The ", "The updated ", 1)
        # Every item its own words: in the headline (the text's guid) and in the body.
        word = f" {WORDS[number % len(WORDS)]}{number}"
        for headline in {first[name].headline, html.escape(first[name].headline),
                         html.escape(first[name].headline, quote=False)}:
            text = text.replace(headline, headline + word)
        (folder / f"{n:05}-{name}").write_text(text, encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--serial", action="store_true", help="no worker processes")
    args = parser.parse_args()
    if args.serial:
        wire_journal.PARALLEL_FROM = sys.maxsize
    with TemporaryDirectory() as tmp:
        folder = Path(tmp) / "drop"
        folder.mkdir()
        generate(folder, args.count, args.seed)
        with Store.open(Path(tmp) / "desk.db") as store:
            desk = Desk(store, Path(tmp) / "desk.db", "bench")
            watch = FolderWatch(desk.wire, folder, settle=0)
            names = sorted(p.name for p in folder.iterdir())
            start, cpu = time.perf_counter(), time.process_time()
            workers = resource.getrusage(resource.RUSAGE_CHILDREN)
            report = watch.handle(names)
            ingest, cpu = time.perf_counter() - start, time.process_time() - cpu
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            workers_cpu = (after.ru_utime + after.ru_stime) - (workers.ru_utime
                                                                + workers.ru_stime)
            start = time.perf_counter()
            found = desk.wire.count(query="harbour")
            search = time.perf_counter() - start
            queued = store.db.execute("SELECT count(*) FROM wire_items").fetchone()[0]
    counts = report.arrivals.as_dict()
    print(f"{args.count:,} files, {sum(counts.values()):,} items: {ingest:.2f} s "
          f"({sum(counts.values()) / ingest:,.0f} items/s) into the queue and moved to .done; "
          f"CPU {cpu:.2f} s in this process, {workers_cpu:.2f} s in the workers")
    print(f"  {counts}; rejected {len(report.rejected)}; queue rows {queued:,}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  {os.cpu_count()} cores, load average {load:.1f} at the end; "
          f"{'serial' if args.serial else 'worker processes for the parsing'}")
    print(f"  searchable at once: 'harbour' finds {found:,} in {search * 1000:.1f} ms")


if __name__ == "__main__":
    main()
