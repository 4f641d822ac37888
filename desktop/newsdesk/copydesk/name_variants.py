"""The name-variants check: a name spelled two ways in one story ("Ann Marsh" and "Ann
Mash"), the likely slip being the rarer spelling."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise

from newsdesk.copydesk.check_text import NAME_FIELDS, Finding, field_texts
from newsdesk.copydesk.rules import Rules
from newsdesk.domain.model import Story

_NAME_WORD = "[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"
_NAME_RUN_RE = re.compile(rf"{_NAME_WORD}(?:'s|’s)?(?:[ \-\u00a0]{_NAME_WORD}(?:'s|’s)?)+")
_NAME_WORD_RE = re.compile(_NAME_WORD)
COMMON_WORD_FREQUENCY = 5000  # "North"/"South" are both words, "Fang"/"Fan" a name and a typo


def check_name_variants(story: Story, rules: Rules, now: datetime) -> Iterator[Finding]:
    # Names are runs of two or more capitalized words. Two names are variants when they
    # have the same words but one, and that one differs by one or two letters (two only
    # in longer words), and is not a plural and not a pair of ordinary English words.
    occurrences: dict[tuple[str, str], list[tuple[str, int, int]]] = defaultdict(list)
    for name, text in field_texts(story, NAME_FIELDS):
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
    from newsdesk.copydesk.spelling import frequency  # the dictionary loads only when names differ

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
