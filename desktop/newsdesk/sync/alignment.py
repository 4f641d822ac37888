"""Alignment of one version of a story body's paragraphs to the base, by content.

Paragraphs identical and in order are anchors (longest matching blocks); a base
paragraph found with the same text elsewhere is a *move*; what is left between two
anchors pairs up as *edits* (by word similarity, in order; a stretch rewritten past
recognition into as many paragraphs, position for position); a base paragraph left over
was deleted, a side paragraph left over was inserted.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

# Two paragraphs of a stretch between anchors are the same paragraph edited when at
# least this share of their words match (difflib ratio).
SIMILAR = 0.5
# Above this many candidate pairs in one stretch, nothing is paired (the stretch was
# rewritten; pairing would cost too much and mean little).
PAIRING_LIMIT = 4096


@dataclass(frozen=True)
class Alignment:
    """How one side changed the base, paragraph by paragraph."""

    partner: tuple[int | None, ...]  # base i -> side paragraph holding it; None: deleted
    origin: tuple[int | None, ...]  # side j -> base paragraph it holds; None: inserted
    moved: frozenset[int]  # base paragraphs this side moved elsewhere, text unchanged
    slots: tuple[int, ...]  # side j -> base index it sits at (in place) or before (else)

    def in_place(self, j: int) -> bool:
        i = self.origin[j]
        return i is not None and i not in self.moved


def align(base: Sequence[str], side: Sequence[str]) -> Alignment:
    """Align `side` to `base`: anchors, then moves, then edits between anchors."""
    partner: list[int | None] = [None] * len(base)
    origin: list[int | None] = [None] * len(side)
    matcher = difflib.SequenceMatcher(None, list(base), list(side), autojunk=False)
    anchors = [
        (block.a + k, block.b + k)
        for block in matcher.get_matching_blocks()
        for k in range(block.size)
    ]
    for i, j in anchors:
        partner[i], origin[j] = j, i
    moved = _moves(base, side, partner, origin)
    bounds = [(-1, -1), *anchors, (len(base), len(side))]
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        olds = [i for i in range(i0 + 1, i1) if partner[i] is None]
        news = [j for j in range(j0 + 1, j1) if origin[j] is None]
        for i, j in _pair(olds, news, base, side):
            partner[i], origin[j] = j, i
    slots: list[int] = []
    last = -1  # base index of the last paragraph in place so far
    for i in origin:
        if i is not None and i not in moved:
            last = i
            slots.append(i)
        else:
            slots.append(last + 1)
    return Alignment(tuple(partner), tuple(origin), frozenset(moved), tuple(slots))


def _moves(
    base: Sequence[str], side: Sequence[str], partner: list[int | None], origin: list[int | None]
) -> set[int]:
    """Base paragraphs left over whose exact text is left over on the side: moved."""
    free: dict[str, list[int]] = {}
    for j, text in enumerate(side):
        if origin[j] is None:
            free.setdefault(text, []).append(j)
    moved: set[int] = set()
    for i, text in enumerate(base):
        if partner[i] is None and free.get(text):
            j = free[text].pop(0)
            partner[i], origin[j] = j, i
            moved.add(i)
    return moved


def _pair(
    olds: list[int], news: list[int], base: Sequence[str], side: Sequence[str]
) -> list[tuple[int, int]]:
    """Which old paragraphs of a stretch became which new ones (edits), in order."""
    if not olds or not news:
        return []
    if len(olds) * len(news) > PAIRING_LIMIT:
        return []
    pairs = _similar_pairs(olds, news, base, side)
    if not pairs and len(olds) == len(news):
        # Rewritten past recognition, as many paragraphs as before: edits in place, so
        # that the other side's edits of them clash rather than both being kept.
        return list(zip(olds, news, strict=True))
    return pairs


def _similar_pairs(
    olds: list[int], news: list[int], base: Sequence[str], side: Sequence[str]
) -> list[tuple[int, int]]:
    """The in-order pairing of similar paragraphs with the highest total similarity."""
    words_old = [base[i].split() for i in olds]
    words_new = [side[j].split() for j in news]
    # best[x][y]: the highest total similarity pairing olds[:x] with news[:y] in order.
    best = [[0.0] * (len(news) + 1) for _ in range(len(olds) + 1)]
    for x in range(1, len(olds) + 1):
        for y in range(1, len(news) + 1):
            score = _similarity(words_old[x - 1], words_new[y - 1])
            diagonal = best[x - 1][y - 1] + score if score >= SIMILAR else -1.0
            best[x][y] = max(best[x - 1][y], best[x][y - 1], diagonal)
    pairs: list[tuple[int, int]] = []
    x, y = len(olds), len(news)
    while x and y:
        if best[x][y] == best[x - 1][y]:
            x -= 1
        elif best[x][y] == best[x][y - 1]:
            y -= 1
        else:
            pairs.append((olds[x - 1], news[y - 1]))
            x, y = x - 1, y - 1
    return pairs[::-1]


def _similarity(a: list[str], b: list[str]) -> float:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()
