"""After publication: corrections, updates and kills read from a story's signed actions (pure).

A published story changes in three ways, each a signed workflow action (workflow.py):

- `correct`: the text was wrong. The editor edits the published story and records the
  correction with its note; the action carries the note and the content hash of the
  corrected text, so the note is bound to that very text. A desk chief approves it
  (four eyes) and the story goes out again as a new version with the note.
- `update`: a developing story moves on ("Updated 14:05: adds police statement"); the same
  path as a correction, told apart in the exports.
- `kill`: a desk chief withdraws a published story for good (legal); the exports replace
  it by a notice. Nothing leaves the killed status.

The notes a version carries are those whose text an approval covered: a note recorded for
text that was edited again before approval is left behind (its text never went out), and a
note recorded after the approval that goes out waits for its own approval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.domain.signed import Approval, WorkflowAction

NOTE_ACTIONS: tuple[str, ...] = ("correct", "update")
LIFECYCLE_ACTIONS: tuple[str, ...] = (*NOTE_ACTIONS, "kill")
KILLED = "killed"


@dataclass(frozen=True)
class Note:
    """One correction or update as it goes out: its kind, when recorded, its text."""

    kind: str  # "correct" or "update"
    at: datetime
    text: str

    @property
    def label(self) -> str:
        return "Correction" if self.kind == "correct" else "Update"

    def line(self) -> str:
        """'Correction, 5 Dec 2026: An earlier version…' / 'Updated 14:05 UTC, 5 Dec 2026: …'."""
        at = self.at.astimezone(UTC)
        day = f"{at.day} {at:%b %Y}"
        if self.kind == "update":
            return f"Updated {at:%H:%M} UTC, {day}: {self.text}"
        return f"Correction, {day}: {self.text}"

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "at": _utc_text(self.at), "note": self.text}


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def pending_note(actions: Sequence[WorkflowAction], content_hash: str) -> WorkflowAction | None:
    """The correction or update recorded for this very text since the last approval, or
    None: what an edited published story needs before it can be approved again."""
    for action in reversed(actions):
        if action.action == "approve":
            return None
        if action.action in NOTE_ACTIONS and action.content_hash == content_hash:
            return action
    return None


def note_actions(
    actions: Sequence[WorkflowAction], approval: Approval | None
) -> tuple[WorkflowAction, ...]:
    """The corrections and updates the version `approval` covers carries, oldest first:
    each one recorded before an approval of its very text, up to `approval` (all the
    story's approvals when the actions do not record it)."""
    carried: list[WorkflowAction] = []
    waiting: list[WorkflowAction] = []
    for action in actions:
        if action.action in NOTE_ACTIONS:
            waiting.append(action)
        elif action.action == "approve":
            carried += [note for note in waiting if note.content_hash == action.content_hash]
            waiting = []
            if approval is not None and action.records(approval):
                break
    return tuple(carried)


def notes(actions: Sequence[WorkflowAction], approval: Approval | None) -> tuple[Note, ...]:
    """note_actions as the exports print them."""
    return tuple(Note(a.action, a.at, a.note) for a in note_actions(actions, approval))


def kill_of(actions: Sequence[WorkflowAction]) -> WorkflowAction | None:
    """The kill that took the story down, or None."""
    return next((a for a in reversed(actions) if a.action == "kill"), None)


def version(carried: Sequence[WorkflowAction]) -> int:
    """The public version number of the version carrying these notes (note_actions): 1 for
    the first publication, one more for each later version that went out. A version is
    the text its notes were recorded for (their content hash), so a correction and an
    update recorded for the same edit make one new version, not two."""
    return 1 + len({action.content_hash for action in carried if action.action in NOTE_ACTIONS})


@dataclass(frozen=True)
class LogEntry:
    """One line of the corrections log: a correction, update or kill of a story, who
    signed it, and whether the version that carries it has gone out (approved)."""

    story_id: str
    slug: str
    headline: str
    kind: str
    at: datetime
    actor: str
    key_id: str
    note: str
    revision: int
    out: bool  # carried by an approved version (a kill is out once recorded)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.story_id, "slug": self.slug, "headline": self.headline,
            "kind": self.kind, "at": _utc_text(self.at), "actor": self.actor,
            "key_id": self.key_id, "note": self.note, "revision": self.revision,
            "out": self.out,
        }


def log_entries(
    story_id: str, slug: str, headline: str, actions: Sequence[WorkflowAction],
    approvals: Sequence[Approval], since: datetime | None = None,
) -> list[LogEntry]:
    """A story's corrections, updates and kills since `since` (all without), oldest first."""
    carried = set(note_actions(actions, approvals[-1] if approvals else None))
    return [
        LogEntry(story_id, slug, headline, a.action, a.at, a.actor, a.key_id, a.note,
                 a.revision, a in carried or a.action == "kill")
        for a in actions
        if a.action in LIFECYCLE_ACTIONS and (since is None or a.at >= since)
    ]
