"""A Markdown list read line by line (for blocks.py): its items and their depths, and
whether it holds anything richer than one paragraph per item (then it is protected whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.formats.source.lines import (
    HR_RE,
    ITEM_RE,
    blank,
    indentation,
    interrupts,
    list_sort,
    structured,
)


@dataclass
class Item:
    first: int
    last: int
    depth: int
    marker: str
    content_col: int  # where the item's text starts: deeper lines belong to it
    lines: list[str]


@dataclass
class ListScan:
    """A list read line by line: its items, the items open at each depth, and whether it
    holds anything richer than one paragraph per item (then it is protected whole)."""

    lines: list[str]
    items: list[Item] = field(default_factory=list)
    stack: list[Item] = field(default_factory=list)
    kinds: dict[tuple[int, int], str] = field(default_factory=dict)
    complex: bool = False

    def after_blank(self, j: int) -> int | None:
        """At the blank line j: the next line the list goes on at, or None if it ends."""
        lines, n = self.lines, len(self.lines)
        k = j
        while k < n and blank(lines[k]):
            k += 1
        if k >= n:
            return None
        match = ITEM_RE.match(lines[k])
        indent = indentation(lines[k])
        if match and indent <= 3 and list_sort(match.group(2)) != self.kinds[(0, 0)]:
            return None
        if match and (indent <= 3 or (self.stack and indent >= 2)):
            return k
        if self.stack and indent >= self.stack[-1].content_col:
            self.complex = True  # a second paragraph in an item
            return k
        return None

    def take(self, j: int) -> bool:
        """Read the line j into the list; False if the list ended before it."""
        line = self.lines[j]
        match = ITEM_RE.match(line)
        if match and not HR_RE.match(line):
            self._item(j, match)
            return True
        if not self.stack:
            return False
        indent = indentation(line)
        if interrupts(line) and indent < self.stack[-1].content_col:
            return False
        if structured(line.strip()) and indent >= self.stack[-1].content_col:
            self.complex = True
        self.items[-1].last = j
        self.items[-1].lines.append(line)
        return True

    def _item(self, j: int, match: re.Match[str]) -> None:
        indent = indentation(self.lines[j])
        while self.stack and indent < self.stack[-1].content_col:
            self.stack.pop()
        if not self.stack and indent > 3:
            self.complex = True
            return
        marker, gap, rest = match.group(2), match.group(3) or "", match.group(4) or ""
        if "\t" in gap or len(gap) > 4 or (structured(rest) and rest.strip()):
            self.complex = True
        content_col = indent + len(marker) + (len(gap) if rest else 1)
        sort = list_sort(marker)
        parent = id(self.stack[-1]) if self.stack else 0
        if self.kinds.setdefault((parent, len(self.stack)), sort) != sort:
            self.complex = True  # bullets and numbers, or two bullets, mixed at one depth
        item = Item(j, j, len(self.stack) + 1, marker, content_col, [rest])
        self.items.append(item)
        self.stack.append(item)
