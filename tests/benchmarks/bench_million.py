"""A desk of a million stories (issue 23): builds the database once, in bulk, under /tmp
(never in the repository), then measures at that size what a user meets every day.

    python tests/benchmarks/bench_million.py [--stories 1000000] [--folder /tmp/newsdesk-million]
    python tests/benchmarks/bench_million.py --build-only

The build inserts generated stories (corpus.py; 300-1,500 words each) through
Store.bulk_insert, CHUNK at a time, each chunk one transaction: the same rows,
revisions, history and full-text index a desk holds. Later runs reuse the database
(opening it migrates it to the current schema). The measures then run on it in place
(the list, search and autosave in this process; the window and the opening of two
2,000-word stories in a fresh process, as `newsdesk` starts it). Prints the table and
writes FOLDER/million.json; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402
import run as bench  # noqa: E402  (the shared measures of issue 8)

from newsdesk.desk import Desk  # noqa: E402
from newsdesk.identity.profile import Profile  # noqa: E402
from newsdesk.store import Store  # noqa: E402

CHUNK = 20_000
LONG_READS = "A long read, part"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(db: Path, count: int, seed: int, generated: int) -> float | None:
    """The database of `count` stories at `db`, built unless a finished one is there;
    the seconds the build took (None: it was there). `generated` stories come from the
    generator through Store.bulk_insert; the rest are copies of those (copy_stories). A
    build that was stopped goes on where its last chunk ended (a chunk, a transaction)."""
    if db.exists():
        return None
    db.parent.mkdir(parents=True, exist_ok=True)
    partial = db.with_name(db.name + ".building")
    started = time.perf_counter()
    generated = min(generated, count)
    with Store.open(partial) as store:
        # A large page cache: the indexes of random ids outgrow SQLite's default 2 MB
        # soon, and each chunk then re-read them from the OS page by page.
        store.db.execute("PRAGMA cache_size = -2000000")
        done = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
        stories = corpus.stories(generated, seed=seed)
        if done < generated:
            for _ in zip(range(done), stories, strict=False):
                pass  # the stories the stopped build wrote (the generator is seeded)
        while done < generated:
            part = [story for _, story in zip(range(CHUNK), stories, strict=False)]
            store.bulk_insert(part, actor="bench")
            done += len(part)
            log(f"  {done:,} stories, {time.perf_counter() - started:.0f} s")
        copy = done // generated
        while done < count:
            done += copy_stories(store, generated, copy, count - done)
            log(f"  {done:,} stories (copy {copy}), {time.perf_counter() - started:.0f} s")
            copy += 1
    os.replace(partial, db)  # only a finished build is ever measured
    return time.perf_counter() - started


def copy_stories(store: Store, base: int, copy: int, at_most: int) -> int:
    """Copy the first `base` stories (with their revisions and history) once more, in
    SQL (one transaction): each copy gets an id and a slug of its own and times moved
    4 years back per copy; the triggers index it for search and count its tags. The
    copies' revision snapshots still hold the text of the story copied (nothing measured
    reads them). Returns how many stories were added."""
    db = store.db
    columns = [row[1] for row in db.execute("PRAGMA table_info(stories)") if row[1] != "rid"]
    moved = f"strftime('%Y-%m-%dT%H:%M:%S+00:00', {{}}, '-{4 * copy} years')"
    new_id = f"printf('c%07x', {copy}) || substr({{}}, 9)"
    chosen = {
        "id": new_id.format("id"), "slug": f"slug || '-c{copy}'",
        "updated_at": moved.format("updated_at"), "created_at": moved.format("created_at"),
    }
    select = ", ".join(chosen.get(column, column) for column in columns)
    with store.transaction():
        rows = db.execute(
            f"INSERT INTO stories ({', '.join(columns)}) SELECT {select} FROM stories "
            "WHERE rid <= ? ORDER BY rid LIMIT ?", [base, at_most]
        ).rowcount
        for table in ("revisions", "history"):
            names = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[1] != "seq"]
            picked = ", ".join(new_id.format("t.story_id") if n == "story_id" else f"t.{n}"
                               for n in names)
            db.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {picked} FROM {table} t "
                "JOIN stories s ON s.id = t.story_id WHERE s.rid <= ? ORDER BY s.rid LIMIT ?",
                [base, at_most],
            )
    store.connection.checkpoint()
    return rows


def long_reads(db: Path) -> list[str]:
    """Two 2,000-word stories to open in the editor (added once)."""
    with Desk.open(db) as desk:
        found = [row.id for row in desk.list_rows(query=f'"{LONG_READS}"', limit=2)]
        if len(found) < 2:
            found = [desk.create(headline=f"{LONG_READS} {n}", section="News",
                                 body=bench.benchdata.long_body(2000, n)).id for n in (1, 2)]
    return found


TARGETS = {  # what issue 23 asks of a desk of a million stories
    "window up, first page shown": 1,
    "list page, any sort, with a filter (worst)": 20,
    "full-text search, first page (median)": 50,
    "open a 2,000-word story in the editor": 50,
    "autosave of an edited story": 10,
    "memory of the window, list loaded (RSS)": 300,
}


def measure(db: Path, folder: Path) -> list[bench.Result]:
    config = folder / "config"
    Profile("Bench Chief", "desk_chief", False, config).save()
    env = {**os.environ, "NEWSDESK_CONFIG_DIR": str(config), "HOME": str(folder / "home"),
           "XDG_CONFIG_HOME": str(folder / "home" / ".config"), "QT_QPA_PLATFORM": "offscreen"}
    os.environ.update(env)
    ids = long_reads(db)
    results: list[bench.Result] = []
    with Desk.open(db) as desk:
        log("list ...")
        results += bench.bench_list(desk)
        log("search ...")
        results.append(bench.bench_search(desk)[0])
        log("autosave ...")
        results.append(bench.bench_autosave(desk))
    log("window ...")
    results += bench.bench_window(db, env, ids, runs=3)
    for result in results:
        result.target = TARGETS.get(result.what, result.target)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/newsdesk-million"))
    parser.add_argument("--generated", type=int, default=200_000,
                        help="stories generated one by one; the rest are copies of them")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    db = args.folder / f"desk-{args.stories}-seed{args.seed}.db"
    log(f"database {db} ...")
    built = build(db, args.stories, args.seed, args.generated)
    if built is not None:
        log(f"built in {built:.0f} s, {db.stat().st_size / 1e9:.1f} GB")
    if args.build_only:
        return
    load = [round(x, 2) for x in os.getloadavg()]
    results = measure(db, args.folder)
    outcome = {
        "stories": args.stories, "build_s": round(built, 1) if built else None,
        "machine": {**bench.machine(), "load_average_at_start": load},
        "results": [{**vars(r), "passed": r.passed} for r in results],
    }
    (args.folder / "million.json").write_text(json.dumps(outcome, indent=2, default=str) + "\n")
    print(f"A desk of {args.stories:,} stories; load average {load} at start, "
          f"{outcome['machine']['load_average']} at end")
    for result in results:
        print("  ".join(result.row()))


if __name__ == "__main__":
    main()
