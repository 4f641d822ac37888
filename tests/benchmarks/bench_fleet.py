"""Fleet benchmark (issue 17): many laptops on one bare git remote, with the checks of the
fleet test (tests/fleet), and a table of what happened. Asserts nothing; prints.

    python tests/benchmarks/bench_fleet.py [--laptops 20 50] [--rounds 10] [--seed 17]
                                           [--concurrency 3] [--work FOLDER]

Each laptop makes 0-4 random edits before each of its syncs (about two hundred edits per
ten laptops over ten rounds), clashes are planted every other round, up to
`--concurrency` laptops sync at the same time. A run of 50 laptops takes several minutes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fleet import checks
from tests.fleet.simulation import Plan, simulate

CHECKS = {
    "settled": lambda fleet: checks.settled(fleet, [r for r in fleet.runs if r.round == -1]),
    "converged": checks.converged,
    "edits found": checks.edits_found,
    "no markers": checks.no_markers,
    "unique ids": checks.unique_ids_and_slugs,
    "no resurrection": checks.no_resurrection,
    "commit scope": lambda fleet: checks.commits_touch_only_what_changed(fleet, fleet.runs),
    "syncs delivered": lambda fleet: checks.syncs_delivered(fleet.runs),
    "real conflicts": checks.real_conflicts,
}
COLUMNS = ("laptops", "syncs", "concurrent", "edits made", "edits found", "lost", "conflicts",
           "false conflicts", "slug renames", "push retries", "not delivered", "minutes")


def measure(work: Path, plan: Plan) -> tuple[checks.Figures, dict[str, list[str]]]:
    started = time.perf_counter()
    fleet = simulate(work / f"fleet-{plan.laptops}", plan)
    try:
        figures = checks.figures(fleet, plan.rounds, time.perf_counter() - started)
        problems = {name: check(fleet) for name, check in CHECKS.items()}
    finally:
        fleet.close()
    return figures, problems


def row(figures: checks.Figures, problems: dict[str, list[str]]) -> tuple[str, ...]:
    return (
        str(figures.laptops), str(figures.syncs), str(figures.concurrent_syncs),
        str(figures.edits_made), str(figures.edits_found), str(figures.lost),
        str(figures.conflicts), str(len(problems["real conflicts"])),
        str(figures.slug_renames), str(figures.push_retries), str(figures.not_delivered),
        f"{figures.seconds / 60:.1f}",
    )


def print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(v.rjust(w) for v, w in zip(r, widths, strict=True)) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--laptops", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--concurrency", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep the fleets in this folder")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="newsdesk-fleet-"))
    rows = []
    try:
        for size in args.laptops:
            plan = Plan(laptops=size, rounds=args.rounds, seed=args.seed,
                        concurrency=args.concurrency)
            print(f"{size} laptops, {args.rounds} rounds...", file=sys.stderr, flush=True)
            figures, problems = measure(work, plan)
            rows.append(row(figures, problems))
            for name, found in problems.items():
                state = "holds" if not found else f"{len(found)} problem(s)"
                print(f"  {name}: {state}", file=sys.stderr)
                for line in found[:5]:
                    print(f"    {line}", file=sys.stderr)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
