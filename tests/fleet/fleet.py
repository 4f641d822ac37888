"""A fleet of laptops on one bare git remote, as a newsroom runs them.

Each laptop is a database, a profile (its name is the actor of its syncs and edits) and a
clone of the remote. Edits are made through the store in this process, as the window
makes them; syncs run the real `newsdesk sync CLONE --json` in subprocesses, a few
laptops at the same time, so their pushes race as they do in an office.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from newsdesk.identity.profile import Profile
from newsdesk.store import Store
from newsdesk.sync import list_conflicts
from tests.fleet.edits import EditLog, Editor

SYNC_TIMEOUT = 300
# The same git everywhere: no system config, one branch name, an identity for commits.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Fleet",
    "GIT_AUTHOR_EMAIL": "fleet@example.invalid",
    "GIT_COMMITTER_NAME": "Fleet",
    "GIT_COMMITTER_EMAIL": "fleet@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "init.defaultBranch",
    "GIT_CONFIG_VALUE_0": "main",
}


def newsdesk_command() -> list[str]:
    script = Path(sys.executable).parent / "newsdesk"
    if script.exists():
        return [str(script)]
    found = shutil.which("newsdesk")
    return [found] if found else [sys.executable, "-m", "newsdesk"]


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "GIT_"))}
    return {**env, **GIT_ENV}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env=base_env(), check=False, timeout=SYNC_TIMEOUT)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} in {cwd}: {done.stderr.strip()}")
    return done.stdout


@dataclass
class Laptop:
    name: str
    db: Path
    clone: Path
    config: Path
    store: Store
    editor: Editor
    # Stories edited here since the last sync that took them out (for the commit check).
    pending: set[str] = field(default_factory=set)

    def head(self) -> str:
        return git(self.clone, "rev-parse", "-q", "--verify", "HEAD", check=False).strip()

    def conflicted(self) -> set[str]:
        return {c.story_id for c in list_conflicts(self.store.db)}

    def env(self) -> dict[str, str]:
        # Its own home too: nothing of a run reaches the real user's folders.
        home = self.config.parent / "home"
        return {**base_env(), "NEWSDESK_CONFIG_DIR": str(self.config),
                "NEWSDESK_DB": str(self.db), "HOME": str(home),
                "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_CACHE_HOME": str(home / "cache")}


@dataclass(frozen=True)
class SyncRun:
    """One `newsdesk sync` of one laptop: its JSON report and the commits it made."""

    laptop: str
    round: int  # -1 for the syncs that settle the fleet at the end
    head_before: str
    head_after: str
    exit_code: int
    report: dict
    pending: frozenset[str]  # stories the laptop edited since its last delivered sync
    seconds: float
    concurrent: int  # laptops syncing at the same time, this one included

    @property
    def outcome(self) -> str:
        return str(self.report.get("outcome", f"no report (exit {self.exit_code})"))

    def entries(self, kind: str) -> list[dict]:
        return [e for e in self.report.get("entries", []) if e["kind"] == kind]

    @property
    def push_retries(self) -> int:
        return sum("refused" in e["message"] for e in self.entries("git"))


class Fleet:
    """`size` laptops (laptop-00...) on a bare remote under `root`."""

    def __init__(self, root: Path, size: int, seed: int) -> None:
        self.root = root
        self.rng = Random(seed)
        self.log = EditLog()
        self.remote = root / "remote.git"
        root.mkdir(parents=True, exist_ok=True)
        git(root, "init", "-q", "--bare", str(self.remote))
        self.laptops: list[Laptop] = [self._laptop(n) for n in range(size)]
        self.runs: list[SyncRun] = []

    def _laptop(self, n: int) -> Laptop:
        name = f"laptop-{n:02d}"
        clone, config = self.root / name, self.root / f"{name}-config"
        git(self.root, "clone", "-q", str(self.remote), str(clone))
        Profile(name=name, folder=config).save()
        store = Store.open(self.root / f"{name}.db")
        editor = Editor(name, store, self.log, Random(self.rng.random()))
        return Laptop(name, self.root / f"{name}.db", clone, config, store, editor)

    def by_name(self, name: str) -> Laptop:
        return next(laptop for laptop in self.laptops if laptop.name == name)

    def sync(self, laptops: list[Laptop], round_: int) -> list[SyncRun]:
        """Sync these laptops at the same time (each one a `newsdesk sync` process)."""
        started = time.perf_counter()
        heads = [laptop.head() for laptop in laptops]
        processes = [
            subprocess.Popen(
                [*newsdesk_command(), "--db", str(laptop.db), "sync", str(laptop.clone),
                 "--json"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=laptop.env(),
            )
            for laptop in laptops
        ]
        runs = []
        for laptop, head, process in zip(laptops, heads, processes, strict=True):
            out, err = process.communicate(timeout=SYNC_TIMEOUT)
            try:
                report = json.loads(out)
            except json.JSONDecodeError:
                report = {"outcome": f"crashed: {err.strip()[-500:]}", "entries": []}
            run = SyncRun(laptop.name, round_, head, laptop.head(), process.returncode, report,
                          frozenset(laptop.pending), time.perf_counter() - started,
                          len(laptops))
            if run.outcome in ("ok", "needs_person"):
                laptop.pending = {e["story_id"] for e in run.entries("skipped")}
            runs.append(run)
        self.runs.extend(runs)
        return runs

    def close(self) -> None:
        for laptop in self.laptops:
            laptop.store.close()
