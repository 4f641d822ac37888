"""Newsdesk side by side with the tools it replaces (issue 23), each pair run back to back.

    python tests/benchmarks/run.py --peers [--stories 20000] [--runs 3]

Each figure is timed interleaved with its peer (ours, peer, ours, peer, ...) and reported
as medians with their spread (min-max) and the ratio of the medians:

- start: `newsdesk --version` against `python -c pass`;
- search: `newsdesk search WORD --limit 0 --json` (every match) and the first page, whole
  process, against `rg -l WORD` over the interchange tree of the same stories;
- sync through a plain folder: first sync against `git add -A && git commit` of the same
  tree; nothing changed against `git status`; one story changed against git changing one
  file and committing it (the sync through a git clone is `--only gitsync`);
- import of wire files into a new desk against the SQLite floor (floor_import.py: read,
  insert and index in FTS5, one transaction);
- export to Hugo against `hugo` building that tree; re-export against a stat walk of it;
- window up (first page shown) against a minimal QMainWindow with a 200-row table.

Asserts nothing about time; a miss is reported, not raised.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEWSDESK = [sys.executable, "-m", "newsdesk"]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
MINIMAL_WINDOW = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableWidget(200, 4)
for row in range(200):
    for column in range(4):
        table.setItem(row, column, QTableWidgetItem(f"cell {row} {column}"))
window.setCentralWidget(table)
window.show()
app.processEvents()
print(time.monotonic() - float(sys.argv[1]), flush=True)
os._exit(0)
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run_quiet(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> None:
    done = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    if done.returncode not in (0, 1):  # rg and search say 1 for "nothing found"
        raise SystemExit(f"{' '.join(map(str, argv))}: {done.stderr.decode()[-500:]}")


def figure(what: str, ours: list[float], peer: list[float], peer_name: str,
           target: str) -> dict[str, object]:
    """One row: medians and spreads in seconds, and the ratio of the medians."""
    mine, theirs = statistics.median(ours), statistics.median(peer)
    return {
        "what": what, "peer": peer_name, "target": target,
        "newsdesk_s": round(mine, 4), "peer_s": round(theirs, 4),
        "newsdesk_spread_s": [round(min(ours), 4), round(max(ours), 4)],
        "peer_spread_s": [round(min(peer), 4), round(max(peer), 4)],
        "ratio": round(mine / theirs, 2) if theirs else None,
        "runs": len(ours),
    }


def interleaved(ours: Callable[[], float], peer: Callable[[], float],
                runs: int) -> tuple[list[float], list[float]]:
    """`runs` timings of each, alternating (each callable returns its own seconds)."""
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(ours())
        theirs.append(peer())
    return mine, theirs


def process(argv: list[str], cwd: Path | None = None, env: dict | None = None) -> Callable:
    return lambda: timed(lambda: run_quiet(argv, cwd, env))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, **GIT_ENV})


def git_repository_of(tree: Path, where: Path) -> tuple[Path, float]:
    """A copy of `tree` in a new repository, committed; the seconds of `add` + `commit`."""
    shutil.copytree(tree, where, ignore=shutil.ignore_patterns(".newsdesk*"))
    git(where, "init", "-q", "-b", "main")
    seconds = timed(lambda: (git(where, "add", "-A"), git(where, "commit", "-qm", "all")))
    return where, seconds


def bench_start(runs: int) -> list[dict[str, object]]:
    ours, peer = interleaved(process([*NEWSDESK, "--version"]),
                             process([sys.executable, "-c", "pass"]), runs * 3)
    return [figure("any command's start (`newsdesk --version`)", ours, peer,
                   "`python -c pass`", "< 60 ms before its own work")]


def bench_search(db: Path, tree: Path, word: str, runs: int) -> list[dict[str, object]]:
    rg = process(["rg", "-l", word, str(tree)])
    every = process([*NEWSDESK, "--db", str(db), "search", word, "--limit", "0", "--json"])
    page = process([*NEWSDESK, "--db", str(db), "search", word])
    all_ours, all_peer = interleaved(every, rg, runs)
    page_ours, page_peer = interleaved(page, rg, runs)
    found = subprocess.run(["rg", "-l", word, str(tree)], capture_output=True, text=True)
    matches = len(found.stdout.splitlines())
    return [
        figure(f"search, all {matches:,} matches as JSON", all_ours, all_peer, "`rg -l`",
               "< 1x"),
        figure("search, first page, whole process", page_ours, page_peer, "`rg -l`", "< 1x"),
    ]


def bench_sync(desk, tree: Path, work: Path, runs: int,
               only_first: bool = False) -> list[dict[str, object]]:
    """Plain-folder sync against git on a copy of the same tree (in this process: the
    sync's own work, as the issue's figures). `only_first`: write the tree (for search)
    and measure nothing."""
    first = timed(lambda: desk.sync(tree))
    if only_first:
        return []
    repo, commit_all = git_repository_of(tree, work / "git-tree")
    time.sleep(3)  # files written within the last seconds are read again once
    desk.sync(tree)
    story_id = desk.list_rows(limit=1, sort="slug")[0].id
    one_file = next(p for p in sorted(repo.rglob("*.md")))

    def sync_unchanged() -> float:
        return timed(lambda: desk.sync(tree))

    def sync_one() -> float:
        story = desk.get(story_id)
        desk.save(story.replace(body=story.body + "\nOne more line.\n"), story.revision)
        return timed(lambda: desk.sync(tree))

    def git_one() -> float:
        with one_file.open("a", encoding="utf-8") as file:
            file.write("\nOne more line.\n")
        return timed(lambda: (git(repo, "add", "-A"), git(repo, "commit", "-qm", "one")))

    still_ours, still_peer = interleaved(sync_unchanged, process(["git", "status"], repo), runs)
    one_ours, one_peer = interleaved(sync_one, git_one, runs)
    return [
        figure("sync, nothing changed", still_ours, still_peer, "`git status`", "< 2x"),
        figure("sync, one story changed", one_ours, one_peer,
               "`git add -A && git commit`", "< 1.5x"),
        figure(f"first sync, plain folder, {desk.count():,} stories", [first], [commit_all],
               "`git add -A && git commit` of the same tree", "< 1.5x"),
    ]


def bench_import(count: int, work: Path, runs: int) -> list[dict[str, object]]:
    import benchdata

    from newsdesk.desk import Desk

    wire = work / "wire-peers"
    if not wire.exists():
        benchdata.write_wire_files(wire, count)
    n = iter(range(1000))

    def ours() -> float:
        db = work / f"import-{next(n)}.db"
        with Desk.open(db) as desk:
            reports: list = []
            seconds = timed(lambda: reports.append(desk.import_paths([wire])))
        if len(reports[0].imported) != count:
            raise SystemExit(f"imported {len(reports[0].imported)} of {count}")
        db.unlink()
        return seconds

    def floor() -> float:
        db = work / f"floor-{next(n)}.db"
        seconds = timed(lambda: run_quiet([sys.executable, str(HERE / "floor_import.py"),
                                           str(wire), str(db)]))
        db.unlink()
        return seconds

    mine, theirs = interleaved(ours, floor, runs)
    return [figure(f"import {count:,} wire files", mine, theirs,
                   "read + insert + FTS5, one transaction (floor_import.py)", "< 2x")]


def hugo_site(content: Path, site: Path) -> Path:
    """A Hugo site whose content is the export tree (a symlink: hugo reads it there)."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.invalid/"\ntitle = "Bench"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    link = site / "content"
    if not link.exists():
        link.symlink_to(content.resolve())
    return site


def bench_export(desk, count: int, work: Path, runs: int) -> list[dict[str, object]]:
    import benchdata
    from run import stat_walk

    log(f"  approving {count:,} stories ...")
    benchdata.approve(desk.store, count, desk.profile.name, desk.profile.private_key())
    n = iter(range(1000))
    outs: list[Path] = []

    def ours() -> float:
        out = work / f"export-hugo-{next(n)}"
        outs.append(out)
        result: list = []
        seconds = timed(lambda: result.append(desk.export("hugo", out)))
        if len(result[0].exported) != count:
            raise SystemExit(f"exported {len(result[0].exported)} of {count}")
        return seconds

    first = ours()  # the first export of these approvals (nothing rendered before)
    site = hugo_site(outs[0], work / "hugo-site")
    build = ["hugo", "--quiet", "--source", str(site), "--destination", str(work / "public")]

    def hugo() -> float:
        shutil.rmtree(work / "public", ignore_errors=True)
        return timed(lambda: run_quiet(build))

    mine, theirs = interleaved(ours, hugo, runs)
    again, walk = interleaved(lambda: timed(lambda: desk.export("hugo", outs[0])),
                              lambda: timed(lambda: stat_walk(outs[0])), runs)
    for out in outs[1:]:
        shutil.rmtree(out, ignore_errors=True)
    return [
        figure(f"export {count:,} to Hugo, first", [first], [statistics.median(theirs)],
               "`hugo` building that tree", "<= 0.5x"),
        figure(f"export {count:,} to Hugo, to a new folder", mine, theirs,
               "`hugo` building that tree", "<= 0.5x"),
        figure("re-export, nothing changed", again, walk, "a stat walk of the export tree",
               "< 2x"),
    ]


def bench_window(db: Path, env: dict[str, str], runs: int) -> list[dict[str, object]]:
    import json

    def ours() -> float:
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(HERE / "window_child.py"), str(db),
                               str(started)], capture_output=True, text=True, env=env,
                              check=True)
        return float(json.loads(done.stdout.strip().splitlines()[-1])["up_s"])

    def minimal() -> float:
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", MINIMAL_WINDOW, str(started)],
                              capture_output=True, text=True, env=env, check=True)
        return float(done.stdout.strip().splitlines()[-1])

    mine, theirs = interleaved(ours, minimal, runs)
    return [figure("window up, first page shown", mine, theirs,
                   "a minimal QMainWindow with a 200-row table", "< 2x")]


def print_table(rows: list[dict[str, object]]) -> None:
    header = ("what", "Newsdesk (spread)", "peer (spread)", "ratio", "target")
    def spread(r: dict, who: str) -> str:
        low, high = r[f"{who}_spread_s"]
        return f"{r[f'{who}_s']:.3f} s ({low:.3f}-{high:.3f})"

    lines = [header] + [
        (r["what"], spread(r, "newsdesk"), f"{r['peer']} {spread(r, 'peer')}",
         f"{r['ratio']}x", r["target"])
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
