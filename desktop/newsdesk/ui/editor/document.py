"""The Qt bridge between a Markdown body and a QTextDocument, in both directions.

`render()` puts one QTextBlock per chunk of the body (formats/source/blocks.py) and
returns the *signature* of every block as rendered: its kind, level, list, and styled
runs. `to_markdown()` hands the document's current signatures to the engine's
`write_back` (formats/source/splice.py): a block whose signature is unchanged writes back
its original source, and only blocks that differ are written from their formats here,
so untouched text is never re-encoded.
"""

from __future__ import annotations

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

from newsdesk.formats.source.blocks import HEADING, ITEM, OPAQUE, PARA, QUOTE, Chunk, Layout
from newsdesk.formats.source.inline import HARD_BREAK, Run
from newsdesk.formats.source.inline_write import serialize_inline
from newsdesk.formats.source.splice import (
    Signature,
    Span,
    display_runs,
    heading_source,
    sanitize,
    write_back,
)

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


def prop(fmt: QTextFormat, key: int) -> object:
    """A format property, or None; never asks Qt for an unset one (PySide6 6.12 then
    releases a reference to None it does not own, which crashes the interpreter)."""
    return fmt.property(key) if fmt.hasProperty(key) else None


def text_list(block: QTextBlock) -> QTextList | None:
    """The block's list, or None (asked of Qt only for a block in a list: as above,
    a None from PySide6 6.12 here costs None a reference)."""
    return block.textList() if block.blockFormat().objectIndex() >= 0 else None


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
        runs = [Run(sanitize(chunk.lines[0]))] if kind == OPAQUE else display_runs(chunk.lines)
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
        return heading_source(block.blockFormat().headingLevel(),
                              serialize_inline(runs, newline))
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
) -> tuple[str, list[Span]]:
    """The document as Markdown, and (block number, start, end) of each block's text.
    `current`: the blocks' signatures, when the caller knows them (right after render)."""
    blocks: list[QTextBlock] = []
    block = doc.begin()
    while block.isValid():
        blocks.append(block)
        block = block.next()
    if current is None or len(current) != len(blocks):
        current = [signature(b) for b in blocks]
    newline = layout.newline
    return write_back(
        layout, original, current,
        lambda j: serialize_block(blocks[j], newline),
        lambda i, j: _separator(blocks[i], blocks[j], newline),
    )
