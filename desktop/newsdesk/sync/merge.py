"""Pure three-way merge of two versions of a story against their common base.

Fields merge one by one; tags merge as a set; approvals and signed workflow actions are
append-only, so both sides' are kept (whether this laptop accepts them is decided when
they arrive, newsdesk.trust); unknown front-matter keys merge key by key; the body merges
paragraph by paragraph (a paragraph is text between blank lines). Where both sides
changed the same thing differently, the merged story keeps the local value and the
result lists a `FieldConflict` holding base, local and remote, so nothing is lost.

Bookkeeping fields (revision, updated_at, modified_by) are per database and never merged:
the merged story carries the local ones.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.model import EDITABLE_FIELDS, Approval, Story, WorkflowAction
from newsdesk.trust import order

# Merged as plain values: equal on both sides, or changed on one side only. Tags merge as
# a set and the body paragraph by paragraph; every other field a person edits, and the
# status, is a plain value.
SCALAR_FIELDS: tuple[str, ...] = (
    *(name for name in EDITABLE_FIELDS if name not in ("tags", "body")),
    "status",
)
_MISSING = object()


class _Absent:
    """A key that one side does not have (distinct from a None value)."""

    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class FieldConflict:
    """One field (or one body hunk, or one extra key) that both sides changed differently."""

    name: str
    base: object
    local: object
    remote: object


@dataclass
class MergeResult:
    story: Story
    conflicts: list[FieldConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def merge_stories(base: Story | None, local: Story, remote: Story) -> MergeResult:
    """Merge `local` and `remote`; with no base, any field that differs is a conflict."""
    changes: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    for name in SCALAR_FIELDS:
        value, conflict = merge_value(
            getattr(base, name) if base is not None else _MISSING,
            getattr(local, name),
            getattr(remote, name),
            name,
        )
        changes[name] = value
        if conflict:
            conflicts.append(conflict)
    changes["tags"] = merge_tags(base.tags if base else None, local.tags, remote.tags)
    changes["approvals"] = merge_approvals(local.approvals, remote.approvals)
    changes["actions"] = merge_actions(local.actions, remote.actions)
    changes["created_at"] = min(local.created_at, remote.created_at)
    extra, extra_conflicts = merge_extra(base.extra if base else None, local.extra, remote.extra)
    changes["extra"] = extra
    conflicts.extend(extra_conflicts)
    body, body_conflicts = merge_body(base.body if base else None, local.body, remote.body)
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
    """Set merge: a tag added on either side is added, removed on either side is removed."""

    def keys(tags: Sequence[str]) -> set[str]:
        return {tag.casefold() for tag in tags}

    base_keys, local_keys, remote_keys = keys(base or ()), keys(local), keys(remote)
    removed = (base_keys - local_keys) | (base_keys - remote_keys)
    merged: dict[str, str] = {}
    for tag in (*local, *remote):
        key = tag.casefold()
        if key not in removed and key not in merged:
            merged[key] = tag
    return tuple(merged.values())


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
    base: dict[str, object] | None, local: dict[str, object], remote: dict[str, object]
) -> tuple[dict[str, object], list[FieldConflict]]:
    """Unknown front-matter keys, key by key (a key deleted on one side stays deleted)."""
    merged: dict[str, object] = {}
    conflicts: list[FieldConflict] = []
    for key in dict.fromkeys([*local, *remote]):
        # A key one side lacks is a value of its own (absent), unlike a None value.
        base_value = _MISSING if base is None else base.get(key, _ABSENT)
        local_value = local.get(key, _ABSENT)
        remote_value = remote.get(key, _ABSENT)
        value, conflict = merge_value(base_value, local_value, remote_value, f"extra.{key}")
        if conflict:
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


def _visible(value: object) -> object:
    return None if value is _ABSENT else value


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs of Markdown text; joining them with a blank line gives the body back."""
    return _PARAGRAPH_BREAK.split(body) if body else []


def join_paragraphs(paragraphs: Sequence[str]) -> str:
    return "\n\n".join(paragraphs)


def merge_body(base: str | None, local: str, remote: str) -> tuple[str, list[FieldConflict]]:
    """Paragraph-wise diff3. A conflicting hunk keeps the local paragraphs in place."""
    if local == remote:
        return local, []
    if base is not None:
        if local == base:
            return remote, []
        if remote == base:
            return local, []
    if base is None:
        return local, [FieldConflict("body", None, local, remote)]
    merged: list[str] = []
    conflicts: list[FieldConflict] = []
    for base_part, local_part, remote_part in diff3(
        split_paragraphs(base), split_paragraphs(local), split_paragraphs(remote)
    ):
        if local_part == remote_part or remote_part == base_part:
            merged.extend(local_part)
        elif local_part == base_part:
            merged.extend(remote_part)
        else:
            merged.extend(local_part)
            conflicts.append(
                FieldConflict(
                    "body",
                    join_paragraphs(base_part),
                    join_paragraphs(local_part),
                    join_paragraphs(remote_part),
                )
            )
    return join_paragraphs(merged), conflicts


def diff3(
    base: list[str], local: list[str], remote: list[str]
) -> list[tuple[list[str], list[str], list[str]]]:
    """Chunks (base, local, remote) aligned on base items that both sides left untouched."""
    local_map = _unchanged(base, local)
    remote_map = _unchanged(base, remote)
    chunks: list[tuple[list[str], list[str], list[str]]] = []
    b = lo = re = 0
    # Stable base items present, in order, in both sides are the sync points.
    for i in range(len(base)):
        if i in local_map and i in remote_map and local_map[i] >= lo and remote_map[i] >= re:
            j, k = local_map[i], remote_map[i]
            if (b, lo, re) != (i, j, k):
                chunks.append((base[b:i], local[lo:j], remote[re:k]))
            chunks.append(([base[i]], [local[j]], [remote[k]]))
            b, lo, re = i + 1, j + 1, k + 1
    if (b, lo, re) != (len(base), len(local), len(remote)):
        chunks.append((base[b:], local[lo:], remote[re:]))
    return chunks


def _unchanged(base: list[str], other: list[str]) -> dict[int, int]:
    """Base index -> other index for items the other side kept (longest matching blocks)."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    mapping: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            mapping[block.a + offset] = block.b + offset
    return mapping
