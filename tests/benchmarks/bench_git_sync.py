"""Newsdesk's sync through a git clone beside git's own commands on the same tree (issue 17).

    python tests/benchmarks/bench_git_sync.py [--stories 20000] [--runs 5] [--work FOLDER]

Laptop A has the stories (a generated corpus whose statuses were reached by signed
actions: a writer's submit, a desk chief's approve, publish or spike), a clone of a bare
remote on the same disk, and syncs; laptop B starts empty, trusts the chief, and
receives everything. Interleaved in one run, each the median of several:

- first sync: A's `newsdesk sync` of all the stories into its empty clone, which writes
  every file, commits and pushes to the remote; against `git add -A && git commit` of
  that whole tree (into a repository of its own, on the same disk);
- no-change sync: A's sync with nothing to do since its last sync had settled (the
  commands to the remote included) against `git status` in the same clone;
- one story changed: A saves one story and syncs (write, commit, fetch, merge, push)
  against git changing one file and `git add -A && git commit` in a clone of the tree;
- a second laptop: B's first sync, which fetches, checks out and takes in every story.

Prints the table of ratios and writes it as JSON (FOLDER/git-sync.json). Beside each
time, the CPU seconds it took (this process, its worker processes and every git command
it ran, from getrusage): on a machine shared with other work the times stretch with the
load, the CPU seconds much less so. Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import benchdata  # noqa: E402
import corpus  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from newsdesk.desk import Desk  # noqa: E402
from newsdesk.domain import workflow  # noqa: E402
from newsdesk.identity.profile import Profile  # noqa: E402
from newsdesk.identity.signing import action_signer_for, public_key_text, signer_for  # noqa: E402
from newsdesk.store import Store  # noqa: E402
from newsdesk.store.schema import SCHEMA_VERSION  # noqa: E402

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "init.defaultBranch", "GIT_CONFIG_VALUE_0": "main",
}
# How each status of the corpus is reached: (who, action) in order.
STEPS = {
    "draft": [],
    "in_review": [("writer", "submit")],
    "approved": [("writer", "submit"), ("chief", "approve")],
    "published": [("writer", "submit"), ("chief", "approve"), ("chief", "publish")],
    "spiked": [("writer", "submit"), ("chief", "spike")],
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def key(name: str) -> Ed25519PrivateKey:
    """A fixed key per person, so a cached corpus and a fresh run agree on who signed."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(name.encode()).digest())


class Person:
    def __init__(self, name: str, role: str) -> None:
        self.name, self.role, self.key = name, role, key(name)


def signed_corpus(count: int, seed: int) -> Path:
    """The corpus with every status reached by signed actions, built once (cached)."""
    digest = benchdata.source_digest(Path(__file__))
    name = f"signed-{count}-seed{seed}-schema{SCHEMA_VERSION}-{digest}.db"
    path = benchdata.RESULTS / "cache" / name
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    log(f"building a {count:,}-story corpus with signed actions (cached as {name}) ...")
    people = {"writer": Person("Wendy Writer", "editor"), "chief": Person("Chief Ann",
                                                                          "desk_chief")}
    started = time.perf_counter()
    with Store.open(partial) as store:
        stories = list(corpus.stories(count, seed=seed))
        wanted = {story.id: story.status for story in stories}
        for start in range(0, count, 5000):
            part = [s.replace(status="draft") for s in stories[start : start + 5000]]
            store.bulk_insert(part, actor="Wendy Writer")
        with store.transaction():
            for n, (story_id, status) in enumerate(wanted.items()):
                for who, action in STEPS[status]:
                    _act(store, story_id, people[who], action)
                if n % 5000 == 4999:
                    log(f"  {n + 1:,} stories signed, {time.perf_counter() - started:.0f} s")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(partial, path)
    return path


def _act(store: Store, story_id: str, person: Person, action: str) -> None:
    story = store.get(story_id)
    result = workflow.apply(
        story, action, person, four_eyes=False, sign=signer_for(person.key),
        sign_action=action_signer_for(person.key),
    )
    assert result.record is not None
    store.signed.record_transition(
        story_id, result.record, expected_revision=story.revision, approval=result.approval
    )


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def empty_clone(remote: Path, where: Path) -> Path:
    """A clone made before anything was pushed: a repository whose origin is `remote`."""
    where.mkdir(parents=True)
    git(where, "init", "-q")
    git(where, "remote", "add", "origin", str(remote))
    return where


def settle_git(*repositories: Path) -> None:
    """Wait for git's own upkeep to end: a commit, merge or push leaves `git gc --auto`
    running in the background, as it does after anyone's git commands; it is no part of
    what is measured, on either side, and must not take the CPU from what is."""
    for repository in repositories:
        lock = repository / ("gc.pid" if repository.suffix == ".git" else ".git/gc.pid")
        deadline = time.monotonic() + 300
        while lock.exists() and time.monotonic() < deadline:
            time.sleep(0.2)


def cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (workers, git)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """(seconds, CPU seconds) the action took."""
    started, cpu = time.perf_counter(), cpu_seconds()
    action()
    return time.perf_counter() - started, cpu_seconds() - cpu


def profile_for(work: Path, name: str, role: str, trusts: Person | None = None) -> Profile:
    profile = Profile(name, role, False, work / f"config-{name.split()[0].lower()}").save()
    if trusts is not None:
        profile.trust(public_key_text(trusts.key), name=trusts.name)
    return profile


def laptop(db: Path, profile: Profile) -> Desk:
    desk = Desk.open(db)
    desk.use_profile(profile)
    return desk


def check(report: object, what: str) -> None:
    if not report.delivered or report.stopped:  # type: ignore[attr-defined]
        raise SystemExit(f"{what}: {report.summary()}")  # type: ignore[attr-defined]


def run(count: int, runs: int, work: Path, seed: int = 2026) -> dict[str, object]:
    work.mkdir(parents=True, exist_ok=True)
    source = signed_corpus(count, seed)
    for name, value in GIT_ENV.items():
        os.environ[name] = value
    os.environ["HOME"] = str(work / "home")
    chief = Person("Chief Ann", "desk_chief")
    a_profile = profile_for(work, "Chief Ann", "desk_chief")
    b_profile = profile_for(work, "Bo Editor", "editor", trusts=chief)
    times: dict[str, list[float]] = {}

    def note(what: str, took: tuple[float, float]) -> None:
        seconds, cpu = took
        times.setdefault(what, []).append(seconds)
        times.setdefault(f"{what} (cpu)", []).append(cpu)
        log(f"  {what}: {seconds:.3f} s, {cpu:.3f} s of CPU")

    # Nothing big is removed before the end of the run: on a file system that holds back
    # freed inodes, files created just after a large removal are slow to create, and the
    # figures would measure that (benchdata.working_copy).
    for n in range(max(1, runs // 2)):
        log(f"first sync, run {n + 1} ...")
        remote = work / f"remote{n}.git"
        git(work, "init", "-q", "--bare", str(remote))
        db = work / f"a{n}.db"
        shutil.copyfile(source, db)
        clone = empty_clone(remote, work / f"a{n}")
        with laptop(db, a_profile) as desk:
            note("newsdesk first sync", timed(lambda d=desk, c=clone: check(d.sync(c), "first")))
        settle_git(clone, remote)
        scratch = work / f"scratch{n}.git"
        git(work, "init", "-q", "--bare", str(scratch))
        tree = ["--git-dir", str(scratch), "--work-tree", str(clone)]
        note("git add -A && git commit, whole tree", timed(
            lambda t=tree: (git(work, *t, "add", "-A"), git(work, *t, "commit", "-q", "-m", "x"))
        ))
        settle_git(scratch)
    time.sleep(3)  # files written in the last seconds are read once more (cache.py)
    other = work / "other"  # a clone of the same tree, for git's own one-file commit
    git(work, "clone", "-q", str(remote), str(other))
    files = sorted((other / "stories").rglob("*.md"))
    with laptop(db, a_profile) as desk:
        # Settled: the files the first sync wrote read once more, the tree recorded.
        for _ in range(2):
            check(desk.sync(clone), "settling")
        story_id = desk.list_rows(limit=1, sort="slug")[0].id
        for n in range(runs):
            log(f"nothing changed, run {n + 1} ...")
            note("newsdesk sync, nothing changed", timed(
                lambda d=desk: check(d.sync(clone), "no change")))
            settle_git(clone, remote)
            note("git status", timed(lambda: git(clone, "status", "--porcelain")))
        for n in range(runs):
            log(f"one story changed, run {n + 1} ...")

            def one_change(d: Desk = desk, n: int = n) -> None:
                story = d.get(story_id)
                d.save(story.replace(body=story.body + f"\nOne more line, {n}.\n"), story.revision)
                report = d.sync(clone)
                check(report, "one change")
                if report.counts().get("exported") != 1:
                    raise SystemExit(f"one change did: {report.counts()}")

            note("newsdesk sync, one story changed", timed(one_change))
            settle_git(clone, remote)
            path = files[n % len(files)]

            def git_one(p: Path = path, n: int = n) -> None:
                with p.open("a", encoding="utf-8") as handle:
                    handle.write(f"\nOne more line, {n}.\n")
                git(other, "add", "-A")
                git(other, "commit", "-q", "-m", "one")

            note("git add -A && git commit, one file", timed(git_one))
            settle_git(other)
    for n in range(max(1, runs // 2)):
        log(f"second laptop, run {n + 1} ...")
        db = work / f"b{n}.db"
        clone = empty_clone(remote, work / f"b{n}")
        with laptop(db, b_profile) as desk:
            report_box: list[object] = []
            note("newsdesk second laptop receives everything", timed(
                lambda d=desk, c=clone, r=report_box: r.append(d.sync(c))))
            check(report_box[0], "second laptop")
            settle_git(clone)
            got = desk.count()
            if got < count:
                raise SystemExit(f"the second laptop has {got} of {count} stories")
    return summarize(count, runs, times)


def summarize(count: int, runs: int, times: dict[str, list[float]]) -> dict[str, object]:
    med = {what: statistics.median(values) for what, values in times.items()}
    rows = [
        ("no-change sync vs git status", "newsdesk sync, nothing changed", "git status", 3.0),
        ("one-change sync vs git add -A && git commit (one file)",
         "newsdesk sync, one story changed", "git add -A && git commit, one file", 2.0),
        ("first sync vs git add -A && git commit (whole tree)", "newsdesk first sync",
         "git add -A && git commit, whole tree", 3.0),
    ]
    table = [
        {"what": what, "newsdesk_s": round(med[ours], 3), "git_s": round(med[theirs], 3),
         "ratio": round(med[ours] / med[theirs], 2), "target": f"<= {target:g}x",
         "passed": med[ours] / med[theirs] <= target,
         "newsdesk_cpu_s": round(med[f"{ours} (cpu)"], 3),
         "git_cpu_s": round(med[f"{theirs} (cpu)"], 3),
         "cpu_ratio": round(med[f"{ours} (cpu)"] / max(med[f"{theirs} (cpu)"], 1e-3), 2)}
        for what, ours, theirs, target in rows
    ]
    second = med["newsdesk second laptop receives everything"]
    table.append({"what": f"second laptop receives {count:,} stories", "newsdesk_s":
                  round(second, 2), "git_s": None, "ratio": None, "target": "< 15 s",
                  "passed": second < 15, "newsdesk_cpu_s": round(
                      med["newsdesk second laptop receives everything (cpu)"], 2),
                  "git_cpu_s": None, "cpu_ratio": None})
    return {"stories": count, "runs": runs, "medians_s": {k: round(v, 3) for k, v in med.items()},
            "all_s": {k: [round(x, 3) for x in v] for k, v in times.items()}, "table": table}


def print_table(outcome: dict[str, object]) -> None:
    print(f"sync through git beside git, {outcome['stories']:,} stories "
          f"(medians of {outcome['runs']} runs, {os.cpu_count()} CPUs)")
    for row in outcome["table"]:  # type: ignore[union-attr]
        git_s = f"{row['git_s']:.3f} s" if row["git_s"] is not None else "-"
        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        cpu = f"{row['newsdesk_cpu_s']:.2f}" + (
            f" / {row['git_cpu_s']:.2f} = {row['cpu_ratio']:.2f}x" if row["git_cpu_s"] else "")
        print(f"  {row['what']:<58} {row['newsdesk_s']:>8.3f} s  {git_s:>9}  {ratio:>6}  "
              f"{row['target']:>7}  {'pass' if row['passed'] else 'MISS'}  CPU s: {cpu}")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f} (1 min), "
          f"{os.getloadavg()[2]:.1f} (15 min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--work", type=Path, default=benchdata.RESULTS / "git-sync")
    args = parser.parse_args()
    benchdata.fresh_folder(args.work)
    outcome = run(args.stories, args.runs, args.work, args.seed)
    (args.work / "git-sync.json").write_text(json.dumps(outcome, indent=2) + "\n")
    print_table(outcome)
    benchdata.remove_stale(args.work)


if __name__ == "__main__":
    main()
