"""The four-eyes rule (pure): nobody approves text they wrote. Identity is the key: a
name is a label anyone can type, so a renamed profile is still the key that saved the
text. Text saved before keys were recorded falls back to comparing names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Saved(Protocol):
    """What the rule reads of a story: who saved its current revision."""

    @property
    def revision(self) -> int: ...
    @property
    def modified_by(self) -> str: ...
    @property
    def modified_key(self) -> str: ...


class Named(Protocol):
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class Keys:
    """Who is acting and who wrote the text, by key fingerprint, for the four-eyes rule:
    the actor's key, and every key this laptop saw save the story's current text (besides
    the key that saved the current revision, which the story itself names)."""

    actor: str = ""
    editors: frozenset[str] = frozenset()


def same_person(a: str, b: str) -> bool:
    """Names compared as people write them: case and spacing do not make someone else."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold() != ""


def four_eyes_refusal(story: Saved, actor: Named, keys: Keys) -> str | None:
    """Why `actor` may not approve text they wrote, or None. By key when both the actor's
    key and a key that saved the text are known (a new name does not make someone else);
    by name for text saved before keys were recorded."""
    editors = {key for key in (story.modified_key, *keys.editors) if key}
    if keys.actor and editors:
        if keys.actor not in editors:
            return None
        if story.modified_key == keys.actor:
            return (
                f"{story.modified_by} last edited revision {story.revision}; four-eyes rule: "
                f"someone else must approve it (it was saved with your key {keys.actor}, "
                "whatever the profile is called)"
            )
        return (
            f"revision {story.revision} holds text your key {keys.actor} saved earlier; "
            "four-eyes rule: someone else must approve it"
        )
    if same_person(story.modified_by, actor.name):
        return (
            f"{story.modified_by} last edited revision {story.revision}; "
            "four-eyes rule: someone else must approve it"
        )
    return None
