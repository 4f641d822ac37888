"""What a settled fleet must show (issue 17). Each check returns its problems, one line
each; none means the check holds. `figures` sums a run up for the benchmark table.

The shared version of a story is its file in the remote's tree (every clone is at the
same commit once the fleet settled). A laptop with an open conflict on a story keeps its
own version in its database and the shared one in the conflict (DESIGN section 5); every
other laptop holds the shared version.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from newsdesk.domain.model import Story
from newsdesk.formats.markdown import dumps, loads
from newsdesk.sync import list_conflicts
from newsdesk.sync.merge import SCALAR_FIELDS
from newsdesk.sync.paragraphs import paragraphs as split_paragraphs
from newsdesk.sync.state import is_tombstone, sync_hash, without_tombstone
from tests.fleet.edits import CONTENT_KINDS, CREATE, DELETE, TAG_REMOVE, Edit
from tests.fleet.fleet import Fleet, git

MARKERS = ("<<<<<<< ", ">>>>>>> ", "\n=======\n")
FINE = ("ok", "needs_person")


@dataclass(frozen=True)
class Version:
    story: Story
    deleted: bool

    @property
    def key(self) -> str:
        return sync_hash(without_tombstone(self.story), self.deleted)

    @property
    def text(self) -> str:
        return dumps(self.story)


def shared_versions(fleet: Fleet) -> dict[str, Version]:
    """The story files of the first laptop's clone, by id (the shared versions)."""
    versions: dict[str, Version] = {}
    for path in sorted((fleet.laptops[0].clone / "stories").rglob("*.md")):
        story = loads(path.read_text(encoding="utf-8"), str(path))
        versions[story.id] = Version(without_tombstone(story), is_tombstone(story))
    return versions


def local_version(fleet: Fleet, laptop_index: int, story_id: str) -> Version:
    store = fleet.laptops[laptop_index].store
    deleted = store.db.execute(
        "SELECT deleted_at IS NOT NULL FROM stories WHERE id = ?", [story_id]
    ).fetchone()[0]
    return Version(store.get(story_id), bool(deleted))


def held_versions(fleet: Fleet) -> dict[str, list[Version]]:
    """Every version of each story a laptop keeps beside the shared one: its own, where it
    has an open conflict, and the conflict's two sides."""
    held: dict[str, list[Version]] = defaultdict(list)
    for index, laptop in enumerate(fleet.laptops):
        for conflict in list_conflicts(laptop.store.db):
            held[conflict.story_id] += [
                local_version(fleet, index, conflict.story_id),
                Version(without_tombstone(conflict.remote), is_tombstone(conflict.remote)),
                Version(without_tombstone(conflict.local), is_tombstone(conflict.local)),
            ]
    return held


# The checks


def settled(fleet: Fleet, final: list) -> list[str]:
    problems = [f"{run.laptop}: the settling sync ended {run.outcome}"
                for run in final if run.outcome not in FINE]
    heads = {laptop.name: laptop.head() for laptop in fleet.laptops}
    if len(set(heads.values())) != 1:
        problems.append(f"the clones are not at one commit: {heads}")
    for laptop in fleet.laptops:
        if git(laptop.clone, "status", "--porcelain").strip():
            problems.append(f"{laptop.name}: the clone has uncommitted changes")
    return problems


def converged(fleet: Fleet) -> list[str]:
    """Every laptop holds the shared version of every story, but in an open conflict,
    which holds the shared version as its other side. A laptop that never had a story
    deleted elsewhere needs none of it (a tombstone is not imported), and a story deleted
    before its first sync never goes out."""
    shared = shared_versions(fleet)
    problems = []
    for index, laptop in enumerate(fleet.laptops):
        rows = laptop.store.db.execute("SELECT id, deleted_at IS NOT NULL FROM stories")
        here = {story_id: bool(deleted) for story_id, deleted in rows}
        problems += [f"{laptop.name}: {i[:8]} is live here and never went out"
                     for i in sorted(set(here) - set(shared)) if not here[i]]
        problems += [f"{laptop.name}: {i[:8]} never arrived"
                     for i in sorted(set(shared) - set(here)) if not shared[i].deleted]
        conflicts = {c.story_id: c for c in list_conflicts(laptop.store.db)}
        for story_id in sorted(set(here) & set(shared)):
            conflict = conflicts.get(story_id)
            if conflict is not None:
                other = Version(without_tombstone(conflict.remote), conflict.remote_deleted)
                if other.key != shared[story_id].key:
                    problems.append(f"{laptop.name}: {story_id[:8]}: the conflict's other "
                                    "side is not the shared version")
            elif local_version(fleet, index, story_id).key != shared[story_id].key:
                problems.append(f"{laptop.name}: {story_id[:8]} differs from the shared "
                                "version (no conflict open)")
    return problems


def all_versions(fleet: Fleet) -> dict[str, list[Version]]:
    """Each story's shared version and those held beside it; for a story that never went
    out (deleted before its first sync), the copies in the trash of the laptops."""
    shared, held = shared_versions(fleet), held_versions(fleet)
    versions = {story_id: [version, *held.get(story_id, [])]
                for story_id, version in shared.items()}
    for index, laptop in enumerate(fleet.laptops):
        for (story_id,) in laptop.store.db.execute("SELECT id FROM stories"):
            if story_id not in shared:
                versions.setdefault(story_id, []).append(local_version(fleet, index, story_id))
    return versions


def edits_found(fleet: Fleet) -> list[str]:
    """Every logged edit is in the shared version or held in an open conflict, unless a
    later edit made on top of it replaced it; every story made is still there."""
    everywhere = all_versions(fleet)
    replaced = fleet.log.replaced_tokens()
    problems = []
    for edit in fleet.log.edits:
        versions = everywhere.get(edit.story_id, [])
        if not versions:
            problems.append(f"{describe(edit)}: the story is gone")
        elif edit.kind in CONTENT_KINDS and edit.token not in replaced:
            if not any(edit.token in version.text for version in versions):
                problems.append(f"{describe(edit)}: lost")
        elif edit.kind == TAG_REMOVE:
            (tag,) = edit.replaced
            if all(tag in version.story.tags for version in versions):
                problems.append(f"{describe(edit)}: the tag {tag} came back")
    return problems


def no_markers(fleet: Fleet) -> list[str]:
    problems = []
    for laptop in fleet.laptops:
        for path in sorted((laptop.clone / "stories").rglob("*")):
            if path.is_file() and any(m in path.read_text(encoding="utf-8") for m in MARKERS):
                problems.append(f"{laptop.name}: conflict markers in {path.name}")
    return problems


def unique_ids_and_slugs(fleet: Fleet) -> list[str]:
    """One file per story id in every clone; no two live stories share a slug."""
    problems = []
    for laptop in fleet.laptops:
        ids: dict[str, list[str]] = defaultdict(list)
        slugs: dict[str, list[str]] = defaultdict(list)
        for path in sorted((laptop.clone / "stories").rglob("*.md")):
            story = loads(path.read_text(encoding="utf-8"), str(path))
            ids[story.id].append(path.name)
            if not is_tombstone(story):
                slugs[story.slug].append(story.id[:8])
        problems += [f"{laptop.name}: {i[:8]} in {names}" for i, names in ids.items()
                     if len(names) > 1]
        problems += [f"{laptop.name}: live stories {owners} share the slug {slug}"
                     for slug, owners in slugs.items() if len(owners) > 1]
    return problems


def no_resurrection(fleet: Fleet) -> list[str]:
    """A story deleted stays deleted unless an edit its deleter had not seen, or an
    explicit undelete, came after; and such an edit that reached the shared version beats
    the delete. (An edit still held in a laptop's open conflict has not reached it: the
    person resolving that conflict decides.)"""
    shared = shared_versions(fleet)
    by_story: dict[str, list[Edit]] = defaultdict(list)
    for edit in fleet.log.edits:
        by_story[edit.story_id].append(edit)
    problems = []
    for story_id, edits in sorted(by_story.items()):
        deletes = [e for e in edits if e.kind == DELETE]
        if not deletes or story_id not in shared:
            continue
        last = deletes[-1]
        unseen = [e for e in edits if e.kind != DELETE and e.kind != CREATE
                  and (e.seq > last.seq or not _seen(e, last))]
        version = shared[story_id]
        if not version.deleted and not unseen:
            problems.append(f"{story_id[:8]} came back after {describe(last)} without an "
                            "edit or undelete")
        elif version.deleted:
            problems += [f"{story_id[:8]}: {describe(e)} lost to {describe(last)}"
                         for e in unseen if e.kind != TAG_REMOVE and e.token in version.text]
    return problems


def _seen(edit: Edit, delete: Edit) -> bool:
    """Whether the deleting laptop's copy held `edit` when it deleted the story."""
    if edit.kind == TAG_REMOVE:
        return not (edit.replaced & delete.seen)
    return edit.token in delete.seen


def commits_touch_only_what_changed(fleet: Fleet, runs: list) -> list[str]:
    """A laptop's own commits (not merges) touch only the stories it edited since its
    last sync, merged, or renamed for a slug clash."""
    paths = _paths(fleet)
    problems = []
    for run in runs:
        laptop = fleet.by_name(run.laptop)
        span = f"{run.head_before}..{run.head_after}" if run.head_before else run.head_after
        if not run.head_after or run.head_before == run.head_after:
            continue
        own = git(laptop.clone, "rev-list", "--no-merges", "--format=%s", span)
        commits = [line.split()[1] for line, subject in zip(own.splitlines()[::2],
                                                            own.splitlines()[1::2], strict=True)
                   if subject == f"Newsdesk sync by {laptop.name}"]
        allowed = set(run.pending) | {e["story_id"] for kind in ("merged", "renamed")
                                      for e in run.entries(kind)}
        for commit in commits:
            touched = git(laptop.clone, "diff-tree", "--no-commit-id", "--name-only", "-r",
                          commit).split()
            stray = sorted({paths[p] for p in touched if p in paths} - allowed)
            if stray:
                problems.append(f"{laptop.name} round {run.round}: commit {commit[:8]} "
                                f"touched {[s[:8] for s in stray]}, which it did not change")
    return problems


def _paths(fleet: Fleet) -> dict[str, str]:
    """Story id by file path (names never change), from the first laptop's clone."""
    root = fleet.laptops[0].clone
    return {path.relative_to(root).as_posix(): loads(path.read_text(encoding="utf-8")).id
            for path in sorted((root / "stories").rglob("*.md"))}


def syncs_delivered(runs: list) -> list[str]:
    """No sync stopped, skipped a story or found a broken or vanished file; a sync that
    did not deliver only ran out of push retries."""
    problems = []
    for run in runs:
        if run.outcome not in (*FINE, "not_delivered"):
            problems.append(f"{run.laptop} round {run.round}: {run.outcome}")
        for kind in ("skipped", "invalid", "missing"):
            problems += [f"{run.laptop} round {run.round}: {kind}: {e['message']}"
                         for e in run.entries(kind)]
        problems += [f"{run.laptop} round {run.round}: error: {e['message']}"
                     for e in run.entries("error") if "was refused" not in e["message"]]
    return problems


def real_conflicts(fleet: Fleet) -> list[str]:
    """Every open conflict is a real clash: each field it names was changed differently
    on both sides, and a body in conflict has a paragraph both sides changed differently
    (edits of different paragraphs, even neighbours, merge)."""
    problems = []
    for laptop in fleet.laptops:
        for conflict in list_conflicts(laptop.store.db):
            base = conflict.base
            if base is None:
                continue  # no common ancestor: any difference is a clash
            sides = (base, without_tombstone(conflict.local), without_tombstone(conflict.remote))
            for name in conflict.fields:
                if not _clash(name, *sides):
                    problems.append(f"{laptop.name}: {conflict.story_id[:8]}: {name} is in "
                                    "conflict, yet no part of it changed on both sides")
    return problems


def _clash(name: str, base: Story, local: Story, remote: Story) -> bool:
    if name == "body":
        parts = [split_paragraphs(s.body.rstrip("\n")) for s in (base, local, remote)]
        if len({len(p) for p in parts}) != 1:
            return True  # paragraphs added or removed: not judged here
        return any(mine != theirs and old not in (mine, theirs)
                   for old, mine, theirs in zip(*parts, strict=True))
    if name in SCALAR_FIELDS:
        old, mine, theirs = (getattr(s, name) for s in (base, local, remote))
        return mine != theirs and old not in (mine, theirs)
    return True  # extra keys: not made by the fleet


def describe(edit: Edit) -> str:
    planted = f" ({edit.planted})" if edit.planted else ""
    return (f"{edit.kind} {edit.token} of {edit.story_id[:8]} on {edit.laptop} in round "
            f"{edit.round}{planted}")


@dataclass(frozen=True)
class Figures:
    laptops: int
    rounds: int
    syncs: int
    concurrent_syncs: int
    edits_made: int
    edits_found: int
    lost: int
    conflicts: int
    slug_renames: int
    push_retries: int
    not_delivered: int
    seconds: float


def figures(fleet: Fleet, rounds: int, seconds: float) -> Figures:
    runs = fleet.runs
    lost = len([p for p in edits_found(fleet) if p.endswith(": lost") or "gone" in p])
    made = len(fleet.log.edits)
    return Figures(
        laptops=len(fleet.laptops),
        rounds=rounds,
        syncs=len(runs),
        concurrent_syncs=sum(run.concurrent > 1 for run in runs),
        edits_made=made,
        edits_found=made - lost,
        lost=lost,
        conflicts=sum(len(list_conflicts(laptop.store.db)) for laptop in fleet.laptops),
        slug_renames=sum(len(run.entries("renamed")) for run in runs),
        push_retries=sum(run.push_retries for run in runs),
        not_delivered=sum(run.outcome == "not_delivered" for run in runs),
        seconds=seconds,
    )

