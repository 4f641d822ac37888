"""Three-way merge of a story body by paragraph: align each side to the base by content,
then combine base paragraph by base paragraph.

A paragraph is a run of non-blank lines (a blank line holds nothing but spaces, tabs and
its line break, LF or CRLF). Splitting keeps every byte: the blank-line runs and line
breaks around the paragraphs are kept as they are and put back.

Each side is aligned to the base by content (alignment.py): anchors, moves, edits,
deletions, insertions.

Combination: per base paragraph, changed on one side -> that side; on both to the same
text -> that text; on both to different texts (a deletion is a change) -> a clash, for
which `take` says which side to use. Insertions at the same spot on both sides are both
kept (once if identical), in an order that does not depend on which side is local, so
two laptops merging each other's versions get the same body.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from newsdesk.sync.alignment import Alignment, align

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
Side = str  # "local" or "remote"


@dataclass(frozen=True)
class Body:
    """A body cut into paragraphs: gaps[i] is the text before paras[i] (blank lines and
    the line break ending the paragraph before), gaps[-1] the text after the last one."""

    paras: tuple[str, ...]
    gaps: tuple[str, ...]

    def text(self) -> str:
        return "".join(g + p for g, p in zip(self.gaps, self.paras, strict=False)) + self.gaps[-1]


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _ending(block: str) -> int:
    """Length of the line break that ends `block` (CRLF, LF or none)."""
    if block.endswith("\r\n"):
        return 2
    return 1 if block.endswith("\n") else 0


def split_body(text: str) -> Body:
    """Cut `text` into paragraphs and the gaps around them; Body.text() gives it back."""
    paras: list[str] = []
    gaps: list[str] = []
    pending: list[str] = []  # the gap being collected
    lines: list[str] = []  # the paragraph being collected

    def close() -> None:
        block = "".join(lines)
        cut = len(block) - _ending(block)
        paras.append(block[:cut])
        pending.append(block[cut:])
        lines.clear()

    for line in _LINE.findall(text):
        if _is_blank(line):
            if lines:
                close()
            pending.append(line)
            continue
        if not lines:
            gaps.append("".join(pending))
            pending.clear()
        lines.append(line)
    if lines:
        close()
    gaps.append("".join(pending))
    return Body(tuple(paras), tuple(gaps))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`, without the blank lines between them."""
    return list(split_body(text).paras)


# -- combination ------------------------------------------------------------------------


class Clash(NamedTuple):
    """A base paragraph both sides changed differently (None: deleted on that side)."""

    index: int
    base: str
    local: str | None
    remote: str | None


@dataclass(frozen=True)
class _Item:
    """A paragraph of the result, with where it sits on each side (for the gaps)."""

    key: tuple[str, object]  # ("m", base index) for a base paragraph, ("n", text) if new
    text: str
    li: int | None
    ri: int | None
    bi: int | None


def merge_paragraphs(
    base: str, local: str, remote: str, take: Callable[[int], Side]
) -> tuple[str, list[Clash]]:
    """The merged body and its clashes; `take(i)` picks the side for base paragraph i."""
    b, lo, re_ = split_body(base), split_body(local), split_body(remote)
    al, ar = align(b.paras, lo.paras), align(b.paras, re_.paras)
    texts, clashes = _texts(b.paras, lo.paras, re_.paras, al, ar, take)
    places = _places(al, ar, texts)
    groups_l = _groups(lo.paras, al, places, "local")
    groups_r = _groups(re_.paras, ar, places, "remote")
    items: list[_Item] = []
    for slot in range(len(b.paras) + 1):
        items.extend(_combine(groups_l.get(slot, []), groups_r.get(slot, [])))
        if slot < len(b.paras) and places[slot] == "here":
            items.append(_Item(("m", slot), "", al.partner[slot], ar.partner[slot], slot))
    default = "\r\n\r\n" if "\r\n" in local or "\r\n" in remote else "\n\n"
    return _render(items, texts, (b, lo, re_), default), clashes


def _texts(
    base: Sequence[str],
    local: Sequence[str],
    remote: Sequence[str],
    al: Alignment,
    ar: Alignment,
    take: Callable[[int], Side],
) -> tuple[list[str | None], list[Clash]]:
    """Each base paragraph's merged text (None: deleted), and the clashes."""
    texts: list[str | None] = []
    clashes: list[Clash] = []
    for i, text in enumerate(base):
        lt = None if al.partner[i] is None else local[al.partner[i]]  # type: ignore[index]
        rt = None if ar.partner[i] is None else remote[ar.partner[i]]  # type: ignore[index]
        if lt == rt or rt == text:
            texts.append(lt)
        elif lt == text:
            texts.append(rt)
        else:
            clashes.append(Clash(i, text, lt, rt))
            texts.append(lt if take(i) == "local" else rt)
    return texts, clashes


def _places(al: Alignment, ar: Alignment, texts: list[str | None]) -> list[str]:
    """Where each base paragraph goes: 'here' (its own place), 'local' or 'remote' (where
    that side moved it), or '' (deleted). Moved on both sides to different places: the
    earlier place, so that the choice does not depend on which side is local."""
    places: list[str] = []
    for i, text in enumerate(texts):
        lm, rm = i in al.moved, i in ar.moved
        if text is None:
            places.append("")
        elif lm and rm:
            sl = al.slots[al.partner[i]]  # type: ignore[index]
            sr = ar.slots[ar.partner[i]]  # type: ignore[index]
            places.append("both" if sl == sr else "local" if sl < sr else "remote")
        else:
            places.append("local" if lm else "remote" if rm else "here")
    return places


def _groups(
    paras: Sequence[str], al: Alignment, places: list[str], side: Side
) -> dict[int, list[_Item]]:
    """One side's paragraphs that are not in place (inserted, or moved there), by slot."""
    groups: dict[int, list[_Item]] = {}
    for j, text in enumerate(paras):
        if al.in_place(j):
            continue
        i = al.origin[j]
        if i is not None and places[i] not in (side, "both"):
            continue  # a move the other side decided, or a deleted paragraph
        key: tuple[str, object] = ("m", i) if i is not None else ("n", text)
        li, ri = (j, None) if side == "local" else (None, j)
        groups.setdefault(al.slots[j], []).append(_Item(key, text, li, ri, i))
    return groups


def _combine(local: list[_Item], remote: list[_Item]) -> list[_Item]:
    """Both sides' paragraphs at one spot: common ones once, the rest in an order fixed
    by their content (not by which side is local)."""
    if not local or not remote:
        return local or remote
    first, second = (local, remote) if _keys(local) <= _keys(remote) else (remote, local)
    matcher = difflib.SequenceMatcher(None, _keys(first), _keys(second), autojunk=False)
    out: list[_Item] = []
    x = y = 0
    for block in matcher.get_matching_blocks():
        out += first[x : block.a] + second[y : block.b]
        for k in range(block.size):
            one, two = first[block.a + k], second[block.b + k]
            out.append(
                _Item(
                    one.key,
                    one.text,
                    one.li if one.li is not None else two.li,
                    one.ri if one.ri is not None else two.ri,
                    one.bi,
                )
            )
        x, y = block.a + block.size, block.b + block.size
    # A base paragraph both sides moved here, crossed with another: once.
    seen: set[tuple[str, object]] = set()
    unique = []
    for item in out:
        if item.key[0] == "m":
            if item.key in seen:
                continue
            seen.add(item.key)
        unique.append(item)
    return unique


def _keys(items: list[_Item]) -> list[tuple[str, object]]:
    return [item.key for item in items]


def _render(
    items: list[_Item], texts: list[str | None], bodies: tuple[Body, Body, Body], default: str
) -> str:
    """Join the result's paragraphs with the gaps the sides had between them (`default`
    between paragraphs that were neighbours nowhere)."""
    b, lo, re_ = bodies
    if not items:
        return _three_way(b.gaps[-1], lo.gaps[-1], re_.gaps[-1]) or ""

    # The text before the first and after the last paragraph, from the sides that have
    # paragraphs (a side without any is all gap: neither lead nor tail of a paragraph).
    def edge(at: int) -> str:
        b_, l_, r_ = (body.gaps[at] if body.paras else None for body in bodies)
        return _three_way(b_, l_, r_) or ""

    tail = edge(-1)
    out = [edge(0)]
    previous: _Item | None = None
    for item in items:
        # A base paragraph carries its merged text (a side may have moved it unchanged
        # while the other edited it).
        text = texts[item.bi] if item.key[0] == "m" and item.bi is not None else item.text
        if previous is not None:
            out.append(_gap(previous, item, b, lo, re_) or default)
        out.append(text or "")
        previous = item
    out.append(tail)
    return "".join(out)


def _gap(previous: _Item, item: _Item, b: Body, lo: Body, re_: Body) -> str | None:
    """The gap between two result paragraphs, from the sides where they were neighbours."""

    def between(body: Body, before: int | None, after: int | None) -> str | None:
        if before is None or after is None or after != before + 1:
            return None
        return body.gaps[after]

    return _three_way(
        between(b, previous.bi, item.bi),
        between(lo, previous.li, item.li),
        between(re_, previous.ri, item.ri),
    )


def _three_way(base: str | None, local: str | None, remote: str | None) -> str | None:
    """Blank-line runs: the changed one wins; both changed, the smaller (a fixed rule)."""
    if local is None:
        return base if remote is None else remote
    if remote is None or local == remote or remote == base:
        return local
    if local == base:
        return remote
    return min(local, remote)
