"""Git transport: the real `git` command in a clone, and git merges settled by Newsdesk.

`Git` runs git in the clone (fetch, merge, commit, push) and says what a push's answer
means: pushed, behind (it lost a race: another laptop pushed first) or failed. Pulling is
fetch + merge, never rebase: history others have is never rewritten. A story file
changed on both sides is never merged line by line by git: every such file is left
unmerged (the binary merge driver) and its three stages (base :1, ours :2, theirs :3)
are merged with the Newsdesk merge; a clean result is written, an unclean one keeps
their version in the file and opens a Newsdesk conflict with the base, so the next pass
hands it to a person exactly like a folder conflict. No conflict markers are ever left
in a file. When to pull and push, and how often to try, is delivery.py's.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from newsdesk.disk.atomic import file_hash, write_atomic
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import dumps, loads
from newsdesk.formats.textfile import decode
from newsdesk.store import Store
from newsdesk.store.feed import origin_status
from newsdesk.store.sync_conflicts import record_conflict
from newsdesk.store.sync_records import set_workspace
from newsdesk.sync.arrival import merged_status
from newsdesk.sync.engine import open_folder
from newsdesk.sync.layout import MARKER_NAME, STORIES_DIR, read_marker
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import as_file_story, is_tombstone, without_tombstone

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


# Story files changed on both sides are never merged line by line by git: its text merge
# knows nothing of fields, tags as a set, or an edit beating a delete (a tombstone's
# `deleted: true` line and an edited paragraph merge into a delete that loses the edit).
# The built-in binary driver leaves every such file unmerged for _settle_story, which
# merges it as a plain folder's pass would. The attributes live in the clone's git folder,
# for Newsdesk's merges only: the repository and the user's own settings are untouched.
MERGE_ATTRIBUTES = f"/{STORIES_DIR}/**/*.md merge=binary\n"


def merge_upstream(
    store: Store,
    git: Git,
    report: SyncReport,
    *,
    known: tuple[str | None, str | None] | None = None,
    built_on: str | None = None,
) -> bool:
    """Merge what the remote has and this clone has not; True when HEAD moved. `known`:
    (HEAD, upstream) as just read; `built_on`: a commit HEAD is known to descend from."""
    before, upstream = known or git.tips()
    upstream = upstream or git.upstream()
    if upstream is None:
        return False  # the remote has no branch yet: the push creates it
    if before is not None and (upstream in (before, built_on) or git.contains(upstream)):
        return False  # nothing new there
    attributes = Path(git.out("rev-parse", "--git-path", "newsdesk-merge-attributes"))
    attributes = attributes if attributes.is_absolute() else git.root / attributes
    if not attributes.is_file() or attributes.read_text(encoding="utf-8") != MERGE_ATTRIBUTES:
        write_atomic(attributes, MERGE_ATTRIBUTES.encode("utf-8"))
    merged = git.run(
        "-c", f"core.attributesFile={attributes}",
        "merge", "--no-edit", "-q", "--allow-unrelated-histories", upstream, check=False,
    )
    if merged.returncode != 0:
        if not git.merging():
            raise GitError(f"git merge {upstream} failed: {merged.stderr.strip()}")
        settle_merge(store, git, report)
    if git.out("rev-parse", "HEAD") == before:
        return False
    report.add("git", f"merged changes from {upstream}")
    return True


def settle_merge(store: Store, git: Git, report: SyncReport) -> None:
    """Resolve every conflicted path of the open merge and commit it."""
    paths = git.unmerged()
    if MARKER_NAME in paths:
        # Two laptops started this workspace apart (unrelated histories): the remote's
        # marker wins, and this database follows it, as the trees are now one workspace.
        marker_bytes = git.stage(3, MARKER_NAME) or git.stage(2, MARKER_NAME) or b""
        write_atomic(git.root / MARKER_NAME, marker_bytes)
        git.run("add", "--", MARKER_NAME)
        marker = read_marker(git.root)
        if marker is not None:
            with store.transaction() as db:
                set_workspace(db, str(git.root), marker.workspace_id)
        paths.remove(MARKER_NAME)
    folder = open_folder(store, git.root)
    for path in paths:
        if path.startswith(f"{STORIES_DIR}/") and path.endswith(".md"):
            _settle_story(store, git, folder.id, path, report)
        else:
            # Not a story (the marker, a README): keep this laptop's version.
            ours = git.stage(2, path) or git.stage(3, path) or b""
            write_atomic(git.root / path, ours)
            git.run("add", "--", path)
    git.run("commit", "-q", "--no-edit")


def _settle_story(store: Store, git: Git, folder_id: int, path: str, report: SyncReport) -> None:
    base_bytes, ours_bytes, theirs_bytes = (git.stage(n, path) for n in (1, 2, 3))
    ours, theirs = _parse(ours_bytes, path), _parse(theirs_bytes, path)
    if ours is None or theirs is None:
        # Deleted or unreadable on one side: keep the side that is a story (an edit
        # beats a delete); git history keeps the other.
        keep = ours_bytes if ours is not None else theirs_bytes
        write_atomic(git.root / path, keep or b"")
        git.run("add", "--", path)
        report.add("note", f"{path}: only one side of the git merge is a story; kept it", path=path)
        return
    base = _parse(base_bytes, path)
    result = merge_stories(
        without_tombstone(base) if base else None,
        without_tombstone(ours),
        without_tombstone(theirs),
    )
    deleted = is_tombstone(ours) and is_tombstone(theirs)
    if result.clean:
        # The merged file claims the status both sides' actions lead to from the base's,
        # as this laptop's next pass (and every other laptop) replays them.
        status = merged_status(
            without_tombstone(base) if base else None,
            without_tombstone(ours),
            without_tombstone(theirs),
            result.story,
            store.session.trust(),
            origin_status(store.db, ours.id),
        )
        merged = as_file_story(result.story.replace(status=status), deleted)
        write_atomic(git.root / path, dumps(merged).encode("utf-8"))
        git.run("add", "--", path)
        report.add("merged", f"{path}: git merge conflict merged cleanly", ours.id, path)
        return
    assert theirs_bytes is not None and ours_bytes is not None
    # The conflict is recorded before the path is marked resolved: after a crash in
    # between, the path is still unmerged and is settled again.
    with store.transaction():
        record_conflict(
            store.db,
            folder_id=folder_id,
            story_id=ours.id,
            path=path,
            base_text=dumps(without_tombstone(base)) if base else None,
            local_text=decode(ours_bytes, path)[0],
            remote_text=decode(theirs_bytes, path)[0],
            remote_file_hash=file_hash(theirs_bytes),
            fields=[c.name for c in result.conflicts],
            origin="git",
        )
    write_atomic(git.root / path, theirs_bytes)
    git.run("add", "--", path)


def _parse(data: bytes | None, path: str) -> Story | None:
    if data is None:
        return None
    try:
        return loads(decode(data, path)[0], path)
    except (FormatError, NewsdeskError):
        return None
