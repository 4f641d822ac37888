"""The light pass of an export: which stories still match the manifest, unread.

A re-export of an unchanged desk must not read every story in full. The store gives,
per live approved or published story, its revision, stored content hash and approvals
(one query); a story whose latest approval, approved revision and files still match its
manifest entry keeps that entry, and only the others are loaded and go the full way
(selection, embargo, rendering). An embargoed or held story has no entry, so it is
always loaded and its time is checked again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from newsdesk.model import Approval, Story
from newsdesk.publish.manifest import StoryEntry, approval_problem
from newsdesk.signing import Keyring

Load = Callable[[str], Story | None]
# Many stories in one go, in the order asked; one that is gone is left out.
LoadMany = Callable[[Sequence[str]], Iterable[Story]]


def one_at_a_time(load: Load) -> LoadMany:
    """A reader of many stories over a reader of one."""

    def read(ids: Sequence[str]) -> Iterator[Story]:
        for story_id in ids:
            story = load(story_id)
            if story is not None:
                yield story

    return read


class IndexRow(Protocol):
    """What the light pass reads of a story without loading it (store.publish_index)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def content_hash(self) -> str: ...
    @property
    def approvals(self) -> Sequence[Approval]: ...


@dataclass(frozen=True)
class Kept:
    """A story the light pass found unchanged since the manifest: its entry stands."""

    entry: StoryEntry

    @property
    def approval(self) -> Approval:
        return self.entry.approval


def light_pass(
    index: Iterable[IndexRow],
    load_many: LoadMany,
    old_entries: dict[str, StoryEntry],
    keyring: Keyring | None,
    root: Path,
    full: bool,
) -> tuple[list[Kept], Iterator[Story]]:
    """Split the index into stories whose manifest entry stands and the ones to load."""
    kept: list[Kept] = []
    to_load: list[str] = []
    for row in index:
        entry = None if full else unchanged(row, old_entries.get(row.id), keyring, root)
        if entry is None:
            to_load.append(row.id)
        else:
            kept.append(Kept(entry))
    return kept, iter(load_many(to_load))


def unchanged(
    row: IndexRow, old: StoryEntry | None, keyring: Keyring | None, root: Path
) -> StoryEntry | None:
    """The manifest entry if find_candidate and _reusable would keep it for this row;
    None when in doubt, and the story is loaded and goes the full way. An embargoed or
    held story has no entry, so it is always loaded and its time is checked again."""
    if old is None or row.status not in ("approved", "published") or not row.approvals:
        return None
    approval = row.approvals[-1]
    if approval != old.approval:
        return None
    if approval.content_hash == row.content_hash:
        revision = row.revision
    elif row.status == "published" and approval.revision < row.revision:
        revision = approval.revision
    else:
        return None
    if old.revision != revision or old.content_hash != approval.content_hash:
        return None
    if keyring is not None:
        # The signature was verified when the entry was written; the trust is checked now.
        reason, _key = approval_problem(
            row.id, approval.content_hash, approval.revision, approval, keyring,
            check_signature=False,
        )
        if reason:
            return None
    # os.path, not pathlib: ten thousand Path objects cost more than the stat calls.
    base = os.fspath(root)
    if not all(os.path.isfile(os.path.join(base, path)) for path in old.files):
        return None
    return old
