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

PARA, HEADING, ITEM, QUOTE, OPAQUE = "para", "heading", "item", "quote", "opaque"

_LINE_RE = re.compile(r"([^\n]*?)(\r?\n|$)")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_HR_RE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ITEM_RE = re.compile(r"^( *)([-+*]|\d{1,9}[.)])(?:([ \t]+)(.*))?$")
_QUOTE_RE = re.compile(r"^ {0,3}>")
_SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_TABLE_DELIM_RE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_DEFINITION_RE = re.compile(r"^ {0,3}\[[^\]]+\]:")
_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
_HTML_TAG_RE = re.compile(rf"^ {{0,3}}</?(?:{_HTML_BLOCK_TAGS})(?:[\s/>]|$)", re.I)
_ATTR = r"""(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_HTML_LONE_TAG_RE = re.compile(
    rf"^ {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$"
)
_HTML_ENDS = (
    (re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
     re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"^ {0,3}<!--"), re.compile(r"-->")),
    (re.compile(r"^ {0,3}<\?"), re.compile(r"\?>")),
    (re.compile(r"^ {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">")),
)

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


def _html_end(line: str) -> re.Pattern[str] | None:
    """The end condition of an HTML block that runs past blank lines (kinds 1 to 5)."""
    return next((end for start, end in _HTML_ENDS if start.match(line)), None)


def starts_html_block(line: str) -> bool:
    """Whether the line opens an HTML block that may interrupt a paragraph (kinds 1-6)."""
    return bool(_html_end(line) or _HTML_TAG_RE.match(line))


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _interrupts(line: str) -> bool:
    """A line that ends a paragraph (CommonMark's interrupting block starts)."""
    if _ATX_RE.match(line) or _FENCE_RE.match(line) or _QUOTE_RE.match(line):
        return True
    if _HR_RE.match(line) or _html_end(line):
        return True
    if _HTML_TAG_RE.match(line):
        return True
    item = _ITEM_RE.match(line)
    if item and len(item.group(1)) <= 3 and item.group(4) and item.group(4).strip():
        return not item.group(2)[0].isdigit() or item.group(2)[:-1] == "1"
    return False


def _sort(marker: str) -> str:
    """Which list a marker belongs to: its bullet, or an ordered list's delimiter."""
    return marker[-1] if marker[0].isdigit() else marker


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


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
            if _blank(self.lines[i]):
                i += 1
            else:
                i = self.block(i) + 1

    def block(self, i: int) -> int:
        """Split the block starting at line i; return its last line."""
        line, lines, n = self.lines[i], self.lines, len(self.lines)
        fence = _FENCE_RE.match(line)
        if fence and not (fence.group(2)[0] == "`" and "`" in fence.group(3)):
            mark = fence.group(2)
            closing = re.compile(rf"^ {{0,3}}{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
            end = next((j for j in range(i + 1, n) if closing.match(lines[j])), n - 1)
            self.opaque(i, end)
            return end
        heading = _ATX_RE.match(line)
        if heading:
            level = len(heading.group(1))
            self.add(i, i, Chunk(HEADING, "", level=level, lines=[heading.group(2) or ""]))
            return i
        if _HR_RE.match(line) or _indent(line) >= 4:
            end = i
            while _indent(line) >= 4 and end + 1 < n and not _blank(lines[end + 1]):
                end += 1
            self.opaque(i, end)
            return end
        html_end = _html_end(line)
        if html_end:
            offset = len(line) - len(line.lstrip(" ")) + 2
            end = next(
                (j for j in range(i, n) if html_end.search(lines[j], offset if j == i else 0)),
                n - 1,
            )
            self.opaque(i, end)
            return end
        if (
            _HTML_TAG_RE.match(line)
            or _HTML_LONE_TAG_RE.match(line)
            or _DEFINITION_RE.match(line)
            or (i + 1 < n and "|" in line and _TABLE_DELIM_RE.match(lines[i + 1])
                and "|" in lines[i + 1] + line)
        ):
            return self.until_blank_opaque(i)
        if _QUOTE_RE.match(line):
            return self.quote(i)
        if _ITEM_RE.match(line) and _indent(line) <= 3:
            return self.list(i)
        return self.paragraph(i)

    def until_blank_opaque(self, i: int) -> int:
        end = i
        while end + 1 < len(self.lines) and not _blank(self.lines[end + 1]):
            end += 1
        self.opaque(i, end)
        return end

    def paragraph(self, i: int) -> int:
        end = i
        while end + 1 < len(self.lines):
            nxt = self.lines[end + 1]
            if _SETEXT_RE.match(nxt):
                self.opaque(i, end + 1)
                return end + 1
            if _blank(nxt) or _interrupts(nxt):
                break
            end += 1
        self.add(i, end, Chunk(PARA, "", lines=self.lines[i : end + 1]))
        return end

    def quote(self, i: int) -> int:
        end = i
        while end + 1 < len(self.lines) and not _blank(self.lines[end + 1]):
            if not _QUOTE_RE.match(self.lines[end + 1]) and _interrupts(self.lines[end + 1]):
                break
            end += 1
        inner: list[str] = []
        for line in self.lines[i : end + 1]:
            stripped = re.match(r"^ {0,3}>( ?)(.*)$", line)
            if not stripped or stripped.group(2).startswith("\t"):
                self.opaque(i, end)
                return end
            inner.append(stripped.group(2))
        paras: list[tuple[int, int]] = []
        j = 0
        while j < len(inner):
            if _blank(inner[j]):
                j += 1
                continue
            k = j
            while k + 1 < len(inner) and not _blank(inner[k + 1]):
                k += 1
            paras.append((j, k))
            j = k + 1
        simple = bool(paras) and all(
            not _structured(inner[a]) and not any(
                _SETEXT_RE.match(x) or _interrupts(x) for x in inner[a + 1 : b + 1]
            )
            for a, b in paras
        )
        if not simple:
            self.opaque(i, end)
            return end
        group = next(_keys)
        for number, (a, b) in enumerate(paras):
            first = i if number == 0 else i + a
            last = end if number == len(paras) - 1 else i + b
            self.add(first, last, Chunk(QUOTE, "", group=group, lines=inner[a : b + 1]))
        return end

    def list(self, i: int) -> int:
        """A list of one-paragraph items, nested or not; anything richer is protected."""
        lines, n = self.lines, len(self.lines)
        scan = _ListScan(lines)
        end = j = i
        while j < n:
            if _blank(lines[j]):
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


def _structured(line: str) -> bool:
    """A line that is structure inside a list item or a quote, not text of it."""
    # A lone inline tag (`<b>`, `<TK>`) in a list item or a quote is text, as the export
    # reads all HTML: taken for structure, `- <b>` typed as an item came back as a
    # protected line showing its marker. Block-level HTML still counts (_interrupts).
    return bool(
        _interrupts(line) or _ITEM_RE.match(line) or _indent(line) >= 4
        or _DEFINITION_RE.match(line)
    )


@dataclass
class _Item:
    first: int
    last: int
    depth: int
    marker: str
    content_col: int  # where the item's text starts: deeper lines belong to it
    lines: list[str]


@dataclass
class _ListScan:
    """A list read line by line: its items, the items open at each depth, and whether it
    holds anything richer than one paragraph per item (then it is protected whole)."""

    lines: list[str]
    items: list[_Item] = field(default_factory=list)
    stack: list[_Item] = field(default_factory=list)
    kinds: dict[tuple[int, int], str] = field(default_factory=dict)
    complex: bool = False

    def after_blank(self, j: int) -> int | None:
        """At the blank line j: the next line the list goes on at, or None if it ends."""
        lines, n = self.lines, len(self.lines)
        k = j
        while k < n and _blank(lines[k]):
            k += 1
        if k >= n:
            return None
        match = _ITEM_RE.match(lines[k])
        indent = _indent(lines[k])
        if match and indent <= 3 and _sort(match.group(2)) != self.kinds[(0, 0)]:
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
        match = _ITEM_RE.match(line)
        if match and not _HR_RE.match(line):
            self._item(j, match)
            return True
        if not self.stack:
            return False
        indent = _indent(line)
        if _interrupts(line) and indent < self.stack[-1].content_col:
            return False
        if _structured(line.strip()) and indent >= self.stack[-1].content_col:
            self.complex = True
        self.items[-1].last = j
        self.items[-1].lines.append(line)
        return True

    def _item(self, j: int, match: re.Match[str]) -> None:
        indent = _indent(self.lines[j])
        while self.stack and indent < self.stack[-1].content_col:
            self.stack.pop()
        if not self.stack and indent > 3:
            self.complex = True
            return
        marker, gap, rest = match.group(2), match.group(3) or "", match.group(4) or ""
        if "\t" in gap or len(gap) > 4 or (_structured(rest) and rest.strip()):
            self.complex = True
        content_col = indent + len(marker) + (len(gap) if rest else 1)
        sort = _sort(marker)
        parent = id(self.stack[-1]) if self.stack else 0
        if self.kinds.setdefault((parent, len(self.stack)), sort) != sort:
            self.complex = True  # bullets and numbers, or two bullets, mixed at one depth
        item = _Item(j, j, len(self.stack) + 1, marker, content_col, [rest])
        self.items.append(item)
        self.stack.append(item)


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
