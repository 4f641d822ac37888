"""What the exports carry after publication: the correction and update notes under a
story's body, and the notice that replaces a killed story (newsdesk.domain.lifecycle).

Notes: the version that goes out carries the corrections and updates its approval covers
(selection.fetch_from puts them in the story's actions); every format prints them under
the body, oldest first, and ninjs and Hugo list them in their metadata too.

Kills: a killed story's files are replaced by a notice at the same paths (the ninjs
document with `pubstatus: canceled`, the Hugo page, the HTML page), rendered from the
signed kill action and the names of the version that went out. The manifest lists it
under `killed` with the signed action, so `verify-export` checks the signature, that
the key is a trusted desk chief's, and renders the notice again byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from newsdesk.domain.lifecycle import NOTE_ACTIONS, Note
from newsdesk.domain.model import Story, WorkflowAction, format_datetime
from newsdesk.domain.workflow import same_person
from newsdesk.identity.signing import Keyring, action_signature_valid

HUGO_KILL_RULES = ("notice", "draft")  # a notice page at the story's URL, or draft: true
_CLASSES = {"correct": "correction", "update": "update"}


def story_notes(story: Story) -> tuple[Note, ...]:
    """The notes a rendered version carries (the actions fetch_from left it: its notes)."""
    return tuple(Note(a.action, a.at, a.note) for a in story.actions if a.action in NOTE_ACTIONS)


def notes_html(story: Story) -> str:
    """The notes as HTML for the foot of the body ("" when there are none)."""
    notes = story_notes(story)
    if not notes:
        return ""
    lines = [f'<p class="{_CLASSES[note.kind]}">{escape(note.line())}</p>' for note in notes]
    return '\n<aside class="corrections">\n' + "\n".join(lines) + "\n</aside>"


@dataclass(frozen=True)
class KillNotice:
    """A killed story as the exports show it: the names of the version that went out and
    the signed kill (its note is the notice)."""

    id: str
    slug: str
    headline: str
    section: str
    language: str
    action: WorkflowAction
    hugo_rule: str = "notice"

    @property
    def note(self) -> str:
        return self.action.note

    @property
    def killed_at(self) -> datetime:
        return self.action.at.replace(microsecond=0)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "slug": self.slug, "headline": self.headline,
            "section": self.section, "language": self.language, "hugo_rule": self.hugo_rule,
            "killed_at": format_datetime(self.killed_at), "action": self.action.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> KillNotice:
        """The inverse of as_dict; KeyError, ValueError or TypeError when a value is bad."""
        action = data["action"]
        if not isinstance(action, dict):
            raise TypeError("action is not an object")
        rule = str(data.get("hugo_rule", "notice"))
        if rule not in HUGO_KILL_RULES:
            raise ValueError(f"unknown hugo_rule {rule!r}")
        return cls(
            *(str(data[name]) for name in ("id", "slug", "headline", "section", "language")),
            action=WorkflowAction.from_dict(action), hugo_rule=rule,
        )


def kill_problem(story_id: str, action: WorkflowAction | None, keyring: Keyring | None) -> str:
    """Why a kill may not go out as this story's notice ("" if it may): it must be a kill,
    its signature must verify, and with a keyring its key must be a trusted chief's."""
    if action is None or action.action != "kill":
        return "killed, but no signed kill is on record"
    if not action_signature_valid(story_id, action):
        return f"the kill by {action.actor} is unsigned or its signature does not verify"
    if keyring is None:
        return ""
    name = keyring.name_for(action.public_key)
    if name is None:
        return f"the kill by {action.actor} was signed with a key that is not in the keyring"
    if not same_person(name, action.actor):
        return f"the kill by {action.actor} was signed with the key trusted as {name}"
    return ""


def notice_body_html(notice: KillNotice) -> str:
    return f'<p class="kill-notice">{escape(notice.note)}</p>'


def notice_lines(notices: Sequence[KillNotice]) -> list[str]:
    """One line per killed story, for reports."""
    return [f"{n.slug}: killed {format_datetime(n.killed_at)}: {n.note}" for n in notices]
