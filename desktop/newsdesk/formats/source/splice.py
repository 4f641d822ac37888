"""Writing an edited body back without re-encoding what was not edited.

The editor shows one block per Chunk of the body (blocks.py) and knows, for each block,
a *signature* (its kind, where it sits, its styled runs) as rendered and as it is now.
`write_back` lines the two lists of signatures up (difflib): a block whose signature is
unchanged writes back its chunk's source byte for byte, and two such blocks that were
neighbours keep the exact text that separated them. Only blocks that differ are written
from what they show (the caller's `serialize`). Positions are reported in Markdown
offsets, so the editor can map a finding in the Markdown to the text on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher

from newsdesk.formats.source.blocks import Layout
from newsdesk.formats.source.inline import Run, parse_inline

# A block as the editor shows it: (kind, where it sits, what it holds); [0] is the kind.
Signature = tuple[Hashable, ...]
# (block number, start, end) of each written block's text in the Markdown.
Span = tuple[int, int, int]

# Characters a text block cannot hold as they are (the Qt document treats them as block
# or line separators, or refuses them): shown as a space or a replacement character.
_SANITIZE = str.maketrans({"\r": " ", "\u2028": " ", "\u2029": " ", "\x00": "\ufffd"})


def utf16_len(text: str) -> int:
    """Length in Qt document positions (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def sanitize(text: str) -> str:
    """Text a document block can hold, with the same length."""
    return text.translate(_SANITIZE)


def display_runs(lines: Sequence[str]) -> list[Run]:
    """The styled runs a rich chunk shows: its lines' inline Markdown, indents dropped."""
    text = "\n".join(line.lstrip(" \t") for line in lines).rstrip(" \t")
    return parse_inline(sanitize(text))


def block_offset(source: str, shown: str, offset: int) -> int:
    """The offset in a block's shown text of the character at `offset` of its Markdown."""
    matcher = SequenceMatcher(None, source, shown, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        if offset < a:
            return b
        if offset < a + size:
            return b + offset - a
    return len(shown)


def heading_source(level: int, text: str) -> str | None:
    """An ATX heading of `text` (its inline Markdown), or None for an empty one (dropped).
    A final `#` is escaped: else it closes the heading and goes."""
    text = text.rstrip()
    if not text:
        return None
    if text.endswith("#") and not _escaped_end(text):
        text = text[:-1] + "\\#"
    return "#" * level + " " + text


def _escaped_end(text: str) -> bool:
    """Whether the last character of `text` is already escaped (an odd run of backslashes
    before it): a heading of a lone `#` is written `\\#`, not `\\\\#`."""
    stem = text[:-1]
    return (len(stem) - len(stem.rstrip("\\"))) % 2 == 1


def line_up(original: Sequence[Signature], current: Sequence[Signature]
            ) -> tuple[dict[int, int], dict[int, int]]:
    """Which block now stands for which chunk: `kept` (block -> chunk, unchanged) and
    `place` (block -> chunk it stands in for, unchanged or edited in place)."""
    kept: dict[int, int] = {}
    place: dict[int, int] = {}
    if list(current) == list(original):
        kept = dict(enumerate(range(len(current))))
    else:
        matcher = SequenceMatcher(None, original, current, autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            if tag == "equal":
                kept.update(zip(range(b1, b2), range(a1, a2), strict=True))
            elif tag == "replace" and a2 - a1 == b2 - b1:  # blocks edited in place
                place.update(zip(range(b1, b2), range(a1, a2), strict=True))
    place.update(kept)
    return kept, place


def write_back(
    layout: Layout,
    original: Sequence[Signature],
    current: Sequence[Signature],
    serialize: Callable[[int], str | None],
    separator: Callable[[int, int], str],
) -> tuple[str, list[Span]]:
    """The body as Markdown, and the span of each block's text in it.

    `original`: the signatures as rendered from `layout`; `current`: as they are now.
    `serialize(j)` writes block j from what it shows (None: an empty block, dropped);
    `separator(i, j)` is what goes between two written blocks that were not neighbours.
    """
    kept, place = line_up(original, current)
    newline = layout.newline
    out: list[str] = []
    spans: list[Span] = []
    length = 0
    previous: int | None = None
    for j in range(len(current)):
        i = kept.get(j)
        text = layout.chunks[i].source if i is not None else serialize(j)
        if text is None:
            continue
        if previous is not None:
            pi, here = place.get(previous), place.get(j)
            same_kinds = (
                pi is not None and here == pi + 1
                and original[pi][0] == current[previous][0] and original[here][0] == current[j][0]
            )
            sep = layout.chunks[pi].sep if same_kinds else separator(previous, j)
            out.append(sep)
            length += len(sep)
        spans.append((j, length, length + len(text)))
        out.append(text)
        length += len(text)
        previous = j
    body = "".join(out)
    if not layout.chunks:
        return (body + newline if body else layout.leading), spans
    if not body:
        return "", []
    shift = len(layout.leading)
    return layout.leading + body + layout.trailing, [(n, s + shift, e + shift)
                                                     for n, s, e in spans]
