"""Every benchmark of issue 8 in one command: figures against the targets, on this machine.

    python tests/benchmarks/run.py [--stories 100000] [--seed 2026] [--quick]
                                   [--only NAME ...] [--work FOLDER]

`gitsync` (issue 17) measures Newsdesk's sync through a git clone beside git's own
commands at 20,000 stories, whatever --stories says (bench_git_sync.py), and prints the
ratios with the rest.

Builds (once; cached under tests/benchmarks/results/cache, keyed by corpus size, seed,
schema version and generator) a corpus database, copies it to results/work, runs each
benchmark there (the median of several runs where a run is cheap), prints a table and the
machine, and writes it all to results/latest.json. `--quick` measures 5,000 stories with
1,000 files to import and export: a sanity run, not figures to compare with the targets.
`--only sync export` runs just those benchmarks (sync also runs search, for the grep ratio);
a partial run or one with `--work` writes its figures to FOLDER/result.json instead.
With `--peers`, `--only` picks the pairs too (`--peers --only export --stories 10000`: the
export beside `hugo` and the re-export beside a stat walk, at 2,000 and 10,000 stories).
Asserts nothing about time: a miss is reported, not raised.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_git_sync  # noqa: E402  (after the path insert, like the other benchmarks)
import bench_peers  # noqa: E402
import benchdata  # noqa: E402

from newsdesk.desk import Desk  # noqa: E402
from newsdesk.identity.profile import Profile  # noqa: E402

SORTS = ("slug", "headline", "section", "status", "editor", "updated_at", "word_count")
WORK = benchdata.RESULTS / "work"


@dataclass
class Result:
    what: str
    figure: float
    unit: str
    target: float
    higher_is_better: bool = False
    detail: dict[str, object] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        if self.higher_is_better:
            return self.figure >= self.target
        return self.figure < self.target

    def row(self) -> tuple[str, str, str, str]:
        sign = ">=" if self.higher_is_better else "<"
        return (self.what, _fmt(self.figure, self.unit), f"{sign} {_fmt(self.target, self.unit)}",
                "pass" if self.passed else "MISS")


def _fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.1f}x"
    return f"{value:.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_ms(action: Callable[[], object], repeat: int = 5, warm: bool = True) -> float:
    if warm:
        action()  # as in a window that is already open: the pages are in the cache
    return statistics.median(timed(action) for _ in range(repeat)) * 1000


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                      .splitlines() if line.startswith("MemTotal:"))
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "system": f"{platform.system()} {platform.release()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


# Benchmarks. Each returns Results; they run in this order on one working copy.


def bench_window(db: Path, env: dict[str, str], open_ids: list[str], runs: int) -> list[Result]:
    figures = []
    for n in range(runs):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(HERE / "window_child.py"), str(db), repr(started),
             "--open", *open_ids],
            env=env, capture_output=True, text=True, timeout=300,
        )
        if done.returncode != 0:
            raise SystemExit(f"window_child failed:\n{done.stderr}")
        figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
        log(f"  window run {n + 1}: {figures[-1]}")
    up = statistics.median(f["up_s"] for f in figures)
    return [
        Result("window up, first page shown", up, "s", 2,
               detail={"runs_s": [round(f["up_s"], 3) for f in figures],
                       "rows": figures[0]["rows"], "total": figures[0]["total"]}),
        Result("open a 2,000-word story in the editor",
               statistics.median(f["open_ms"] for f in figures), "ms", 100),
        Result("memory of the window, list loaded (RSS)",
               statistics.median(f["rss_mb"] for f in figures), "MB", 400),
    ]


def bench_list(desk: Desk) -> list[Result]:
    editor = next(r.editor for r in desk.list_rows(limit=50) if r.editor)
    filters: dict[str, dict[str, object]] = {
        "status draft": {"status": "draft"},
        "section News (+ sub)": {"section": "News"},
        f"editor {editor}": {"editor": editor},
        "waiting for desk chief": {"waiting_for": "desk_chief"},
        "query 'harbour'": {"query": "harbour"},
        "status published + query 'budget'": {"status": "published", "query": "budget"},
    }
    detail: dict[str, object] = {}
    for label, chosen in filters.items():
        for sort in SORTS:
            for descending in (True, False):
                key = f"{label}, by {sort} {'desc' if descending else 'asc'}"
                detail[key] = round(median_ms(lambda c=chosen, s=sort, d=descending:
                                              desk.list_rows(**c, sort=s, descending=d,
                                                             limit=200)), 2)
    worst = max(detail, key=lambda k: detail[k])
    slowest = dict(sorted(detail.items(), key=lambda kv: -kv[1])[:5])
    return [Result("list page, any sort, with a filter (worst)", detail[worst], "ms", 20,
                   detail={"cases": len(detail), "slowest": slowest,
                           "median_of_cases": statistics.median(detail.values())})]


def bench_search(desk: Desk) -> tuple[Result, dict[str, float]]:
    rare = next(r.byline for r in desk.list_rows(limit=50) if r.byline).split()[-1].lower()
    queries = ["harbour", "council budget", "har", rare, '"long-awaited bridge"']
    each = {q: round(median_ms(lambda q=q: desk.search(q, limit=50)), 2) for q in queries}
    return Result("full-text search, first page (median)", statistics.median(each.values()),
                  "ms", 50, detail={"queries": each}), each


def bench_grep(tree: Path, fts: dict[str, float]) -> Result:
    word = "harbour"
    runs = []
    for _ in range(3):
        seconds = timed(lambda: subprocess.run(["grep", "-rl", word, str(tree)],
                                               stdout=subprocess.DEVNULL, check=False))
        runs.append(seconds * 1000)
        if seconds > 60:
            break
    grep_ms = statistics.median(runs)
    return Result(f"search vs grep -rl '{word}' over the tree", grep_ms / fts[word], "x", 20,
                  higher_is_better=True,
                  detail={"grep_ms": round(grep_ms), "fts_ms": fts[word]})


def bench_autosave(desk: Desk) -> Result:
    story_id = desk.list_rows(limit=1)[0].id
    times = []
    for n in range(11):
        story = desk.get(story_id)  # the editor holds its copy: not part of the save
        edited = story.replace(body=story.body + f"\nAn added line {n}.\n")
        times.append(timed(lambda s=edited, r=story.revision: desk.save(s, r)) * 1000)
    return Result("autosave of an edited story", statistics.median(times[1:]), "ms", 20)


def stat_walk(folder: Path) -> int:
    count, pending = 0, [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                else:
                    entry.stat()
                    count += 1
    return count


def bench_sync(desk: Desk, tree: Path) -> list[Result]:
    log("  first sync ...")
    first = timed(lambda: desk.sync(tree))
    files = stat_walk(tree)
    # A file written within the last seconds is read again once (its time stamp is too
    # close to "now" to trust), which is the first sync's business, not the next one's.
    time.sleep(3)
    desk.sync(tree)
    walk = median_ms(lambda: stat_walk(tree), repeat=3)
    story_id = desk.list_rows(limit=1, sort="slug")[0].id

    def one_change() -> None:
        story = desk.get(story_id)
        desk.save(story.replace(body=story.body + "\nOne more line.\n"), story.revision)
        report = desk.sync(tree)
        if report.counts() != {"exported": 1}:
            raise SystemExit(f"sync with one story changed did: {report.counts()}")

    changed = median_ms(one_change, repeat=3, warm=False)
    return [
        Result(f"first sync of {desk.count():,} stories to an empty folder", first, "s", 60,
               detail={"files": files}),
        Result("sync with one story changed", changed, "ms", 1000),
        Result("sync with one story changed, vs a bare stat walk", changed / walk, "x", 3,
               detail={"sync_ms": round(changed, 1), "stat_walk_ms": round(walk, 1),
                       "files": files}),
    ]


def bench_import(desk: Desk, count: int, work: Path) -> Result:
    folder = work / "wire"
    log(f"  writing {count:,} wire files ...")
    benchdata.write_wire_files(folder, count)
    reports = []
    seconds = timed(lambda: reports.append(desk.import_paths([folder])))
    imported = len(reports[0].imported)
    if imported != count:
        raise SystemExit(f"imported {imported} of {count}: {reports[0].rejected[:3]}")
    return Result(f"import of {count:,} wire files", seconds, "s", 20)


def bench_export(desk: Desk, count: int, work: Path) -> list[Result]:
    log(f"  approving {count:,} stories ...")
    benchdata.approve(desk.store, count, desk.profile.name, desk.profile.private_key())
    results = []
    for fmt in ("hugo", "ninjs"):
        out = work / f"export-{fmt}"
        first: list = []
        seconds = timed(lambda o=out, f=fmt, r=first: r.append(desk.export(f, o)))
        if len(first[0].exported) != count:
            raise SystemExit(f"{fmt}: exported {len(first[0].exported)} of {count}")
        again = median_ms(lambda o=out, f=fmt: desk.export(f, o), repeat=3, warm=False)
        results += [
            Result(f"export of {count:,} approved stories to {fmt}", seconds, "s", 15,
                   detail={"files_written": len(first[0].written)}),
            Result(f"re-export to {fmt}, nothing changed", again / 1000, "s", 1),
        ]
    return results


def git_sync_results(outcome: dict[str, object]) -> list[Result]:
    """The ratios of bench_git_sync as rows of the table (issue 17's targets)."""
    rows = []
    for row in outcome["table"]:  # type: ignore[union-attr]
        if row["ratio"] is not None:
            rows.append(Result(f"{row['what']} ({outcome['stories']:,} stories)",
                               row["ratio"], "x", float(row["target"].split()[1][:-1]),
                               detail={"newsdesk_s": row["newsdesk_s"], "git_s": row["git_s"]}))
        else:
            rows.append(Result(row["what"], row["newsdesk_s"], "s", 15))
    return rows


BENCHMARKS = ("list", "search", "autosave", "window", "sync", "import", "export", "gitsync")
# Issue 17's comparison with git is made at this many stories, whatever --stories says.
GIT_SYNC_STORIES = 20_000


def run(args: argparse.Namespace) -> dict[str, object]:
    count = 5000 if args.quick else args.stories
    batch = 1000 if args.quick else 10_000
    chosen = set(args.only or BENCHMARKS)
    work = args.work or WORK
    started = time.perf_counter()
    cached, built = benchdata.cached_database(count, args.seed, log)
    log(f"copying the database to {work} ...")
    db = benchdata.working_copy(cached, work)
    config = work / "config"
    Profile("Bench Chief", "desk_chief", False, config).save()
    env = {**os.environ, "NEWSDESK_CONFIG_DIR": str(config), "HOME": str(work / "home"),
           "XDG_CONFIG_HOME": str(work / "home" / ".config"), "QT_QPA_PLATFORM": "offscreen"}
    os.environ.update(env)
    results: list[Result] = []
    per_query: dict[str, float] = {}
    with Desk.open(db) as desk:
        long_ids = [desk.create(headline=f"A long read, part {n}", section="News",
                                body=benchdata.long_body(2000, n)).id for n in (1, 2)]
        if "list" in chosen:
            log("list ...")
            results += bench_list(desk)
        if chosen & {"search", "sync"}:
            log("search ...")
            fts, per_query = bench_search(desk)
            results.append(fts)
        if "autosave" in chosen:
            log("autosave ...")
            results.append(bench_autosave(desk))
    if "window" in chosen:
        log("window ...")
        results += bench_window(db, env, long_ids, runs=3)
    with Desk.open(db) as desk:
        if "sync" in chosen:
            log("sync ...")
            tree = work / "tree"
            results += bench_sync(desk, tree)
            log("grep ...")
            results.append(bench_grep(tree, per_query))
        if "import" in chosen:
            log("import ...")
            results.append(bench_import(desk, batch, work))
        if "export" in chosen:
            log("export ...")
            results += bench_export(desk, batch, work)
    git_sync = None
    if "gitsync" in chosen:
        log(f"sync through git beside git, {GIT_SYNC_STORIES:,} stories ...")
        stories = 1000 if args.quick else GIT_SYNC_STORIES
        git_sync = bench_git_sync.run(stories, 3 if args.quick else 5, work / "git-sync",
                                      args.seed)
        results += git_sync_results(git_sync)
    return {
        "git_sync": git_sync,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "stories": count,
        "quick": bool(args.quick),
        "only": sorted(chosen),
        "seed": args.seed,
        "machine": machine(),
        "database_build_s": round(built, 1) if built is not None else None,
        "duration_s": round(time.perf_counter() - started, 1),
        "results": [{**asdict(r), "passed": r.passed} for r in results],
        "table": [r.row() for r in results],
    }


PEERS_STORIES = 20_000


PEER_FIGURES = ("start", "window", "sync", "search", "import", "export")


def run_peers(args: argparse.Namespace) -> dict[str, object]:
    """Issue 23: each figure back to back with its peer (bench_peers.py), one run."""
    count = args.stories or PEERS_STORIES
    if args.quick:
        count = 5000
    runs = args.runs
    work = args.work or benchdata.RESULTS / "peers"
    started = time.perf_counter()
    load_before = [round(x, 2) for x in os.getloadavg()]
    cached, _built = benchdata.cached_database(count, args.seed, log)
    log(f"copying the database to {work} ...")
    db = benchdata.working_copy(cached, work)
    config = work / "config"
    Profile("Bench Chief", "desk_chief", False, config).save()
    env = {**os.environ, "NEWSDESK_CONFIG_DIR": str(config), "HOME": str(work / "home"),
           "XDG_CONFIG_HOME": str(work / "home" / ".config"), "QT_QPA_PLATFORM": "offscreen"}
    # Processes start as a user's do: with Python's cached bytecode, and stdout buffered.
    # (A shell that sets these made every process compile its modules again and write
    # its output a line at a time, which measured the setting, not Newsdesk.)
    for setting in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"):
        env.pop(setting, None)
        os.environ.pop(setting, None)
    os.environ.update(env)
    rows: list[dict[str, object]] = []
    wanted = set(args.only or PEER_FIGURES)
    if "start" in wanted:
        log("start ...")
        rows += bench_peers.bench_start(runs)
    if "window" in wanted:
        log("window ...")
        rows += bench_peers.bench_window(db, env, runs)
    tree = work / "tree"
    if wanted & {"sync", "search"}:
        with Desk.open(db) as desk:
            log("sync ...")  # search needs the interchange tree the first sync writes
            rows += bench_peers.bench_sync(desk, tree, work, runs, only_first="sync" not in wanted)
    if "search" in wanted:
        log("search ...")
        rows += bench_peers.bench_search(db, tree, "harbour", runs)
    if "import" in wanted:
        log("import ...")
        rows += bench_peers.bench_import(5000 if not args.quick else 1000, work, runs)
    if "export" in wanted:
        with Desk.open(db) as desk:
            for exported in sorted({min(2000, count), min(10_000, count)}):
                log(f"export {exported:,} ...")
                rows += bench_peers.bench_export(desk, exported, work / f"x{exported}", runs)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "stories": count,
        "runs": runs,
        "machine": {**machine(), "load_average_at_start": load_before},
        "duration_s": round(time.perf_counter() - started, 1),
        "peers": rows,
    }


def print_table(outcome: dict[str, object], written: Path) -> None:
    rows = [("what", "figure", "target", "")] + [tuple(r) for r in outcome["table"]]
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    m = outcome["machine"]
    print(f"Newsdesk benchmarks, {outcome['stories']:,} stories"
          f"{' (--quick: not comparable with the targets)' if outcome['quick'] else ''}")
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python "
          f"{m['python']}, SQLite {m['sqlite']}, load average {m['load_average']}")
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"run took {outcome['duration_s']} s; written to {written}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=None,
                        help="corpus size (default 100,000; 20,000 with --peers)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS + PEER_FIGURES, metavar="NAME",
                        help=f"run only these benchmarks: {', '.join(BENCHMARKS)}; with "
                        f"--peers: {', '.join(PEER_FIGURES)}")
    parser.add_argument("--work", type=Path, help="working folder (default results/work)")
    parser.add_argument("--peers", action="store_true",
                        help="each figure back to back with its peer tool (issue 23)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each pair (--peers)")
    args = parser.parse_args(argv)
    if args.peers:
        outcome = run_peers(args)
        written = (args.work or benchdata.RESULTS / "peers") / "peers.json"
        written.write_text(json.dumps(outcome, indent=2) + "\n")
        m = outcome["machine"]
        print(f"Newsdesk beside its peers, {outcome['stories']:,} stories, "
              f"{outcome['runs']} interleaved runs each; {m['cpu']}, {m['cores']} cores, "
              f"load average {m['load_average_at_start']} at start, {m['load_average']} "
              f"at end")
        bench_peers.print_table(outcome["peers"])
        print(f"run took {outcome['duration_s']} s; written to {written}")
        benchdata.remove_stale(args.work or benchdata.RESULTS / "peers")
        return
    args.stories = args.stories or 100_000
    outcome = run(args)
    # A partial run (--only) or one in another folder keeps its figures beside its work,
    # so it never replaces the full table in results/latest.json.
    partial = bool(args.only) or args.work is not None
    written = (args.work or WORK) / "result.json" if partial else benchdata.RESULTS / "latest.json"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_text(json.dumps(outcome, indent=2) + "\n")
    print_table(outcome, written)
    benchdata.remove_stale(args.work or WORK)


if __name__ == "__main__":
    main()
