"""Splitting a Markdown body into chunks, one per editor block, each with its exact source.

The body is cut into `Chunk`s; `leading + sum(chunk.source + chunk.sep) + trailing` is the
original text, byte for byte (`Layout.text()`), which is what lets the editor write an
untouched block back verbatim. Supported blocks (paragraphs, ATX headings, simple lists,
simple block quotes) become rich chunks; anything else (code, tables, HTML blocks,
definitions, setext headings, complex lists or quotes) becomes one protected chunk per
source line. When unsure, a construct is treated as protected: it is then only shown
literally, never lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count

from newsdesk.formats.source.lines import (
    ATX_RE,
    DEFINITION_RE,
    FENCE_RE,
    HR_RE,
    HTML_LONE_TAG_RE,
    HTML_TAG_RE,
    ITEM_RE,
    QUOTE_RE,
    SETEXT_RE,
    TABLE_DELIM_RE,
    blank,
    html_block_end,
    indentation,
    interrupts,
    structured,
)
from newsdesk.formats.source.list_scan import ListScan

PARA, HEADING, ITEM, QUOTE, OPAQUE = "para", "heading", "item", "quote", "opaque"

_LINE_RE = re.compile(r"([^\n]*?)(\r?\n|$)")
_keys = count(1)


@dataclass
class Chunk:
    """One editor block: its source (no final line break) and the text up to the next one."""

    kind: str
    source: str
    sep: str = ""
    level: int = 0  # heading level, or list depth (1 = top level)
    marker: str = ""  # list marker as written: "-", "*", "+", "3." or "1)"
    group: int = 0  # chunks of one list, quote or protected region share a group
    lines: list[str] = field(default_factory=list)  # the text lines to render


@dataclass
class Layout:
    leading: str
    chunks: list[Chunk]
    trailing: str
    newline: str = "\n"

    def text(self) -> str:
        return self.leading + "".join(c.source + c.sep for c in self.chunks) + self.trailing


class _Splitter:
    def __init__(self, text: str) -> None:
        self.lines: list[str] = []
        self.ends: list[str] = []
        for match in _LINE_RE.finditer(text):
            if match.start() == len(text) and match.group(0) == "":
                break
            self.lines.append(match.group(1))
            self.ends.append(match.group(2))
        self.chunks: list[tuple[int, int, Chunk]] = []  # first line, last line, chunk

    def add(self, first: int, last: int, chunk: Chunk) -> None:
        self.chunks.append((first, last, chunk))

    def opaque(self, first: int, last: int) -> None:
        group = next(_keys)
        for i in range(first, last + 1):
            self.add(i, i, Chunk(OPAQUE, "", group=group, lines=[self.lines[i]]))

    def run(self) -> None:
        i, n = 0, len(self.lines)
        while i < n:
            if blank(self.lines[i]):
                i += 1
            else:
                i = self.block(i) + 1

    def block(self, i: int) -> int:
        """Split the block starting at line i; return its last line."""
        for protected in (self.fenced, self.heading, self.indented, self.html_block):
            end = protected(i)
            if end is not None:
                return end
        line, following = self.lines[i], self.lines[i + 1 : i + 2]
        if _opens_protected_lines(line, following[0] if following else None):
            return self.until_blank_opaque(i)
        if QUOTE_RE.match(line):
            return self.quote(i)
        if ITEM_RE.match(line) and indentation(line) <= 3:
            return self.list(i)
        return self.paragraph(i)

    def fenced(self, i: int) -> int | None:
        """A fenced code block, protected up to its closing fence (or the end)."""
        fence = FENCE_RE.match(self.lines[i])
        if not fence or (fence.group(2)[0] == "`" and "`" in fence.group(3)):
            return None
        mark = fence.group(2)
        closing = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
        lines, n = self.lines, len(self.lines)
        end = next((j for j in range(i + 1, n) if closing.match(lines[j])), n - 1)
        self.opaque(i, end)
        return end

    def heading(self, i: int) -> int | None:
        """An ATX heading: one rich chunk."""
        heading = ATX_RE.match(self.lines[i])
        if not heading:
            return None
        level = len(heading.group(1))
        self.add(i, i, Chunk(HEADING, "", level=level, lines=[heading.group(2) or ""]))
        return i

    def indented(self, i: int) -> int | None:
        """A thematic break (protected alone) or indented code (up to a blank line)."""
        line, lines, n = self.lines[i], self.lines, len(self.lines)
        if not HR_RE.match(line) and indentation(line) < 4:
            return None
        end = i
        while indentation(line) >= 4 and end + 1 < n and not blank(lines[end + 1]):
            end += 1
        self.opaque(i, end)
        return end

    def html_block(self, i: int) -> int | None:
        """An HTML block that runs past blank lines, protected up to its end condition."""
        line, lines, n = self.lines[i], self.lines, len(self.lines)
        html_end = html_block_end(line)
        if not html_end:
            return None
        offset = len(line) - len(line.lstrip(" ")) + 2
        end = next(
            (j for j in range(i, n) if html_end.search(lines[j], offset if j == i else 0)),
            n - 1,
        )
        self.opaque(i, end)
        return end

    def until_blank_opaque(self, i: int) -> int:
        end = i
        while end + 1 < len(self.lines) and not blank(self.lines[end + 1]):
            end += 1
        self.opaque(i, end)
        return end

    def paragraph(self, i: int) -> int:
        end = i
        while end + 1 < len(self.lines):
            nxt = self.lines[end + 1]
            if SETEXT_RE.match(nxt):
                self.opaque(i, end + 1)
                return end + 1
            if blank(nxt) or interrupts(nxt):
                break
            end += 1
        self.add(i, end, Chunk(PARA, "", lines=self.lines[i : end + 1]))
        return end

    def quote(self, i: int) -> int:
        """A block quote of simple paragraphs, one rich chunk each; else protected."""
        end = self.quote_end(i)
        inner = _quote_inner(self.lines[i : end + 1])
        paras = _paragraph_spans(inner) if inner is not None else []
        if inner is None or not _simple_quote(inner, paras):
            self.opaque(i, end)
            return end
        group = next(_keys)
        for number, (a, b) in enumerate(paras):
            first = i if number == 0 else i + a
            last = end if number == len(paras) - 1 else i + b
            self.add(first, last, Chunk(QUOTE, "", group=group, lines=inner[a : b + 1]))
        return end

    def quote_end(self, i: int) -> int:
        """The last line of the quote starting at line i: up to a blank line, or a line
        that is not quoted and interrupts it."""
        end = i
        while end + 1 < len(self.lines) and not blank(self.lines[end + 1]):
            if not QUOTE_RE.match(self.lines[end + 1]) and interrupts(self.lines[end + 1]):
                break
            end += 1
        return end

    def list(self, i: int) -> int:
        """A list of one-paragraph items, nested or not; anything richer is protected."""
        lines, n = self.lines, len(self.lines)
        scan = ListScan(lines)
        end = j = i
        while j < n:
            if blank(lines[j]):
                resume = scan.after_blank(j)
                if resume is None:
                    break
                j = resume
                continue
            if not scan.take(j):
                break
            end = j
            j += 1
        if scan.complex:
            self.opaque(i, end)
            return end
        group = next(_keys)
        for item in scan.items:
            chunk = Chunk(ITEM, "", level=item.depth, marker=item.marker, group=group,
                          lines=item.lines)
            self.add(item.first, item.last, chunk)
        return end


def _opens_protected_lines(line: str, following: str | None) -> bool:
    """A block kept as written up to the next blank line: an HTML block of kind 6 or 7,
    a link reference definition, a table (a row with pipes over a delimiter row)."""
    if HTML_TAG_RE.match(line) or HTML_LONE_TAG_RE.match(line) or DEFINITION_RE.match(line):
        return True
    return (following is not None and "|" in line and bool(TABLE_DELIM_RE.match(following))
            and "|" in following + line)


def _quote_inner(lines: list[str]) -> list[str] | None:
    """A quote's lines without their `>` markers; None when a line is not a plain quoted
    line (lazy continuation, or a tab after the marker)."""
    inner: list[str] = []
    for line in lines:
        stripped = re.match(r"^ {0,3}>( ?)(.*)$", line)
        if not stripped or stripped.group(2).startswith("\t"):
            return None
        inner.append(stripped.group(2))
    return inner


def _paragraph_spans(lines: list[str]) -> list[tuple[int, int]]:
    """The first and last line of each run of non-blank lines."""
    spans: list[tuple[int, int]] = []
    j = 0
    while j < len(lines):
        if blank(lines[j]):
            j += 1
            continue
        k = j
        while k + 1 < len(lines) and not blank(lines[k + 1]):
            k += 1
        spans.append((j, k))
        j = k + 1
    return spans


def _simple_quote(inner: list[str], paras: list[tuple[int, int]]) -> bool:
    """Whether a quote holds only paragraphs of text (nothing structured, no setext
    underline or interrupting line inside a paragraph)."""
    return bool(paras) and all(
        not structured(inner[a]) and not any(
            SETEXT_RE.match(x) or interrupts(x) for x in inner[a + 1 : b + 1]
        )
        for a, b in paras
    )


def split_blocks(text: str) -> Layout:
    """Cut `text` into chunks; `split_blocks(t).text() == t` for every string."""
    splitter = _Splitter(text)
    splitter.run()
    lines, ends = splitter.lines, splitter.ends
    offsets = [0]
    for line, end in zip(lines, ends, strict=True):
        offsets.append(offsets[-1] + len(line) + len(end))
    newline = "\r\n" if "\r\n" in text else "\n"
    spans = splitter.chunks
    if not spans:
        return Layout(text, [], "", newline)
    chunks: list[Chunk] = []
    for index, (first, last, chunk) in enumerate(spans):
        start = offsets[first]
        stop = offsets[last] + len(lines[last])
        chunk.source = text[start:stop]
        following = offsets[spans[index + 1][0]] if index + 1 < len(spans) else None
        chunk.sep = text[stop:following] if following is not None else ""
        chunks.append(chunk)
    first_start = offsets[spans[0][0]]
    last_stop = offsets[spans[-1][1]] + len(lines[spans[-1][1]])
    return Layout(text[:first_start], chunks, text[last_stop:], newline)
