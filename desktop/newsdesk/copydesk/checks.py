"""Copy-desk checks over a Story (pure): each check a small function yielding Findings.

A Finding says where: `field` names the story field and `start`/`length` address that
field's text (for the body, offsets into the Markdown text), so a click can select it. A
finding about the story as a whole (an embargo) has length 0.

Severity: "error" is what must not leave the desk (no headline, an unresolved
placeholder); "warning" is what a sub-editor should look at; "note" is house style that is
often deliberate (the window and the command call it the same). `newsdesk check` exits 1
when there is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime

from newsdesk.copydesk import typography
from newsdesk.copydesk.check_text import (
    TEXT_FIELDS,
    Finding,
    field_text,
    field_texts,
    mask_markup,
    paragraphs,
    words_of,
)
from newsdesk.copydesk.name_variants import check_name_variants
from newsdesk.copydesk.picture_checks import check_pictures
from newsdesk.copydesk.rules import CHECK_NAMES, Rules, load_rules
from newsdesk.copydesk.story_types import type_problems
from newsdesk.domain.model import Story, format_datetime, utcnow

__all__ = ["CHECK_NAMES", "SEVERITIES", "Finding", "has_errors", "locate", "run_checks"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "note")
_FIELD_ORDER = (
    "", "type", "headline", "slug", "deck", "byline", "dateline", "section", "editor",
    "source_editor", "caption", "tags", "body", "embargo",
)


Check = Callable[[Story, Rules, datetime], Iterator[Finding]]
def run_checks(
    story: Story, rules: Rules | None = None, now: datetime | None = None
) -> list[Finding]:
    """Every enabled check over the story, in reading order of fields and offsets."""
    rules = load_rules() if rules is None else rules
    now = utcnow() if now is None else now
    findings = [Finding("rules", "warning", problem, "") for problem in rules.problems]
    for name, func in CHECKS.items():
        if name not in rules.disabled:
            findings.extend(func(story, rules, now))
    order = {name: i for i, name in enumerate(_FIELD_ORDER)}
    return sorted(findings, key=lambda f: (order.get(f.field, len(order)), f.start))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def reading_minutes(story: Story, rules: Rules) -> int:
    """Minutes to read the body at the house reading speed (0 for an empty body)."""
    words = story.word_count
    return max(1, round(words / rules.words_per_minute)) if words else 0


def locate(story: Story, finding: Finding, excerpt: int = 40) -> dict[str, object]:
    """Line and column (from 1) of a finding in its field, and the text it selects."""
    text = field_text(story, finding.field) if finding.field else ""
    start = min(finding.start, len(text))
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    selected = text[start : start + finding.length]
    if len(selected) > excerpt:
        selected = selected[: excerpt - 1] + "…"
    return {"line": line, "column": column, "text": selected}


# --- the checks ---------------------------------------------------------------------------

MIN_REPEAT_WORDS = 4  # shorter repeats ("More to come.", a scene break) are often meant


def check_repeated_paragraph(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    deck_words = words_of(story.deck)
    seen: dict[tuple[str, ...], int] = {}
    for start, text in paragraphs(mask_markup(story.body)):
        words = words_of(text)
        if len(words) < MIN_REPEAT_WORDS:
            continue
        length = len(text)
        if words == deck_words:
            yield Finding(
                "repeated_paragraph", "warning",
                "This paragraph repeats the deck word for word.", "body", start, length,
            )
        elif words in seen:
            first = story.body.count("\n", 0, seen[words]) + 1
            yield Finding(
                "repeated_paragraph", "warning",
                f"This paragraph repeats the one at line {first} word for word.",
                "body", start, length,
            )
        else:
            seen[words] = start


def check_headline(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    headline = story.headline
    if not headline.strip():
        yield Finding("headline", "error", "The story has no headline.", "headline")
    elif len(headline) > rules.headline_limit:
        over = len(headline) - rules.headline_limit
        yield Finding(
            "headline", "warning",
            f"Headline is {len(headline)} characters; the house limit is "
            f"{rules.headline_limit} ({over} over).",
            "headline", rules.headline_limit, over,
        )


def check_length(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    for name, limit in (("deck", rules.deck_limit), ("slug", rules.slug_limit)):
        text = getattr(story, name)
        if len(text) > limit:
            over = len(text) - limit
            yield Finding(
                "length", "warning",
                f"{name.capitalize()} is {len(text)} characters; the house limit is {limit}.",
                name, limit, over,
            )


def check_missing(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    if not story.dateline.place.strip():
        yield Finding("missing", "warning", "No dateline place.", "dateline")
    if story.dateline.date is None:
        yield Finding("missing", "warning", "No dateline date.", "dateline")
    if not story.section.strip():
        yield Finding("missing", "warning", "No section.", "section")
    if not story.byline.strip():
        yield Finding("missing", "warning", "No byline.", "byline")


def check_placeholder(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    alternatives = [rf"(?<![^\W_]){re.escape(word)}(?![^\W_])" for word in rules.placeholder_words]
    alternatives += [f"(?:{pattern})" for pattern in rules.placeholder_patterns]
    if not alternatives:
        return
    pattern = re.compile("|".join(alternatives))
    for name, text in field_texts(story, ("headline", "deck", "byline", "caption", "body")):
        for match in pattern.finditer(text):
            if match.group(0):
                yield Finding(
                    "placeholder", "error",
                    f"Unresolved placeholder “{match.group(0)}”.",
                    name, match.start(), len(match.group(0)),
                )


_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


def check_double_space(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    # Only between words: leading spaces are Markdown structure and two trailing spaces a
    # hard line break. The spaces must be in the text itself: masking blanks link targets
    # and code with spaces too, and "[site](url)." is no double space.
    for name, masked in field_texts(story):
        text = field_text(story, name)
        for match in _DOUBLE_SPACE_RE.finditer(text):
            start, end = match.span()
            if masked[start - 1].isspace() or masked[end].isspace():
                continue  # beside markup that was blanked (a list marker, code, a target)
            yield Finding(
                "double_space", "note", "Double space between words.",
                name, match.start(), len(match.group(0)),
            )


_CURLY_RE = re.compile(r"[“”‘’]")


def check_quotes(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    if rules.quotes == "any":
        return
    for name in TEXT_FIELDS:
        text = field_text(story, name)
        if rules.quotes == "curly":
            # Exactly the quotes Apply House Style (and typing) would make curly: never
            # those in code, link targets, URLs or HTML.
            offsets = typography.straight_quotes(text, markdown=name == "body")
        else:
            offsets = [m.start() for m in _CURLY_RE.finditer(text)]
        for offset in offsets:
            char = text[offset]
            if rules.quotes == "curly" and char == "'":
                message = "Straight apostrophe or quote ' (the house uses ’ and ‘ ’)."
            elif rules.quotes == "curly":
                message = 'Straight quote " (the house uses “ ”).'
            else:
                message = f"Curly quote {char}; the house uses straight quotes."
            yield Finding("quotes", "note", message, name, offset, 1)


_PAIRS = {")": "(", "]": "[", "}": "{", "”": "“"}
_OPENERS = frozenset(_PAIRS.values())


def check_unbalanced(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    for name, text in field_texts(story):
        paras = list(paragraphs(text))
        for index, (offset, para) in enumerate(paras):
            following = paras[index + 1][1] if index + 1 < len(paras) else ""
            yield from _unbalanced_in(name, offset, para, following)


def _unbalanced_in(name: str, offset: int, para: str, following: str) -> Iterator[Finding]:
    yield from _brackets_in(name, offset, para, following)
    straight = [i for i, char in enumerate(para) if char == '"']
    if len(straight) % 2 and not following.startswith('"'):
        yield Finding(
            "unbalanced", "warning", 'An odd number of " in this paragraph; one is unclosed.',
            name, offset + straight[-1], 1,
        )


def _brackets_in(name: str, offset: int, para: str, following: str) -> Iterator[Finding]:
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(para):
        if char in _OPENERS:
            stack.append((char, i))
        elif char in _PAIRS:
            if stack and stack[-1][0] == _PAIRS[char]:
                stack.pop()
            elif any(opener == _PAIRS[char] for opener, _ in stack):
                while stack[-1][0] != _PAIRS[char]:  # an inner opener left unclosed
                    yield _unclosed(name, offset, *stack.pop())
                stack.pop()
            else:
                yield Finding(
                    "unbalanced", "warning", f"{char} without a matching {_PAIRS[char]}.",
                    name, offset + i, 1,
                )
    for opener, i in stack:
        # House style: a quotation running over several paragraphs opens each with “ and
        # closes only at its end.
        if opener != "“" or not following.startswith("“"):
            yield _unclosed(name, offset, opener, i)


def _unclosed(name: str, offset: int, opener: str, i: int) -> Finding:
    closer = next(close for close, open_ in _PAIRS.items() if open_ == opener)
    return Finding(
        "unbalanced", "warning", f"{opener} is never closed with {closer}.", name, offset + i, 1
    )


def check_embargo(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    if story.embargo is not None and story.embargo <= now:
        yield Finding(
            "embargo", "warning",
            f"The embargo ({format_datetime(story.embargo)}) has passed; clear it or set a "
            "new time.",
            "embargo",
        )


def check_type(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    # Errors: what the type's rules require is what submit and approve refuse without.
    for problem in type_problems(story, rules):
        yield Finding("type", "error", problem.message + ".", problem.field)


# Every check by name, in the order they run (rules.CHECK_NAMES lists the same names,
# for a rules file's `disabled`); a finding's order comes from its field and offset.
CHECKS: dict[str, Check] = {
    "repeated_paragraph": check_repeated_paragraph,
    "headline": check_headline,
    "length": check_length,
    "missing": check_missing,
    "placeholder": check_placeholder,
    "double_space": check_double_space,
    "quotes": check_quotes,
    "unbalanced": check_unbalanced,
    "name_variants": check_name_variants,
    "embargo": check_embargo,
    "type": check_type,
    "pictures": check_pictures,
}
