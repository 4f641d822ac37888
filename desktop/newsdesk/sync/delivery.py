"""Delivery through git: a sync in a clone with a remote, and trying again when a push
loses a race.

    sync pass (beside a fetch) -> commit -> merge -> [sync pass -> commit] -> push

The first pass puts this database's changes into the tree so they are committed before
merging (the fetch runs meanwhile: it touches no file of the tree); the second takes
what the merge brought into the database, and runs only when the merge brought
something. A tree the pass found all settled, under the very commit that held it when
last staged, is not staged again (SyncReport.tree); nothing is pushed when the remote
holds it all already; git's own upkeep (`gc --auto`) runs once at the end instead of in
the background of the push. What is measured against git's own commands:
tests/benchmarks/bench_git_sync.py and the README (Performance). Under concurrency a
push loses races: the remote has commits this laptop has not merged yet (`[rejected]
(fetch first)`, `(non-fast-forward)`), or another push updated the branch between git's
look at it and its own update (`[remote rejected] (failed to update ref)`). Both are
settled by fetching, merging (through the same conflict handling), passing and pushing
again, after a random wait that grows with each try (full jitter: laptops that collided
do not collide again in step). A push refused for any other reason (a hook that
declines, no access) fails at once: trying again would not help. A remote that cannot be
reached still gets the local pass and commit, which go out with the next sync. The
report's outcome says whether everything was delivered (SyncReport.outcome).
"""

from __future__ import annotations

import contextlib
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsdesk.store import Store
from newsdesk.store.sync_records import committed_tree, folder_by_path, set_committed_tree
from newsdesk.sync.engine import Progress, sync_folder
from newsdesk.sync.git import BEHIND, PUSHED, Git, GitError
from newsdesk.sync.git_merge import merge_upstream, settle_merge
from newsdesk.sync.report import SyncReport
from newsdesk.sync.staging import Stager

# Story files written by a sync from which its push spares git the search for deltas
# (Git.push): a first sync, or a whole archive sent again.
MANY_FILES = 1000


@dataclass(frozen=True)
class Backoff:
    """How often to push and how long to wait between tries.

    `attempts` pushes in all (the first and the retries); before retry n (from 1) a
    random wait of up to `first` * 2**(n-1) seconds, never more than `cap`: at most
    0.25 + 0.5 + 1 + 2 + 4 = 7.75 s over five retries, 3.9 s on average. `sleep` and
    `random` are parameters so that a caller (a test, a benchmark) can choose them."""

    attempts: int = 6
    first: float = 0.25
    cap: float = 4.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay(self, retry: int) -> float:
        """The wait before retry number `retry` (1 for the first retry)."""
        return self.random() * min(self.cap, self.first * 2 ** (retry - 1))

    def wait(self, retry: int) -> float:
        """Wait before retry number `retry`; returns how long."""
        seconds = self.delay(retry)
        self.sleep(seconds)
        return seconds


def sync_with_git(
    store: Store,
    folder: str | Path,
    *,
    actor: str = "",
    progress: Progress | None = None,
    restore_missing: bool = False,
    backoff: Backoff | None = None,
) -> SyncReport:
    """A sync pass, wrapped in commit, pull and push when the folder is a git clone;
    `backoff` says how often a refused push is tried and how long to wait between."""
    root = Path(folder).expanduser().resolve()
    git = Git(root, actor)
    if not root.is_dir() or not git.is_repo_with_remote():
        return sync_folder(
            store, root, actor=actor, progress=progress, restore_missing=restore_missing
        )
    run = _GitSync(store, git, actor, progress, restore_missing, backoff or Backoff())
    return run.run()


class _GitSync:
    """One sync through git: passes, commits, merges and pushes, into one report."""

    def __init__(
        self,
        store: Store,
        git: Git,
        actor: str,
        progress: Progress | None,
        restore_missing: bool,
        backoff: Backoff,
    ) -> None:
        self.store, self.git, self.actor = store, git, actor
        self.progress, self.restore_missing, self.backoff = progress, restore_missing, backoff
        self.report = SyncReport(str(git.root))
        self.message = f"Newsdesk sync by {actor or 'Newsdesk'}"
        self.tree = ""  # the last pass's digest of a settled tree (SyncReport.tree)
        self.before = ""  # ... and of the tree before it wrote (SyncReport.tree_before)
        self.written: list[str] = []  # the files the last pass wrote
        self.stager = Stager(git)  # stages new files while the pass writes more
        # HEAD before this sync's commit, and (HEAD, upstream) after it: what the merge
        # and the push would otherwise ask git again.
        self.built_on: str | None = None
        self.known: tuple[str | None, str | None] | None = None

    def run(self) -> SyncReport:
        store, git, report = self.store, self.git, self.report
        try:
            if git.merging():
                settle_merge(store, git, report)  # a merge left open by an earlier crash
            remote = git.remotes[0]
            if git.tips()[0] is None:
                # A fresh clone: take the workspace (and its marker) before writing; with
                # no remote now, it waits (it has no workspace yet).
                if self._fetch(remote):
                    merge_upstream(store, git, report)
                    self._pass_and_deliver(remote, reached=True)
            else:
                # The fetch touches no file of the tree: it runs beside the pass.
                fetching = git.start("fetch", "-q", remote)
                try:
                    passed = self._pass()
                finally:
                    reached = self._fetched(fetching, remote)
                self._pass_and_deliver(remote, reached=reached, passed=passed)
        except GitError as exc:
            report.add("error", str(exc))
        finally:
            self.stager.finish()  # never leave a git add holding the index behind
        with contextlib.suppress(GitError):
            git.maintain()
        report.entries = list(dict.fromkeys(report.entries))
        return report

    def _pass_and_deliver(self, remote: str, *, reached: bool, passed: bool | None = None) -> None:
        """Commit what the pass put in the tree, then (the remote reached) merge and push.
        No remote now: the commit goes out with the next sync."""
        if passed is None:
            passed = self._pass()
        if not passed:
            return
        self._commit()
        if reached:
            self._deliver(remote)

    def _pass(self) -> bool:
        """A folder pass into the report; False when it stopped before changing anything."""
        done = sync_folder(
            self.store,
            self.git.root,
            actor=self.actor,
            progress=self.progress,
            restore_missing=self.restore_missing,
            placed=self.stager.placed,
        )
        self.report.entries.extend(done.entries)
        self.report.stopped = done.stopped
        self.tree, self.before = done.tree, done.tree_before
        self.written = [e.path for e in done.entries if e.kind in ("exported", "tombstone")]
        return not done.stopped

    def _fetch(self, remote: str) -> bool:
        return self._fetched(self.git.start("fetch", "-q", remote), remote)

    def _fetched(self, fetching: subprocess.Popen[str], remote: str) -> bool:
        """Whether the fetch reached the remote (else the report says so)."""
        try:
            self.git.finish(fetching, f"fetch -q {remote}")
        except GitError as exc:
            self.report.add(
                "error",
                f"cannot reach the remote {remote}, nothing was delivered ({exc}); this "
                "laptop's changes are kept and go out with the next sync",
            )
            return False
        return True

    def _commit(self) -> None:
        """Stage the story tree and commit it. A tree the pass found all settled, with
        the digest it had when last committed under this very commit, has nothing to
        stage (the pass looked at every file's stat to say so): git is not asked."""
        git, tree = self.git, self.tree
        self.stager.finish()
        folder = folder_by_path(self.store.db, str(git.root))
        head = self.built_on = git.head()
        recorded = committed_tree(self.store.db, folder.id) if folder is not None else None
        if tree and recorded == (tree, head):
            return
        # The tree as the pass found it was the one committed: only its writes changed.
        only = self.written if self.before and recorded == (self.before, head) else None
        if git.commit(self.message, only=only if only and len(only) <= MANY_FILES else None):
            self.report.add("git", "committed this laptop's changes")
            self.known = git.tips()
            head = self.known[0]
        if tree and folder is not None and head is not None:
            with self.store.transaction() as db:
                set_committed_tree(db, folder.id, tree, head)

    def _deliver(self, remote: str) -> None:
        """Merge, pass, commit and push until the push lands, `backoff.attempts` times.
        A pass runs again only when the merge brought something (else the tree is what
        the last pass left, committed); a push only when there is something to push."""
        git, report, backoff = self.git, self.report, self.backoff
        reason = ""
        for attempt in range(backoff.attempts):
            if attempt:
                waited = backoff.wait(attempt)
                report.add(
                    "git",
                    f"push to {remote} refused ({reason}): another laptop pushed first; "
                    f"merged again after {waited:.1f} s",
                )
                git.run("fetch", "-q", remote)
            known, built_on = (self.known, self.built_on) if not attempt else (None, None)
            moved = merge_upstream(self.store, git, report, known=known, built_on=built_on)
            if moved:
                if not self._pass():
                    return
                self.stager.finish()
                git.commit(self.message)
            head, upstream = known if known is not None and not moved else git.tips()
            if head is not None and head == upstream:
                return  # the remote holds all of it already
            counts = report.counts()
            written = counts.get("exported", 0) + counts.get("tombstone", 0)
            result, reason = git.push(many=written >= MANY_FILES, tracking=upstream is not None)
            if result == PUSHED:
                report.add("git", f"pushed to {remote}")
                return
            if result != BEHIND:
                raise GitError(f"git push to {remote} failed: {reason}")
        report.add(
            "error",
            f"git push to {remote} was refused {backoff.attempts} times, each time another "
            f"laptop pushed first ({reason}); this laptop's changes are committed here and "
            "go out with the next sync",
        )
