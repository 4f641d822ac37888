"""Git transport: when the sync folder is a git working tree with a remote, a sync also
commits, pulls (fetch + merge, never rebase: history others have is never rewritten)
and pushes, with the real `git` command.

    sync pass -> commit -> fetch + merge -> sync pass -> commit -> push

The first pass puts this database's changes into the tree so they are committed before
merging; the second takes what the merge brought into the database. A push that lost a
race with another laptop's is tried again, after a growing random wait, with a fresh
fetch, merge and pass (delivery.py); a remote that cannot be reached still gets the
local pass and commit, which go out with the next sync. The report's outcome says
whether everything was delivered (SyncReport.outcome). A git merge
conflict in a story file never leaves conflict markers in the file: the three stages
(base :1, ours :2, theirs :3) are merged with the Newsdesk merge; a clean result is
written, an unclean one keeps their version in the file and opens a Newsdesk conflict
with the base, so the second pass hands it to a person exactly like a folder conflict.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import dumps, loads
from newsdesk.formats.textfile import decode
from newsdesk.model import NewsdeskError, Story
from newsdesk.store import Store
from newsdesk.sync import state
from newsdesk.sync.atomic import file_hash, write_atomic
from newsdesk.sync.conflicts import record_conflict
from newsdesk.sync.delivery import BEHIND, PUSHED, Backoff, one_line, push_result
from newsdesk.sync.engine import Progress, open_folder, sync_folder
from newsdesk.sync.layout import MARKER_NAME, STORIES_DIR, read_marker
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import as_file_story, is_tombstone, without_tombstone

GIT_TIMEOUT = 300


class GitError(NewsdeskError):
    """A git command failed; the message has git's own words."""


@dataclass
class Git:
    root: Path
    actor: str = ""
    _ident: list[str] | None = field(default=None, init=False, repr=False)

    def run(
        self, *args: str, check: bool = True, binary: bool = False
    ) -> subprocess.CompletedProcess:
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_MERGE_AUTOEDIT": "no"}
        try:
            done = subprocess.run(
                ["git", *self._identity(), *args],
                cwd=self.root,
                capture_output=True,
                text=not binary,
                env=env,
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
        top = self.run("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0 or not top.stdout.strip():
            return False
        if Path(top.stdout.strip()).resolve() != self.root.resolve():
            return False
        return bool(self.out("remote"))

    def commit(self, message: str) -> bool:
        """Stage the story tree and marker and commit them; False when nothing changed."""
        paths = [p for p in (STORIES_DIR, MARKER_NAME) if (self.root / p).exists()]
        if paths:
            self.run("add", "-A", "--", *paths)
        if self.run("diff", "--cached", "--quiet", check=False).returncode == 0:
            return False
        self.run("commit", "-q", "-m", message)
        return True

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
        return self.run("rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0

    def unmerged(self) -> list[str]:
        text = self.run("diff", "--name-only", "--diff-filter=U", "--relative", "-z").stdout
        return sorted(p for p in text.split("\0") if p)

    def stage(self, number: int, path: str) -> bytes | None:
        done = self.run("show", f":{number}:./{path}", check=False, binary=True)
        return done.stdout if done.returncode == 0 else None

    def has_commits(self) -> bool:
        return self.run("rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0

    def push(self) -> tuple[str, str]:
        """Push: (PUSHED, BEHIND or FAILED, git's reason); see delivery.push_result."""
        if self.run("rev-parse", "--abbrev-ref", "@{u}", check=False).returncode == 0:
            done = self.run("push", "--porcelain", check=False)
        else:
            remote = self.out("remote").splitlines()[0]
            done = self.run("push", "--porcelain", "-u", remote, "HEAD", check=False)
        return push_result(done.returncode, done.stdout, done.stderr)


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

    def run(self) -> SyncReport:
        store, git, report = self.store, self.git, self.report
        try:
            if git.merging():
                _settle_merge(store, git, report)  # a merge left open by an earlier crash
            remote = git.out("remote").splitlines()[0]
            if not self._fetch(remote):
                # No remote now: the database and the tree still meet, and the commit
                # goes out with the next sync (a fresh clone waits: it has no workspace).
                if git.has_commits() and self._pass():
                    self._commit()
            else:
                if not git.has_commits():
                    # A fresh clone: take the workspace (and its marker) before writing.
                    _merge_upstream(store, git, report)
                if self._pass():
                    self._commit()
                    self._deliver(remote)
        except GitError as exc:
            report.add("error", str(exc))
        report.entries = list(dict.fromkeys(report.entries))
        return report

    def _pass(self) -> bool:
        """A folder pass into the report; False when it stopped before changing anything."""
        done = sync_folder(
            self.store,
            self.git.root,
            actor=self.actor,
            progress=self.progress,
            restore_missing=self.restore_missing,
        )
        self.report.entries.extend(done.entries)
        self.report.stopped = done.stopped
        return not done.stopped

    def _fetch(self, remote: str) -> bool:
        try:
            self.git.run("fetch", "-q", remote)
        except GitError as exc:
            self.report.add(
                "error",
                f"cannot reach the remote {remote}, nothing was delivered ({exc}); this "
                "laptop's changes are kept and go out with the next sync",
            )
            return False
        return True

    def _commit(self) -> None:
        if self.git.commit(self.message):
            self.report.add("git", "committed this laptop's changes")

    def _deliver(self, remote: str) -> None:
        """Merge, pass, commit and push until the push lands, `backoff.attempts` times."""
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
            _merge_upstream(self.store, git, report)
            if not self._pass():
                return
            git.commit(self.message)
            result, reason = git.push()
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


# Story files changed on both sides are never merged line by line by git: its text merge
# knows nothing of fields, tags as a set, or an edit beating a delete (a tombstone's
# `deleted: true` line and an edited paragraph merge into a delete that loses the edit).
# The built-in binary driver leaves every such file unmerged for _settle_story, which
# merges it as a plain folder's pass would. The attributes live in the clone's git folder,
# for Newsdesk's merges only: the repository and the user's own settings are untouched.
MERGE_ATTRIBUTES = f"/{STORIES_DIR}/**/*.md merge=binary\n"


def _merge_upstream(store: Store, git: Git, report: SyncReport) -> None:
    upstream = git.upstream()
    if upstream is None:
        return  # the remote has no branch yet: the push creates it
    before = git.out("rev-parse", "-q", "--verify", "HEAD") if git.has_commits() else ""
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
        _settle_merge(store, git, report)
    if git.out("rev-parse", "HEAD") != before:
        report.add("git", f"merged changes from {upstream}")


def _settle_merge(store: Store, git: Git, report: SyncReport) -> None:
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
                state.ensure_tables(db)
                db.execute(
                    "UPDATE sync_folders SET workspace_id = ? WHERE path = ?",
                    [marker.workspace_id, str(git.root)],
                )
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
        write_atomic(git.root / path, dumps(as_file_story(result.story, deleted)).encode("utf-8"))
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
            conflicts=result.conflicts,
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
