"""The validation gate of story types: what a story breaks of its type's house rules.

Pure functions over a Story and the Rules (type_rules.py holds the rules of each type).
`type_problems` says which field each failure is about (the copy checks select it);
`type_failures` is the same as one message each. The Desk refuses to submit or approve a
story that has any (`check_gate`); a story arriving by sync is not gated here: it was
approved elsewhere, perhaps under that desk's rules, and its signature is what counts
(README, story types).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.copydesk.rules import Rules
from newsdesk.copydesk.type_rules import TypeRule
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.domain.workflow import WorkflowError

# The transitions the gate guards: what sends a story towards publication.
GATED_ACTIONS = frozenset({"submit", "approve"})


class TypeGateError(WorkflowError):
    """Submit or approve refused: the story breaks its type's rules (each one named)."""

    def __init__(self, action: str, kind: str, failures: list[str]):
        self.failures = list(failures)
        super().__init__(
            f"cannot {action}: the story breaks the rules of its type ({kind}): "
            + "; ".join(failures)
        )


@dataclass(frozen=True)
class TypeProblem:
    """One rule of its type that a story breaks: the field it is about and why."""

    field: str
    message: str


def known_type(name: str, rules: Rules) -> str:
    """`name` as a type of the house rules (lower case), or NewsdeskError listing them."""
    kind = name.strip().lower()
    names = rules.type_names()
    if kind not in names:
        raise NewsdeskError(f"{name!r} is not a story type here; one of {', '.join(names)}")
    return kind


def type_failures(story: Story, rules: Rules) -> list[str]:
    """Every rule of its type the story breaks, one message each (empty: it passes)."""
    return [problem.message for problem in type_problems(story, rules)]


def type_problems(story: Story, rules: Rules) -> list[TypeProblem]:
    rule = rules.type_rule(story.type)
    if rule is None:
        known = ", ".join(rules.type_names())
        return [TypeProblem("type", f"{story.type!r} is not a story type here ({known})")]
    problems = [
        TypeProblem(name, f"{rule.label} needs {_NAMED.get(name, 'a ' + name)}")
        for name in rule.required
        if _is_empty(story, name)
    ]
    problems.extend(_length_problems(story, rule))
    if rule.sections and not _in_sections(story.section, rule.sections):
        filed = f"filed in {story.section!r}" if story.section else "not filed in a section"
        problems.append(TypeProblem(
            "section", f"{rule.label} is {filed} (it goes in {' or '.join(rule.sections)})"
        ))
    return problems


def check_gate(story: Story, action: str, rules: Rules) -> None:
    """TypeGateError naming every failure when `action` is gated and the story fails."""
    if action in GATED_ACTIONS:
        failures = type_failures(story, rules)
        if failures:
            raise TypeGateError(action, story.type, failures)


_NAMED = {"tags": "tags", "dateline": "a dateline (place and date)", "editor": "an editor"}


def _is_empty(story: Story, name: str) -> bool:
    if name == "dateline":
        return not story.dateline.place.strip() or story.dateline.date is None
    if name == "tags":
        return not story.tags
    return not str(getattr(story, name)).strip()


def _length_problems(story: Story, rule: TypeRule) -> list[TypeProblem]:
    words = story.word_count
    if rule.min_words and words < rule.min_words:
        return [TypeProblem(
            "body", f"{rule.label} is {words:,} words (at least {rule.min_words:,})"
        )]
    if rule.max_words and words > rule.max_words:
        return [TypeProblem(
            "body", f"{rule.label} is {words:,} words (at most {rule.max_words:,}, "
            f"{words - rule.max_words:,} over)"
        )]
    return []


def _in_sections(section: str, allowed: tuple[str, ...]) -> bool:
    """True when `section` is one of `allowed` or a sub-section of one."""
    return any(section == top or section.startswith(top + " / ") for top in allowed)
