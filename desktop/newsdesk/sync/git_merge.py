"""Git merges settled by Newsdesk: a story file changed on both sides is never merged
line by line by git.

Every such file is left unmerged (the binary merge driver) and its three stages (base :1,
ours :2, theirs :3) are merged with the Newsdesk merge; a clean result is written, an
unclean one keeps their version in the file and opens a Newsdesk conflict with the base,
so the next pass hands it to a person exactly like a folder conflict. No conflict markers
are ever left in a file. See docs/architecture.md, "The flow of a sync".
"""

from __future__ import annotations

from pathlib import Path

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
from newsdesk.sync.git import Git, GitError
from newsdesk.sync.layout import MARKER_NAME, STORIES_DIR, read_marker
from newsdesk.sync.merge import merge_stories
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import as_file_story, is_tombstone, without_tombstone

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
