"""Git transport: the real `git` command in a clone.

`Git` runs git in the clone (fetch, merge, commit, push) and says what a push's answer
means: pushed, behind (it lost a race: another laptop pushed first) or failed. Pulling is
fetch + merge, never rebase: history others have is never rewritten. How a merge's story
files are settled is git_merge.py's; when to pull and push, and how often to try, is
delivery.py's.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from newsdesk.domain.model import NewsdeskError
from newsdesk.sync.layout import MARKER_NAME, STORIES_DIR

GIT_TIMEOUT = 300
# Never ask for a password in a terminal nobody watches; merge without an editor.
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_MERGE_AUTOEDIT": "no"}

PUSHED = "pushed"
BEHIND = "behind"  # lost a race: fetch, merge and push again
FAILED = "failed"

# What git says when a push lost a race, in its porcelain status line or its errors.
_BEHIND_WORDS: tuple[str, ...] = (
    "fetch first",
    "non-fast-forward",
    "failed to update ref",
    "failed to lock",
    "cannot lock ref",
    "incorrect old value",
)


def push_result(returncode: int, porcelain: str, errors: str) -> tuple[str, str]:
    """(PUSHED, BEHIND or FAILED, the reason in git's words) from `git push --porcelain`:
    its exit code, its standard output (one status line per ref, "!" for a refused one)
    and its standard error."""
    if returncode == 0:
        return PUSHED, ""
    refused = [line for line in porcelain.splitlines() if line.startswith("!")]
    reason = refused[0].split("\t")[-1] if refused else one_line(errors)
    text = "\n".join([*refused, errors]).lower()
    if refused and any(words in text for words in _BEHIND_WORDS):
        return BEHIND, reason
    return FAILED, reason or f"git push exited {returncode}"


def one_line(text: str) -> str:
    """Git's message (often several lines: "fatal: ...", hints) as one line."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


class GitError(NewsdeskError):
    """A git command failed; the message has git's own words."""


# The hooks `git commit` runs; with one of them the sync commits through `git commit`.
COMMIT_HOOKS = ("pre-commit", "prepare-commit-msg", "commit-msg", "post-commit")


@dataclass
class Git:
    root: Path
    actor: str = ""
    _ident: list[str] | None = field(default=None, init=False, repr=False)
    _hooks: bool | None = field(default=None, init=False, repr=False)
    git_dir: Path | None = field(default=None, init=False, repr=False)
    remotes: list[str] = field(default_factory=list, init=False, repr=False)

    def run(
        self, *args: str, check: bool = True, binary: bool = False
    ) -> subprocess.CompletedProcess:
        try:
            done = subprocess.run(
                self._command(args),
                cwd=self.root,
                capture_output=True,
                text=not binary,
                env={**os.environ, **_ENV},
                timeout=GIT_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("the git command is not installed") from None
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} did not finish within {GIT_TIMEOUT} s") from None
        if check and done.returncode != 0:
            err = (
                done.stderr
                if isinstance(done.stderr, str)
                else done.stderr.decode(errors="replace")
            )
            raise GitError(f"git {' '.join(args)} failed: {one_line(err)}")
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.strip()

    def _command(self, args: tuple[str, ...]) -> list[str]:
        # gc.auto=0: no `git gc --auto` in the background of a sync's own commands, where
        # its repacking takes the CPU from the push that follows; `maintain` runs it once
        # at the end, as git would have.
        # Only a command that makes commits needs an identity (asking git costs a call).
        ident = self._identity() if {"commit", "commit-tree", "merge"} & set(args) else []
        return ["git", *ident, "-c", "gc.auto=0", *args]

    def start(self, *args: str, stdin: IO[bytes] | None = None) -> subprocess.Popen[str]:
        """Run a git command in the background (a fetch beside a pass); `finish` it."""
        try:
            return subprocess.Popen(
                self._command(args), cwd=self.root, stdin=stdin or subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, **_ENV},
            )
        except FileNotFoundError:
            raise GitError("the git command is not installed") from None

    def finish(self, running: subprocess.Popen[str], what: str) -> None:
        """Wait for a command `start` ran; GitError with git's words if it failed."""
        try:
            _out, err = running.communicate(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            running.kill()
            running.communicate()
            raise GitError(f"git {what} did not finish within {GIT_TIMEOUT} s") from None
        if running.returncode != 0:
            raise GitError(f"git {what} failed: {one_line(err)}")

    def maintain(self) -> None:
        """`git gc --auto`, which git runs after its own commands (in the background,
        unless configured otherwise): the clone stays packed."""
        self.run("gc", "--auto", "--quiet", check=False)

    def _identity(self) -> list[str]:
        # Commits need a name and email; if git has none configured, commit as the
        # Newsdesk profile rather than fail the sync.
        if self._ident is None:
            have = (
                subprocess.run(
                    ["git", "var", "GIT_COMMITTER_IDENT"],
                    cwd=self.root,
                    capture_output=True,
                    check=False,
                ).returncode
                == 0
            )
            name = self.actor or "Newsdesk"
            self._ident = (
                [] if have else ["-c", f"user.name={name}", "-c", "user.email=newsdesk@localhost"]
            )
        return self._ident

    def is_repo_with_remote(self) -> bool:
        """The folder is the top of a git working tree that has a remote. A folder that
        merely lies somewhere inside another repository (a project, a home folder kept in
        git) is a plain folder: its repository is not Newsdesk's to commit to or push."""
        top = self.run("rev-parse", "--show-toplevel", "--absolute-git-dir", check=False)
        lines = top.stdout.splitlines() if top.returncode == 0 else []
        if len(lines) != 2 or Path(lines[0]).resolve() != self.root.resolve():
            return False
        self.git_dir = Path(lines[1])
        self.remotes = self.out("remote").splitlines()
        return bool(self.remotes)

    def commit(self, message: str, only: list[str] | None = None) -> bool:
        """Stage the story tree and marker and commit them; False when nothing changed.
        `only`: the files known to be all that changed since the last commit (the caller
        knows it, delivery._commit): just those are staged, not the whole tree."""
        if only:
            self.run("update-index", "--add", "--", *only)
        else:
            paths = [p for p in (STORIES_DIR, MARKER_NAME) if (self.root / p).exists()]
            if paths:
                self.run("add", "-A", "--", *paths)
        head, head_tree = self._head_and_tree()
        if head is None or self.merging() or self._commit_hooks():
            # A first commit, one that concludes a merge, or a clone whose owner set commit
            # hooks (they must run): git commit does it all.
            if self.run("diff", "--cached", "--quiet", check=False).returncode == 0:
                return False
            self.run("commit", "-q", "-m", message)
            return True
        return self._commit_index(message, head, head_tree)

    def _commit_index(self, message: str, head: str, head_tree: str | None) -> bool:
        """Commit the index on top of `head` with git's plumbing: `git commit` would first
        look at the stat of every file of the tree again (the index refresh), which at
        20,000 stories cost more than the rest of a one-change sync's commit. Used only
        in a clone without commit hooks, which the plumbing would not run."""
        tree = self.out("write-tree")
        if tree == head_tree:
            return False  # the index holds what HEAD does
        commit = self.out("commit-tree", tree, "-p", head, "-m", message)
        # Moved only from `head`: a commit made meanwhile by another git is never lost.
        self.run("update-ref", "-m", f"commit: {message}", "HEAD", commit, head)
        return True

    def _commit_hooks(self) -> bool:
        """Whether the clone has a commit hook that `git commit` would run (in its hooks
        folder, wherever core.hooksPath puts it); asked once per pass."""
        if self._hooks is None:
            folder = Path(self.out("rev-parse", "--git-path", "hooks"))
            folder = folder if folder.is_absolute() else self.root / folder
            self._hooks = any(os.access(folder / name, os.X_OK) for name in COMMIT_HOOKS)
        return self._hooks

    def _head_and_tree(self) -> tuple[str | None, str | None]:
        """HEAD's commit and its tree (None, None before the first commit)."""
        done = self.run("rev-parse", "HEAD^{commit}", "HEAD^{tree}", check=False)
        lines = done.stdout.split()
        if done.returncode != 0 or len(lines) != 2:
            return None, None
        return lines[0], lines[1]

    def upstream(self) -> str | None:
        done = self.run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
        if done.returncode == 0:
            return done.stdout.strip()
        # symbolic-ref also names the branch of a fresh clone that has no commit yet.
        branch = self.out("symbolic-ref", "--short", "HEAD")
        remote = self.out("remote").splitlines()[0]
        ref = f"{remote}/{branch}"
        found = self.run("rev-parse", "--verify", "-q", f"refs/remotes/{ref}", check=False)
        return ref if found.returncode == 0 else None

    def merging(self) -> bool:
        if self.git_dir is not None:
            return (self.git_dir / "MERGE_HEAD").is_file()
        return self.run("rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0

    def tips(self) -> tuple[str | None, str | None]:
        """The commits of HEAD and of its upstream (None: there is none yet)."""
        both = self.run("rev-parse", "HEAD", "@{u}", check=False)
        lines = both.stdout.split()
        if both.returncode == 0 and len(lines) == 2:
            return lines[0], lines[1]
        return self.head(), None

    def head(self) -> str | None:
        """The commit HEAD names (None: no commit yet)."""
        done = self.run("rev-parse", "-q", "--verify", "HEAD", check=False)
        return done.stdout.strip() or None

    def contains(self, commit: str) -> bool:
        """True when HEAD already holds `commit` (nothing of it to merge)."""
        done = self.run("merge-base", "--is-ancestor", commit, "HEAD", check=False)
        return done.returncode == 0

    def unmerged(self) -> list[str]:
        text = self.run("diff", "--name-only", "--diff-filter=U", "--relative", "-z").stdout
        return sorted(p for p in text.split("\0") if p)

    def stage(self, number: int, path: str) -> bytes | None:
        done = self.run("show", f":{number}:./{path}", check=False, binary=True)
        return done.stdout if done.returncode == 0 else None

    def has_commits(self) -> bool:
        return self.run("rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0

    def push(self, *, many: bool = False, tracking: bool | None = None) -> tuple[str, str]:
        """Push: (PUSHED, BEHIND or FAILED, git's reason); see push_result. `many`: the
        commits add thousands of new story files, which share nothing a delta could use
        (measured: the pack is the same size), so git is spared searching for deltas.
        `tracking`: whether the branch has an upstream (None: ask git)."""
        window = ["-c", "pack.window=0"] if many else []
        if tracking is None:
            tracking = self.run("rev-parse", "--abbrev-ref", "@{u}", check=False).returncode == 0
        if tracking:
            done = self.run(*window, "push", "--porcelain", check=False)
        else:
            remote = self.out("remote").splitlines()[0]
            done = self.run(*window, "push", "--porcelain", "-u", remote, "HEAD", check=False)
        return push_result(done.returncode, done.stdout, done.stderr)
