"""Pure three-way merge of two versions of a story against their common base.

Fields merge one by one; tags merge as a set; approvals and signed workflow actions
are append-only, so both sides' are kept (whether this laptop accepts them is decided
when they arrive, newsdesk.domain.trust); the status is not merged at all: it is what the signed
actions lead to, which arrival.py replays (the merged story carries the local status
until then), so two chiefs acting at once never clash over it; unknown front-matter keys
merge key by key; the body merges
paragraph by paragraph (paragraphs.py: aligned by content, so that edits to different
paragraphs, neighbours or not, never clash). Where both sides changed the same field or
paragraph differently, the result lists a `FieldConflict` holding base, local and remote,
so nothing is lost, and the merged story holds the side that `take` names for it (local
unless told otherwise: a resolution takes one side for the clashes only).

A clean merge does not depend on which side is local (tag order and insertions follow
the content), so two laptops merging each other's versions get the same story. Two
resolutions of the same conflict (both marked, see `RESOLUTION_KEY`, against the base
of this merge) settle: the later one's choice wins each clash, ties broken by hash.

Bookkeeping fields (revision, updated_at, modified_by) are per database and never merged:
the merged story carries the local ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from newsdesk.domain.model import EDITABLE_FIELDS, PICTURES_KEY, Approval, Story, WorkflowAction
from newsdesk.domain.trust import order
from newsdesk.sync.media_merge import merge_pictures
from newsdesk.sync.paragraphs import merge_paragraphs
from newsdesk.sync.state import sync_hash

# Merged as plain values: equal on both sides, or changed on one side only. Tags merge as
# a set and the body paragraph by paragraph; every other field a person edits is a plain
# value. (Not the status: see the module docstring.)
SCALAR_FIELDS: tuple[str, ...] = tuple(
    name for name in EDITABLE_FIELDS if name not in ("tags", "body")
)
# The front-matter key with which a resolved conflict marks the story: the sync hash of
# the version it was resolved against ("on"), when ("at", UTC) and by whom ("by").
RESOLUTION_KEY = "resolution"
_MISSING = object()

Side = Literal["local", "remote"]
# Which side a clash takes: one side for all, or per FieldConflict.key (default local).
Take = Side | Mapping[str, Side]


class _Absent:
    """A key that one side does not have (distinct from a None value)."""

    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()


@dataclass(frozen=True)
class FieldConflict:
    """One field (or one body paragraph, or one extra key) both sides changed differently.

    `paragraph` is the 1-based number of the base paragraph of a body clash (None for the
    whole body, when there is no base); a deleted paragraph is None on its side."""

    name: str
    base: object
    local: object
    remote: object
    paragraph: int | None = None

    @property
    def key(self) -> str:
        """What a resolution names to take a side for this clash alone."""
        return f"{self.name}:{self.paragraph}" if self.paragraph else self.name

    @property
    def label(self) -> str:
        return f"{self.name} (paragraph {self.paragraph})" if self.paragraph else self.name


@dataclass
class MergeResult:
    story: Story
    conflicts: list[FieldConflict] = field(default_factory=list)
    note: str = ""  # what a settled pair of resolutions kept, for the report

    @property
    def clean(self) -> bool:
        return not self.conflicts


def side_for(take: Take, key: str) -> Side:
    """The side `take` names for the clash with this key."""
    return take if isinstance(take, str) else take.get(key, "local")  # type: ignore[return-value]


def merge_stories(
    base: Story | None, local: Story, remote: Story, take: Take = "local"
) -> MergeResult:
    """Merge `local` and `remote`; with no base, any field that differs is a conflict."""
    result = _merge(base, local, remote, take)
    if result.conflicts:
        winner = competing_resolutions(base, local, remote)
        if winner is not None:
            settled = _merge(base, local, remote, winner)
            marker = _marker(local if winner == "local" else remote) or ("", "", "")
            labels = ", ".join(c.label for c in result.conflicts)
            note = (
                f"two resolutions of the same conflict met; for {labels} kept the later "
                f"one, by {marker[2] or 'someone'} at {marker[1]}"
            )
            return MergeResult(settled.story, [], note)
    return result


def _merge(base: Story | None, local: Story, remote: Story, take: Take) -> MergeResult:
    changes: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    for name in SCALAR_FIELDS:
        value, conflict = merge_value(
            getattr(base, name) if base is not None else _MISSING,
            getattr(local, name),
            getattr(remote, name),
            name,
        )
        if conflict:
            conflicts.append(conflict)
            value = conflict.local if side_for(take, name) == "local" else conflict.remote
        changes[name] = value
    changes["tags"] = merge_tags(base.tags if base else None, local.tags, remote.tags)
    changes["approvals"] = merge_approvals(local.approvals, remote.approvals)
    changes["actions"] = merge_actions(local.actions, remote.actions)
    changes["created_at"] = min(local.created_at, remote.created_at)
    base_extra, local_extra, remote_extra = (
        _without_marker(s.extra) if s is not None else None for s in (base, local, remote)
    )
    extra, extra_conflicts = merge_extra(base_extra, local_extra or {}, remote_extra or {}, take)
    marker = _merge_markers(base, local, remote)
    if marker is not _ABSENT:
        extra[RESOLUTION_KEY] = marker
    changes["extra"] = extra
    conflicts.extend(extra_conflicts)
    body, body_conflicts = merge_body(base.body if base else None, local.body, remote.body, take)
    changes["body"] = body
    conflicts.extend(body_conflicts)
    return MergeResult(local.replace(**changes), conflicts)


def merge_value(
    base: object, local: object, remote: object, name: str = ""
) -> tuple[object, FieldConflict | None]:
    """Plain three-way choice; a `_MISSING` base means no common ancestor is known."""
    if local == remote:
        return local, None
    if base is not _MISSING:
        if local == base:
            return remote, None
        if remote == base:
            return local, None
    return local, FieldConflict(name, None if base is _MISSING else base, local, remote)


def merge_tags(
    base: Sequence[str] | None, local: Sequence[str], remote: Sequence[str]
) -> tuple[str, ...]:
    """Set merge: a tag added on either side is added, removed on either side is removed.

    When both sides changed the tags, the result lists the tags of the side whose list
    sorts first, then the other's new ones: the same on both laptops."""
    local, remote = tuple(local), tuple(remote)
    if local == remote or (base is not None and tuple(base) == remote):
        return local
    if base is not None and tuple(base) == local:
        return remote

    def spellings(tags: Sequence[str]) -> dict[str, str]:
        return {tag.casefold(): tag for tag in tags}

    old, mine, theirs = spellings(base or ()), spellings(local), spellings(remote)
    removed = {key for key in old if key not in mine or key not in theirs}
    merged: dict[str, str] = {}
    for tag in (*min(local, remote), *max(local, remote)):
        key = tag.casefold()
        if key not in removed and key not in merged:
            merged[key] = _spelling(old.get(key), mine.get(key), theirs.get(key))
    return tuple(merged.values())


def _spelling(old: str | None, mine: str | None, theirs: str | None) -> str:
    """A tag's spelling: changed on one side wins; changed on both, the smaller one."""
    if mine is None or theirs is None:
        return mine or theirs or ""
    if mine == theirs or theirs == old:
        return mine
    return theirs if mine == old else min(mine, theirs)


def merge_approvals(local: Sequence[Approval], remote: Sequence[Approval]) -> tuple[Approval, ...]:
    """Union of both sides' approvals in time order: an approval is never dropped."""
    seen: dict[tuple[object, ...], Approval] = {}
    for approval in (*local, *remote):
        key = (approval.approver, approval.content_hash, approval.approved_at, approval.signature)
        seen.setdefault(key, approval)
    return tuple(sorted(seen.values(), key=lambda a: a.approved_at))


def merge_actions(
    local: Sequence[WorkflowAction], remote: Sequence[WorkflowAction]
) -> tuple[WorkflowAction, ...]:
    """Union of both sides' actions in the order they were made: none is ever dropped."""
    return tuple(order(list(dict.fromkeys((*local, *remote)))))


def merge_extra(
    base: dict[str, object] | None,
    local: dict[str, object],
    remote: dict[str, object],
    take: Take = "local",
) -> tuple[dict[str, object], list[FieldConflict]]:
    """Unknown front-matter keys, key by key (a key deleted on one side stays deleted)."""
    merged: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    for key in dict.fromkeys([*local, *remote]):
        # A key one side lacks is a value of its own (absent), unlike a None value.
        base_value = _MISSING if base is None else base.get(key, _ABSENT)
        local_value = local.get(key, _ABSENT)
        remote_value = remote.get(key, _ABSENT)
        if key == PICTURES_KEY:  # picture by picture, field by field (media_merge.py)
            value, clashes = _merge_pictures(base_value, local_value, remote_value, take)
            if clashes is not None:
                conflicts.extend(clashes)
                if value is not _ABSENT:
                    merged[key] = value
                continue
        value, conflict = merge_value(base_value, local_value, remote_value, f"extra.{key}")
        if conflict:
            if side_for(take, conflict.name) == "remote":
                value = remote_value
            conflicts.append(
                FieldConflict(
                    conflict.name,
                    _visible(conflict.base),
                    _visible(conflict.local),
                    _visible(conflict.remote),
                )
            )
        if value is not _ABSENT:
            merged[key] = value
    return merged, conflicts


def _merge_pictures(
    base: object, local: object, remote: object, take: Take
) -> tuple[object, list[FieldConflict] | None]:
    """The pictures key merged by media_merge (None clashes: not lists of pictures, so
    the plain whole-value merge decides)."""
    lists = [[] if value is _ABSENT else value for value in (base, local, remote)]
    if base is _MISSING:
        lists[0] = None
    result = merge_pictures(*lists, lambda name: side_for(take, name))
    if result is None:
        return _ABSENT, None
    entries, clashes = result
    conflicts = [FieldConflict(name, old, mine, theirs) for name, old, mine, theirs in clashes]
    return (entries if entries else _ABSENT), conflicts


def _visible(value: object) -> object:
    return None if value is _ABSENT else value


def merge_body(
    base: str | None, local: str, remote: str, take: Take = "local"
) -> tuple[str, list[FieldConflict]]:
    """Paragraph by paragraph (paragraphs.py); a clash holds the side `take` names."""
    if local == remote:
        return local, []
    if base is not None:
        if local == base:
            return remote, []
        if remote == base:
            return local, []
    if base is None:
        kept = local if side_for(take, "body") == "local" else remote
        return kept, [FieldConflict("body", None, local, remote)]
    body, clashes = merge_paragraphs(
        base, local, remote, lambda i: side_for(take, f"body:{i + 1}")
    )
    return body, [
        FieldConflict("body", clash.base, clash.local, clash.remote, clash.index + 1)
        for clash in clashes
    ]


# -- resolutions --------------------------------------------------------------------------


def resolution_marker(on: Story, at: str, by: str) -> dict[str, str]:
    """The mark of a resolution made against the version `on` (what travels in `extra`)."""
    return {"on": sync_hash(on), "at": at, "by": by}


def _marker(story: Story) -> tuple[str, str, str] | None:
    """(on, at, by) of the story's resolution mark, if it has a well-formed one."""
    value = story.extra.get(RESOLUTION_KEY)
    if not isinstance(value, dict):
        return None
    on, at, by = value.get("on"), value.get("at"), value.get("by", "")
    if not (isinstance(on, str) and isinstance(at, str) and isinstance(by, str)):
        return None
    return on, at, by


def competing_resolutions(base: Story | None, local: Story, remote: Story) -> Side | None:
    """When both sides were resolved, differently, against this very base: the side whose
    resolution wins (the later one; at the same time, the one with the greater sync hash,
    an arbitrary but fixed rule). None when this is not such a meeting."""
    if base is None:
        return None
    mine, theirs = _marker(local), _marker(remote)
    if mine is None or theirs is None:
        return None
    # A mark made against this base is new on that side (the base cannot hold a mark
    # naming its own hash), so two such marks are two resolutions since the base.
    on = sync_hash(base)
    if mine[0] != on or theirs[0] != on:
        return None
    return "local" if (mine[1], sync_hash(local)) > (theirs[1], sync_hash(remote)) else "remote"


def _without_marker(extra: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in extra.items() if key != RESOLUTION_KEY}


def _merge_markers(base: Story | None, local: Story, remote: Story) -> object:
    """The resolution mark of the merge: changed on one side wins; changed on both, the
    later one (never a clash: it is bookkeeping, not words)."""
    old = base.extra.get(RESOLUTION_KEY, _ABSENT) if base is not None else _MISSING
    mine = local.extra.get(RESOLUTION_KEY, _ABSENT)
    theirs = remote.extra.get(RESOLUTION_KEY, _ABSENT)
    value, conflict = merge_value(old, mine, theirs)
    if conflict is None:
        return value
    order = {
        side: (marker[1] if (marker := _marker(story)) else "", sync_hash(story))
        for side, story in (("local", local), ("remote", remote))
    }
    return mine if order["local"] > order["remote"] else theirs
