"""Desk-tools benchmarks: desk figures (stats) over a filled database, and the copy-desk
checks and spell checker over stories of growing length. Prints figures; asserts nothing.

    python tests/benchmarks/bench_desk_tools.py [N] [--db PATH]

With --db and an existing file, the fill is skipped (see bench_store.py).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus
from bench_store import fill, measure

from newsdesk.copydesk import stats
from newsdesk.copydesk.checks import run_checks
from newsdesk.copydesk.rules import load_rules
from newsdesk.copydesk.spelling import misspelled
from newsdesk.domain.model import Story
from newsdesk.store import Store


def add_review_history(store: Store, share: float = 0.6, days: int = 400) -> int:
    """Submissions and approvals over the last `days` days for a share of the stories, so
    that throughput and time to approval have something to count."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    ids = [row[0] for row in store.db.execute("SELECT id FROM stories").fetchall()]
    rows = []
    for story_id in ids:
        if rng.random() > share:
            continue
        submitted = now - timedelta(days=rng.uniform(0, days))
        approved = submitted + timedelta(hours=rng.lognormvariate(1.2, 0.8))
        for at, action, status in ((submitted, "submit", "in_review"),
                                   (approved, "approve", "approved")):
            rows.append({"story_id": story_id, "at": at.isoformat(), "actor": "bench",
                         "action": action, "revision": 1, "note": "", "from_status": "",
                         "to_status": status})
    with store.transaction():
        store.db["history"].insert_all(rows, batch_size=5000)
    return len(rows)


def stats_cases(store: Store) -> list[tuple[str, object]]:
    editor = store.db.execute("SELECT editor FROM stories LIMIT 1").fetchone()[0]
    return [
        ("stats, 30 days", lambda: stats.compute(store.db, days=30)),
        ("stats, 365 days", lambda: stats.compute(store.db, days=365)),
        ("stats, section News (+ sub)", lambda: stats.compute(store.db, section="News")),
        (f"stats, editor {editor}", lambda: stats.compute(store.db, editor=editor)),
        ("editors for the filter", lambda: stats.editors(store.db)),
    ]


def text_cases() -> list[tuple[str, object]]:
    rules = load_rules()
    rng = random.Random(3)
    cases = []
    for words in (300, 1500, 5000):
        story = Story(headline="Benchmark story", deck=corpus.sentence(rng),
                      body=corpus.body(rng, words))
        cases.append((f"checks, {words}-word story", lambda s=story: run_checks(s, rules)))
        cases.append((f"spelling, {words}-word body",
                      lambda s=story: misspelled(s.body, s, rules)))
    return cases


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
                events = add_review_history(store)
                print(f"filled {args.count} stories in {seconds:.1f} s, {events} review events")
            print(f"{store.count()} live stories")
            for label, action in [*stats_cases(store), *text_cases()]:
                name, ms = measure(label, action)
                print(f"  {name:<40} {ms:9.2f} ms")


if __name__ == "__main__":
    main()
