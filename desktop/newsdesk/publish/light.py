"""The light pass of an export: which stories still match the manifest, unread; and
which keep their entry because a sync conflict holds them (hold_conflicts).

A re-export of an unchanged desk must not read every story in full. The store gives,
per live approved or published story, its revision, stored content hash and approvals
(one query); a story whose latest approval, approved revision and files still match its
manifest entry keeps that entry, and only the others go the full way (selection, then
their approved revision is read, checked, held for an embargo and rendered). An
embargoed or held story has no entry, so it always goes the full way and its time is
checked again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass

from newsdesk.domain.model import Approval
from newsdesk.identity.signing import Keyring
from newsdesk.publish.manifest import StoryEntry
from newsdesk.publish.selection import Candidate, StoryHead, find_candidate


@dataclass(frozen=True)
class Kept:
    """A story the light pass found unchanged since the manifest: its entry stands."""

    entry: StoryEntry

    @property
    def approval(self) -> Approval:
        return self.entry.approval


def light_pass(
    index: Iterable[StoryHead],
    old_entries: dict[str, StoryEntry],
    keyring: Keyring | None,
    present: Set[str],
    full: bool,
) -> tuple[list[Kept], list[StoryHead]]:
    """Split the index into stories whose manifest entry stands and the others.
    `present`: the relative path of every file in the tree."""
    kept: list[Kept] = []
    others: list[StoryHead] = []
    for row in index:
        entry = None if full else unchanged(row, old_entries.get(row.id), keyring, present)
        if entry is None:
            others.append(row)
        else:
            kept.append(Kept(entry))
    return kept, others


def unchanged(
    row: StoryHead, old: StoryEntry | None, keyring: Keyring | None, present: Set[str]
) -> StoryEntry | None:
    """The manifest entry if find_candidate and reusable keep it for this row; None when
    in doubt, and the story goes the full way. An embargoed or held story has no entry,
    so it always goes the full way and its time is checked again."""
    if old is None or not row.approvals or row.approvals[-1] != old.approval:
        return None
    # The signature was verified when the entry was written; the trust is checked now.
    found = find_candidate(row, keyring, verified=True)
    return None if isinstance(found, str) else reusable(old, found, present)


def reusable(
    old: StoryEntry | None, candidate: Candidate, present: Set[str]
) -> StoryEntry | None:
    """The previous manifest entry if it is for this very approved revision and its files
    are still there (`present`: the tree's files); then nothing needs rendering."""
    if (
        old is None
        or old.revision != candidate.revision
        or old.content_hash != candidate.approval.content_hash
        or old.approval != candidate.approval
    ):
        return None
    # The tree was listed once (files.clear_debris): no stat per file.
    return old if old.files.keys() <= present else None


def hold_conflicts(
    conflicts: Mapping[str, str],
    heads: Iterable[StoryHead],
    old_entries: dict[str, StoryEntry],
) -> tuple[list[Kept], dict[str, str], list[tuple[str, str, str]]]:
    """Stories with an open sync conflict do not leave the desk: nothing of them is
    written. One exported before keeps its entry and files as they are (they match an
    approval that was valid). `conflicts` maps each id to what clashed.

    Returns the entries kept, the reason for each conflicted story (what a withdrawal
    of one says), and (id, slug, reason) for each the report lists: the ones kept, and
    the approved or published ones that would otherwise have gone out.
    """
    by_id = {head.id: head for head in heads if head.id in conflicts}
    kept: list[Kept] = []
    reasons: dict[str, str] = {}
    listed: list[tuple[str, str, str]] = []
    for story_id in sorted(conflicts):
        what = f"unresolved sync conflict ({conflicts[story_id]})"
        old, head = old_entries.get(story_id), by_id.get(story_id)
        if old is not None:
            reasons[story_id] = (f"{what}: not exported again; the files exported earlier "
                                 "stay as they were until it is resolved")
            kept.append(Kept(old))
            listed.append((story_id, old.slug, reasons[story_id]))
        elif head is not None and head.status in ("approved", "published"):
            reasons[story_id] = f"{what}: not exported; resolve it first (newsdesk conflicts)"
            listed.append((story_id, head.slug, reasons[story_id]))
        else:
            reasons[story_id] = what  # not a candidate: nothing to report
    return kept, reasons, listed
