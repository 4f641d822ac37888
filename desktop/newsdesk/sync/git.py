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

from newsdesk.formats.errors import FormatError
from newsdesk.formats.markdown import dumps, loads
from newsdesk.formats.textfile import decode
from newsdesk.model import NewsdeskError, Story
from newsdesk.store import Store
from newsdesk.store.feed import origin_status
from newsdesk.store.sync_conflicts import record_conflict
from newsdesk.store.sync_records import set_workspace
from newsdesk.sync.arrival import merged_status
from newsdesk.sync.atomic import file_hash, write_atomic
from newsdesk.sync.engine import open_folder
from newsdesk.sync.layout import MARKER_NAME, STORIES_DIR, read_marker
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import as_file_story, is_tombstone, without_tombstone

GIT_TIMEOUT = 300

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


# Story files changed on both sides are never merged line by line by git: its text merge
# knows nothing of fields, tags as a set, or an edit beating a delete (a tombstone's
# `deleted: true` line and an edited paragraph merge into a delete that loses the edit).
# The built-in binary driver leaves every such file unmerged for _settle_story, which
# merges it as a plain folder's pass would. The attributes live in the clone's git folder,
# for Newsdesk's merges only: the repository and the user's own settings are untouched.
MERGE_ATTRIBUTES = f"/{STORIES_DIR}/**/*.md merge=binary\n"


def merge_upstream(store: Store, git: Git, report: SyncReport) -> None:
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
        settle_merge(store, git, report)
    if git.out("rev-parse", "HEAD") != before:
        report.add("git", f"merged changes from {upstream}")


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
