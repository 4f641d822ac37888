"""An agency update of a story a desk took: what the agency changed, and the three-way merge.

The same merge as sync (sync/merge.py): base = the draft as the version taken made it,
local = the story as the desk has edited it since, remote = the draft the new version
makes. Only the fields a take fills come from the items; everything else (slug, status,
editor, approvals...) is the story's own on all three sides, so it never changes or
clashes. A paragraph both sides changed differently is a conflict, never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from newsdesk.domain.diff import StoryDiff, diff_stories
from newsdesk.domain.model import Story
from newsdesk.formats.wire_item import WireItem
from newsdesk.sync.merge import FieldConflict, MergeResult, merge_stories

# The Story fields a take fills from an item (WireItem.to_story), and so an update may change.
WIRE_FIELDS: tuple[str, ...] = (
    "headline", "deck", "byline", "dateline", "section", "source", "tags", "caption", "body",
    "ednote", "embargo",
)
Prefer = Literal["desk", "agency"]


@dataclass(frozen=True)
class AgencyUpdate:
    """A taken story against a newer version: the agency's changes and the merge."""

    story: Story
    taken: WireItem
    newer: WireItem
    agency_changes: StoryDiff  # from the version taken to the newer one
    merge: MergeResult  # clashes held as the desk's text

    @property
    def conflicts(self) -> list[FieldConflict]:
        return self.merge.conflicts


def as_of(story: Story, item: WireItem) -> Story:
    """The story with the wire fields as `item` would have made them, and its wire
    metadata (extra "wire", "language") from `item`; everything else the story's."""
    draft = item.to_story()
    extra = {key: value for key, value in story.extra.items() if key not in ("wire", "language")}
    extra.update(draft.extra)
    return story.replace(**{name: getattr(draft, name) for name in WIRE_FIELDS}, extra=extra)


def agency_update(story: Story, taken: WireItem, newer: WireItem) -> AgencyUpdate:
    """The diff and the merge of `newer` into `story`, taken from `taken` (pure)."""
    base, remote = as_of(story, taken), as_of(story, newer)
    return AgencyUpdate(story, taken, newer, diff_stories(base, remote),
                        merge_stories(base, story, remote, "local"))


def merged(update: AgencyUpdate, prefer: Prefer | None) -> MergeResult:
    """The merge with each clash taken from the side `prefer` names (None: the desk's,
    and the caller must not save it while `conflicts` is not empty)."""
    if prefer != "agency" or update.merge.clean:
        return update.merge
    base, remote = as_of(update.story, update.taken), as_of(update.story, update.newer)
    return merge_stories(base, update.story, remote, "remote")


def notice(version: int, provider: str, sent: str, today: date | None = None) -> str:
    """The line a draft shows when its agency sent a newer version: "agency update
    available: v3 from Reuters, 14:05". `sent` is RFC 3339 text (the agency's clock, as
    the Wire view shows it); the date is left out on the day itself (`today`)."""
    when = ""
    if len(sent) >= 16:
        day, clock = sent[:10], sent[11:16]
        when = clock if today is not None and day == today.isoformat() else f"{day} {clock}"
    parts = [f"v{version}", f"from {provider}" if provider else "from the agency"]
    return f"agency update available: {' '.join(parts)}" + (f", {when}" if when else "")


def describe(update: AgencyUpdate) -> list[str]:
    """The update as lines of text: the agency's changes by field and paragraph, then each
    clash with the three versions (what `newsdesk wire diff` and the Wire view show)."""
    lines = [f"agency update available: version {update.taken.version} -> "
             f"{update.newer.version} of '{update.story.slug}'"]
    lines.extend(f"  {change.name}: {change.old!r} -> {change.new!r}"
                 for change in update.agency_changes.fields)
    for part in update.agency_changes.body:
        if part.op != "equal":
            lines.extend(f"  - paragraph {part.old_start}: {text}" for text in part.old)
            lines.extend(f"  + paragraph {part.new_start}: {text}" for text in part.new)
    for conflict in update.conflicts:
        lines.append(f"clash in {conflict.label}:\n  taken:  {conflict.base!r}\n"
                     f"  desk:   {conflict.local!r}\n  agency: {conflict.remote!r}")
    if not update.conflicts:
        lines.append("merges cleanly: the desk's edits are kept and the agency's added")
    return lines
