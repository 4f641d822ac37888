"""The bridge between a Markdown body and a QTextDocument, in both directions.

`render()` puts one QTextBlock per chunk of the body (see blocks.py) and returns the
*signature* of every block as rendered: its kind, level, list, and styled runs.
`to_markdown()` compares the document's current signatures with those (difflib); a block
whose signature is unchanged writes back its original source, and two such blocks that
were neighbours keep the exact text that separated them. Only blocks that differ are
written from their formats, so untouched text is never re-encoded.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextList,
    QTextListFormat,
)

from newsdesk.ui.editor.blocks import HEADING, ITEM, OPAQUE, PARA, QUOTE, Chunk, Layout
from newsdesk.ui.editor.inline import HARD_BREAK, Run, parse_inline
from newsdesk.ui.editor.inline_write import serialize_inline

P_KIND = QTextFormat.Property.UserProperty + 1  # block: QUOTE or OPAQUE (else derived)
P_GROUP = QTextFormat.Property.UserProperty + 2  # block/list: which quote, region or list
P_MARKER = QTextFormat.Property.UserProperty + 3  # list: "-", "*", "+", "." or ")"
P_RAW = QTextFormat.Property.UserProperty + 4  # char: written back verbatim
P_CODE = QTextFormat.Property.UserProperty + 5  # char: a code span

HEADING_SCALE = {1: 1.6, 2: 1.35, 3: 1.15}
HEADING_WEIGHT = QFont.Weight.DemiBold  # below Bold, so bold words in a heading stay bold
SHADE = QColor(128, 128, 128, 40)
RAW_SHADE = QColor(200, 140, 0, 45)
LIST_STYLES = (QTextListFormat.Style.ListDisc, QTextListFormat.Style.ListCircle,
               QTextListFormat.Style.ListSquare)

_SANITIZE = str.maketrans({"\r": " ", "\u2028": " ", "\u2029": " ", "\x00": "\ufffd"})

Signature = tuple


def prop(fmt: QTextFormat, key: int) -> object:
    """A format property, or None; never asks Qt for an unset one (PySide6 6.12 then
    releases a reference to None it does not own, which crashes the interpreter)."""
    return fmt.property(key) if fmt.hasProperty(key) else None


def text_list(block: QTextBlock) -> QTextList | None:
    """The block's list, or None (asked of Qt only for a block in a list: as above,
    a None from PySide6 6.12 here costs None a reference)."""
    return block.textList() if block.blockFormat().objectIndex() >= 0 else None


def utf16_len(text: str) -> int:
    """Length in Qt document positions (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def block_offset(source: str, shown: str, offset: int) -> int:
    """The offset in a block's shown text of the character at `offset` of its Markdown."""
    matcher = SequenceMatcher(None, source, shown, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if offset < a:
            return b
        if offset < a + size:
            return b + offset - a
    return len(shown)


def monospace() -> list[str]:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families()


def block_kind(block: QTextBlock) -> str:
    if text_list(block) is not None:
        return ITEM
    if block.blockFormat().headingLevel() > 0:
        return HEADING
    kind = prop(block.blockFormat(), P_KIND)
    return kind if kind in (QUOTE, OPAQUE) else PARA


def block_format(kind: str, level: int = 0, group: int = 0) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(8)
    if kind == HEADING:
        fmt.setHeadingLevel(level)
        fmt.setTopMargin(10)
    elif kind in (QUOTE, OPAQUE):
        fmt.setProperty(P_KIND, kind)
        fmt.setProperty(P_GROUP, group)
        fmt.setBackground(SHADE)
        if kind == QUOTE:
            fmt.setLeftMargin(24)
            fmt.setTopMargin(4)
        else:
            fmt.setBottomMargin(0)
    elif kind == ITEM:
        fmt.setBottomMargin(2)
    return fmt


def char_format(run: Run, kind: str, level: int, base: QFont) -> QTextCharFormat:
    """The character format of a run in a block of the given kind."""
    fmt = QTextCharFormat()
    size = base.pointSizeF()
    if kind == HEADING:
        fmt.setFontPointSize(size * HEADING_SCALE.get(level, 1.0))
        fmt.setFontWeight(QFont.Weight.Bold if run.bold else HEADING_WEIGHT)
    else:
        fmt.setFontPointSize(size)
        fmt.setFontWeight(QFont.Weight.Bold if run.bold else QFont.Weight.Normal)
    fmt.setFontItalic(run.italic)
    if kind == OPAQUE or run.code:
        fmt.setFontFamilies(monospace())
        fmt.setFontPointSize(size * 0.9)
    else:
        fmt.setFontFamilies(base.families())
    if run.href:
        fmt.setAnchor(True)
        fmt.setAnchorHref(run.href)
        fmt.setFontUnderline(True)
        fmt.setForeground(QGuiApplication.palette().link())  # readable in light and dark
        fmt.setToolTip(run.href)
    if run.raw:
        fmt.setProperty(P_RAW, True)
        fmt.setProperty(P_CODE, run.code)
        fmt.setBackground(RAW_SHADE)
    return fmt


def block_runs(block: QTextBlock) -> list[Run]:
    runs: list[Run] = []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        if frag.isValid():
            fmt = frag.charFormat()
            runs.append(Run(
                frag.text(),
                fmt.fontWeight() >= QFont.Weight.Bold,
                fmt.fontItalic(),
                fmt.anchorHref() if fmt.isAnchor() else "",
                bool(prop(fmt, P_RAW)),
                bool(prop(fmt, P_CODE)),
            ))
        it += 1
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1]._replace(text="") == run._replace(text=""):
            merged[-1] = merged[-1]._replace(text=merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    return merged


def signature(block: QTextBlock) -> Signature:
    kind = block_kind(block)
    fmt = block.blockFormat()
    if kind == OPAQUE:
        return (kind, prop(fmt, P_GROUP), block.text())
    where: tuple = ()
    if kind == ITEM:
        lst = text_list(block)
        lfmt = lst.format()
        first = lst.itemNumber(block) == 0 and lfmt.style() == QTextListFormat.Style.ListDecimal
        where = (lfmt.indent(), lfmt.style(), prop(lfmt, P_GROUP), prop(lfmt, P_MARKER),
                 first)
    elif kind == HEADING:
        where = (fmt.headingLevel(),)
    elif kind == QUOTE:
        where = (prop(fmt, P_GROUP),)
    return (kind, where, tuple(block_runs(block)))


def _display(lines: list[str]) -> list[Run]:
    text = "\n".join(line.lstrip(" \t") for line in lines).rstrip(" \t")
    return parse_inline(text.translate(_SANITIZE))


def render(layout: Layout, doc: QTextDocument) -> list[Signature]:
    """Fill `doc` (cleared first) with the layout's chunks; return their signatures."""
    doc.clear()
    base = doc.defaultFont()
    cursor = QTextCursor(doc)
    # One edit: the layout (and any highlighter) hears of the new text once, at the end,
    # not after each of the hundreds of runs of a long story.
    cursor.beginEditBlock()
    try:
        _fill(layout, cursor, base)
    finally:
        cursor.endEditBlock()
    signatures = []
    block = doc.begin()
    while block.isValid():
        signatures.append(signature(block))
        block = block.next()
    return signatures if layout.chunks else []


def _fill(layout: Layout, cursor: QTextCursor, base: QFont) -> None:
    lists: dict[tuple[int, int], QTextList] = {}
    formats: dict[tuple, QTextCharFormat] = {}  # most runs share a handful of styles

    def run_format(run: Run, kind: str, level: int) -> QTextCharFormat:
        key = (run._replace(text=""), kind, level)
        fmt = formats.get(key)
        if fmt is None:
            fmt = formats[key] = char_format(run, kind, level, base)
        return fmt

    for index, chunk in enumerate(layout.chunks):
        kind = chunk.kind
        bfmt = block_format(kind, chunk.level, chunk.group)
        plain = run_format(Run(""), kind, chunk.level)
        if index == 0:
            cursor.setBlockFormat(bfmt)
            cursor.setBlockCharFormat(plain)
        else:
            cursor.insertBlock(bfmt, plain)
        if kind == OPAQUE:
            runs = [Run(chunk.lines[0].translate(_SANITIZE))]
        else:
            runs = _display(chunk.lines)
        following = layout.chunks[index + 1] if index + 1 < len(layout.chunks) else None
        if kind in (ITEM, OPAQUE) and (following is None or following.group != chunk.group):
            bfmt.setBottomMargin(10)  # room after the last line of a list or protected block
            cursor.setBlockFormat(bfmt)
        if kind == ITEM:
            _add_to_list(cursor, chunk, lists)
        for run in runs:
            cursor.insertText(run.text, run_format(run, kind, chunk.level))
    if not layout.chunks:
        # An empty body still starts a paragraph: Enter copies this block's format, and the
        # default one has no margin, so typed paragraphs would look like line breaks.
        cursor.setBlockFormat(block_format(PARA))
        cursor.setBlockCharFormat(char_format(Run(""), PARA, 0, base))


def _add_to_list(cursor: QTextCursor, chunk: Chunk, lists: dict) -> None:
    for key in [k for k in lists if k[0] == chunk.group and k[1] > chunk.level]:
        del lists[key]  # a deeper list ended: the next one at that depth is a new list
    key = (chunk.group, chunk.level)
    if key in lists:
        lists[key].add(cursor.block())
        return
    ordered = chunk.marker[0].isdigit()
    lfmt = QTextListFormat()
    lfmt.setIndent(chunk.level)
    lfmt.setProperty(P_GROUP, chunk.group)
    if ordered:
        lfmt.setStyle(QTextListFormat.Style.ListDecimal)
        lfmt.setStart(int(chunk.marker[:-1]))
        lfmt.setNumberSuffix(chunk.marker[-1])
        lfmt.setProperty(P_MARKER, chunk.marker[-1])
    else:
        lfmt.setStyle(LIST_STYLES[(chunk.level - 1) % len(LIST_STYLES)])
        lfmt.setProperty(P_MARKER, chunk.marker)
    lists[key] = cursor.createList(lfmt)


def serialize_block(block: QTextBlock, newline: str) -> str | None:
    """Markdown for an edited block, or None for an empty block (it is dropped)."""
    kind = block_kind(block)
    if kind == OPAQUE:
        return block.text().replace(HARD_BREAK, newline)
    runs = block_runs(block)
    if kind == HEADING:
        runs = [r._replace(text=r.text.replace(HARD_BREAK, " ")) for r in runs]
        text = serialize_inline(runs, newline).rstrip()
        if text.endswith("#") and not _escaped_end(text):
            text = text[:-1] + "\\#"  # else it closes the heading and goes
        return "#" * block.blockFormat().headingLevel() + " " + text if text else None
    if kind == ITEM:
        lst = text_list(block)
        lfmt = lst.format()
        indent = "    " * max(0, lfmt.indent() - 1)
        if lfmt.style() == QTextListFormat.Style.ListDecimal:
            delimiter = prop(lfmt, P_MARKER) or "."
            marker = f"{lfmt.start() + lst.itemNumber(block)}{delimiter}"
        else:
            marker = prop(lfmt, P_MARKER) or "-"
        text = serialize_inline(runs, newline, indent + " " * (len(marker) + 1))
        return f"{indent}{marker} {text}" if text else f"{indent}{marker}"
    prefix = "> " if kind == QUOTE else ""
    text = serialize_inline(runs, newline, prefix)
    return prefix + text if text else None


def _escaped_end(text: str) -> bool:
    """Whether the last character of `text` is already escaped (an odd run of backslashes
    before it): a heading of a lone `#` is written `\\#`, not `\\\\#`."""
    stem = text[:-1]
    return (len(stem) - len(stem.rstrip("\\"))) % 2 == 1


def _separator(a: QTextBlock, b: QTextBlock, newline: str) -> str:
    ka, kb = block_kind(a), block_kind(b)
    if ka == kb == ITEM:
        ga = prop(text_list(a).format(), P_GROUP)
        if ga == prop(text_list(b).format(), P_GROUP):
            return newline
    same = prop(a.blockFormat(), P_GROUP) == prop(b.blockFormat(), P_GROUP)
    if ka == kb and ka in (QUOTE, OPAQUE) and same:
        return newline + ">" + newline if ka == QUOTE else newline
    return newline * 2


def to_markdown(
    doc: QTextDocument, layout: Layout, original: list[Signature],
    current: list[Signature] | None = None,
) -> tuple[str, list[tuple[int, int, int]]]:
    """The document as Markdown, and (block number, start, end) of each block's text.
    `current`: the blocks' signatures, when the caller knows them (right after render)."""
    blocks: list[QTextBlock] = []
    block = doc.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    if current is None or len(current) != len(blocks):
        current = [signature(b) for b in blocks]
    kept: dict[int, int] = {}  # current block -> original chunk, unchanged
    place: dict[int, int] = {}  # current block -> original chunk it stands in for
    if current == original:
        kept = dict(enumerate(range(len(blocks))))
    else:
        matcher = SequenceMatcher(None, original, current, autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal":
                kept.update(zip(range(b1, b2), range(a1, a2), strict=True))
            elif tag == "replace" and a2 - a1 == b2 - b1:  # blocks edited in place
                place.update(zip(range(b1, b2), range(a1, a2), strict=True))
    place.update(kept)
    newline = layout.newline
    out: list[str] = []
    spans: list[tuple[int, int, int]] = []
    length = 0
    previous: tuple[QTextBlock, int] | None = None
    for j, blk in enumerate(blocks):
        i = kept.get(j)
        text = layout.chunks[i].source if i is not None else serialize_block(blk, newline)
        if text is None:
            continue
        if previous is not None:
            pblock, pj = previous
            pi, i_here = place.get(pj), place.get(j)
            same_kinds = (
                pi is not None and i_here == pi + 1
                and original[pi][0] == current[pj][0] and original[i_here][0] == current[j][0]
            )
            sep = layout.chunks[pi].sep if same_kinds else _separator(pblock, blk, newline)
            out.append(sep)
            length += len(sep)
        spans.append((blk.blockNumber(), length, length + len(text)))
        out.append(text)
        length += len(text)
        previous = (blk, j)
    body = "".join(out)
    if not layout.chunks:
        return (body + newline if body else layout.leading), spans
    if not body:
        return "", []
    shift = len(layout.leading)
    spans = [(n, s + shift, e + shift) for n, s, e in spans]
    return layout.leading + body + layout.trailing, spans
