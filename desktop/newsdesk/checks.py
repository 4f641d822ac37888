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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import lru_cache
from itertools import pairwise

from newsdesk import typography
from newsdesk.model import Story, format_datetime, utcnow
from newsdesk.rules import Rules, load_rules

SEVERITIES: tuple[str, ...] = ("error", "warning", "note")
TEXT_FIELDS: tuple[str, ...] = ("headline", "deck", "caption", "body")
# Fields whose text may carry names: spelling a name two ways is checked across all of them
# ("source_editor" is the agency's editor from a wire trailer, an extra key of the story).
NAME_FIELDS: tuple[str, ...] = (
    "headline", "deck", "caption", "byline", "editor", "source_editor", "body",
)
SOURCE_EDITOR = "source_editor"
_FIELD_ORDER = (
    "", "headline", "slug", "deck", "byline", "dateline", "section", "editor", "source_editor",
    "caption", "body", "embargo",
)


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    message: str
    field: str
    start: int = 0
    length: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


Check = Callable[[Story, Rules, datetime], Iterator[Finding]]
_CHECKS: dict[str, Check] = {}


def _check(name: str) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        _CHECKS[name] = func
        return func

    return register


def run_checks(
    story: Story, rules: Rules | None = None, now: datetime | None = None
) -> list[Finding]:
    """Every enabled check over the story, in reading order of fields and offsets."""
    rules = load_rules() if rules is None else rules
    now = utcnow() if now is None else now
    findings = [Finding("rules", "warning", problem, "") for problem in rules.problems]
    for name, func in _CHECKS.items():
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


# --- text helpers -------------------------------------------------------------------------

_FENCE_RE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?(?:^\1[^\n]*$|\Z)", re.M | re.S)
_CODE_SPAN_RE = re.compile(r"(`+)[^`]+?\1")
# The "(url "title")" after a link's "]" (one level of parentheses inside the URL), or <url>.
_LINK_TARGET_RE = re.compile(
    r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)|<https?://[^>\s]+>"
)
_LIST_MARKER_RE = re.compile(r"^[ \t]*(?:\d{1,9}[.)]|[-*+]|>)[ \t]", re.M)


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


@lru_cache(maxsize=16)  # every check of the body asks for it; typing keeps asking
def mask_markup(body: str) -> str:
    """The body with code, link targets and list/quote markers blanked, offsets unchanged."""
    for pattern in (_FENCE_RE, _CODE_SPAN_RE, _LINK_TARGET_RE, _LIST_MARKER_RE):
        body = pattern.sub(_blank, body)
    return body


def field_text(story: Story, name: str) -> str:
    """The text of a story field by name; "source_editor" is read from the extra keys."""
    value = story.extra.get(name) if name == SOURCE_EDITOR else getattr(story, name, "")
    return value if isinstance(value, str) else ""


def _field_texts(story: Story, names: tuple[str, ...] = TEXT_FIELDS) -> Iterator[tuple[str, str]]:
    for name in names:
        text = field_text(story, name)
        yield name, mask_markup(text) if name == "body" else text


_PARAGRAPH_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each run of non-blank lines, trimmed."""
    for match in _PARAGRAPH_RE.finditer(text):
        chunk = match.group(0)
        lead = len(chunk) - len(chunk.lstrip())
        yield match.start() + lead, chunk.strip()


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.casefold().replace("’", "'") for word in _WORD_RE.findall(text))


# --- the checks ---------------------------------------------------------------------------

MIN_REPEAT_WORDS = 4  # shorter repeats ("More to come.", a scene break) are often meant


@_check("repeated_paragraph")
def check_repeated_paragraph(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    deck_words = _words(story.deck)
    seen: dict[tuple[str, ...], int] = {}
    for start, text in paragraphs(mask_markup(story.body)):
        words = _words(text)
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


@_check("headline")
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


@_check("length")
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


@_check("missing")
def check_missing(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    if not story.dateline.place.strip():
        yield Finding("missing", "warning", "No dateline place.", "dateline")
    if story.dateline.date is None:
        yield Finding("missing", "warning", "No dateline date.", "dateline")
    if not story.section.strip():
        yield Finding("missing", "warning", "No section.", "section")
    if not story.byline.strip():
        yield Finding("missing", "warning", "No byline.", "byline")


@_check("placeholder")
def check_placeholder(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    alternatives = [rf"(?<![^\W_]){re.escape(word)}(?![^\W_])" for word in rules.placeholder_words]
    alternatives += [f"(?:{pattern})" for pattern in rules.placeholder_patterns]
    if not alternatives:
        return
    pattern = re.compile("|".join(alternatives))
    for name, text in _field_texts(story, ("headline", "deck", "byline", "caption", "body")):
        for match in pattern.finditer(text):
            if match.group(0):
                yield Finding(
                    "placeholder", "error",
                    f"Unresolved placeholder “{match.group(0)}”.",
                    name, match.start(), len(match.group(0)),
                )


_DOUBLE_SPACE_RE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")


@_check("double_space")
def check_double_space(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    # Only between words: leading spaces are Markdown structure and two trailing spaces a
    # hard line break. The spaces must be in the text itself: masking blanks link targets
    # and code with spaces too, and "[site](url)." is no double space.
    for name, masked in _field_texts(story):
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


@_check("quotes")
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


@_check("unbalanced")
def check_unbalanced(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    for name, text in _field_texts(story):
        paras = list(paragraphs(text))
        for index, (offset, para) in enumerate(paras):
            following = paras[index + 1][1] if index + 1 < len(paras) else ""
            yield from _unbalanced_in(name, offset, para, following)


def _unbalanced_in(name: str, offset: int, para: str, following: str) -> Iterator[Finding]:
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
        if opener == "“" and following.startswith("“"):
            continue
        yield _unclosed(name, offset, opener, i)
    straight = [i for i, char in enumerate(para) if char == '"']
    if len(straight) % 2 and not following.startswith('"'):
        yield Finding(
            "unbalanced", "warning", 'An odd number of " in this paragraph; one is unclosed.',
            name, offset + straight[-1], 1,
        )


def _unclosed(name: str, offset: int, opener: str, i: int) -> Finding:
    closer = next(close for close, open_ in _PAIRS.items() if open_ == opener)
    return Finding(
        "unbalanced", "warning", f"{opener} is never closed with {closer}.", name, offset + i, 1
    )


_NAME_WORD = "[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"
_NAME_RUN_RE = re.compile(rf"{_NAME_WORD}(?:'s|’s)?(?:[ \-\u00a0]{_NAME_WORD}(?:'s|’s)?)+")
_NAME_WORD_RE = re.compile(_NAME_WORD)
COMMON_WORD_FREQUENCY = 5000  # "North"/"South" are both words, "Fang"/"Fan" a name and a typo


@_check("name_variants")
def check_name_variants(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    # Names are runs of two or more capitalized words. Two names are variants when they
    # have the same words but one, and that one differs by one or two letters (two only
    # in longer words), and is not a plural and not a pair of ordinary English words.
    occurrences: dict[tuple[str, str], list[tuple[str, int, int]]] = defaultdict(list)
    for name, text in _field_texts(story, NAME_FIELDS):
        for run in _NAME_RUN_RE.finditer(text):
            words = list(_NAME_WORD_RE.finditer(run.group(0)))
            for a, b in pairwise(words):
                key = (a.group(0), b.group(0))
                occurrences[key].append((name, run.start() + a.start(), b.end() - a.start()))
    counts = Counter({key: len(places) for key, places in occurrences.items()})
    flagged: set[tuple[str, str]] = set()
    for one, other in _pairs_sharing_a_word(list(occurrences)):
        if _variants(one, other):
            # The rarer spelling is the likely slip; on a tie, the one that comes later.
            odd, usual = (one, other) if counts[one] < counts[other] else (other, one)
            if counts[one] == counts[other]:
                odd, usual = other, one
            if odd in flagged:
                continue
            flagged.add(odd)
            for field, start, length in occurrences[odd]:
                yield Finding(
                    "name_variants", "warning",
                    f"Name spelled two ways: “{' '.join(odd)}” here, “{' '.join(usual)}” "
                    f"elsewhere ({counts[usual]}×).",
                    field, start, length,
                )


def _pairs_sharing_a_word(
    keys: list[tuple[str, str]],
) -> Iterator[tuple[tuple[str, str], tuple[str, str]]]:
    """Pairs of two-word names with the same first or the same second word, in reading
    order; only those can differ in exactly one word, so the rest are never compared."""
    groups: dict[tuple[int, str], list[tuple[str, str]]] = defaultdict(list)
    for key in keys:
        groups[(0, key[0])].append(key)
        groups[(1, key[1])].append(key)
    order = {key: i for i, key in enumerate(keys)}
    pairs = {
        (one, other)
        for group in groups.values()
        for i, one in enumerate(group)
        for other in group[i + 1 :]
    }
    yield from sorted(pairs, key=lambda pair: (order[pair[0]], order[pair[1]]))


def _variants(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    diffs = [(a, b) for a, b in zip(one, other, strict=True) if a != b]
    if len(diffs) != 1:
        return False
    a, b = diffs[0]
    shorter = min(len(a), len(b))
    if abs(len(a) - len(b)) > 2 or shorter < 3:
        return False
    distance = edit_distance(a.lower(), b.lower())
    if distance == 0 or distance > 2 or shorter < 3 or (distance == 2 and shorter < 6):
        return False
    longer, short = (a, b) if len(a) > len(b) else (b, a)
    if longer.lower() in (short.lower() + "s", short.lower() + "es"):
        return False
    return not (_common(a) and _common(b))


def _common(word: str) -> bool:
    from newsdesk.spelling import frequency  # the dictionary loads only when names differ

    return frequency(word) >= COMMON_WORD_FREQUENCY


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


@_check("embargo")
def check_embargo(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    if story.embargo is not None and story.embargo <= now:
        yield Finding(
            "embargo", "warning",
            f"The embargo ({format_datetime(story.embargo)}) has passed; clear it or set a "
            "new time.",
            "embargo",
        )


CHECK_NAMES: tuple[str, ...] = tuple(_CHECKS)
