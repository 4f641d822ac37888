"""Styled runs back to Markdown, escaping only what would otherwise change meaning.

The writer checks its own output by parsing it again (inline.py) and falls back to simpler
markers, then to dropping an emphasis Markdown cannot express where it is; the text itself
always survives. Raw HTML is text in this project's export (formats/html.py), so `<` is
never escaped (python-markdown would show `\\<`); a `!` after it at a line start is.
"""

from __future__ import annotations

import re

from newsdesk.formats.source.inline import (
    HARD_BREAK,
    PUNCT,
    Run,
    bracket_end,
    is_punct,
    is_space,
    merge_runs,
    parse_inline,
)
from newsdesk.formats.source.lines import starts_html_block


def _holds_markup(inner: str) -> bool:
    """Whether a bracket pair's inside is or becomes markup when written back (an escape
    or a hard break written inside would stay in the text: `[![]]` read back as
    `[\\![]]`)."""
    return (any(c in "*_\\`" + HARD_BREAK for c in inner)
            or any(pair in inner for pair in ("![", "](", "][")))


def _may_make_link(follow: str, after: str) -> bool:
    """Whether what follows a closing bracket (`follow`, the next character of this run;
    `after`, the text after the run) could make the pair a link or a reference."""
    if follow:
        return follow in "([:"
    return bool(after)  # the next run may start with "[" or "("


def _risky_brackets(text: str, after: str) -> set[int]:
    """Where a `[` of `text` must be escaped: a bracket pair left as written is read back
    raw, so it must close in this run and hold nothing that is or becomes markup, and
    nothing may follow it that makes it a link."""
    risky: set[int] = set()
    # From the right: a pair is risky when a pair inside it is (that one gets escaped).
    for i in reversed([k for k, ch in enumerate(text) if ch == "["]):
        end = bracket_end(text, i)
        if (
            end < 0 or _holds_markup(text[i + 1 : end])
            or _may_make_link(text[end + 1 : end + 2], after)
            or any(k in risky for k in range(i + 1, end))
        ):
            risky.add(i)
    return risky


def _escape_backslash(nxt: str, last: bool) -> str:
    """A backslash is doubled where it would escape what follows (or end the text)."""
    return "\\\\" if last or nxt in PUNCT or nxt == HARD_BREAK else "\\"


def _escape_underscore(text: str, i: int, nxt: str) -> str:
    """An underscore inside a word stays as it is (it cannot emphasise there)."""
    prev = text[i - 1] if i else " "
    return "_" if prev.isalnum() and nxt.isalnum() else "\\_"


def _escape_char(text: str, i: int, in_link: bool, risky: set[int], after: str) -> str:
    """The character at `i` of `text` as written: escaped where it would be markup."""
    ch = text[i]
    last = i + 1 == len(text)
    nxt = " " if last else text[i + 1]
    opens_image = ch == "!" and (nxt == "[" or last)  # "![" starts an image
    if ch in "*`" or (in_link and ch in "[]") or opens_image:
        return "\\" + ch
    if ch == "_":
        return _escape_underscore(text, i, nxt)
    if ch == "\\":
        return _escape_backslash(nxt, last)
    if ch == "[":
        return "\\[" if i in risky and "]" in text[i:] + after else "["
    return ch


def _escape(text: str, in_link: bool, after: str = "") -> str:
    """Escape what would be markup in `text`; `after` is the block's text that follows."""
    risky = set() if in_link or "[" not in text else _risky_brackets(text, after)
    return "".join(_escape_char(text, i, in_link, risky, after) for i in range(len(text)))


def _normalize(runs: list[Run]) -> list[Run]:
    """Whitespace at the edges of a bold or an italic span goes outside its markers."""
    chars = [[ch, run] for run in merge_runs(runs) for ch in run.text]
    for attr in ("bold", "italic"):
        i = 0
        while i < len(chars):
            if not getattr(chars[i][1], attr):
                i += 1
                continue
            j = i
            while j < len(chars) and getattr(chars[j][1], attr):
                j += 1
            span = range(i, j)
            for edge in (span, reversed(span)):
                for k in edge:
                    ch, run = chars[k]
                    if run.raw or not is_space(ch):
                        break
                    chars[k][1] = run._replace(**{attr: False})
            i = j
    return merge_runs([run._replace(text=ch) for ch, run in chars])


def _mark(marks: tuple[str, str], kind: str) -> str:
    """The marker of a kind of emphasis: "b" bold, "i" italic."""
    return marks[0] if kind == "b" else marks[1]


def _wanted(run: Run) -> set[str]:
    return {kind for kind, on in (("b", run.bold), ("i", run.italic)) if on}


def _lasting(runs: list[Run], start: int, kind: str) -> int:
    """How many runs from `start` on keep an emphasis: the longer one opens first."""
    key = "bold" if kind == "b" else "italic"
    length = 0
    for later in runs[start:]:
        if not getattr(later, key):
            break
        length += 1
    return length


def _reopen(runs: list[Run], index: int, stack: list[str], marks: tuple[str, str]) -> str:
    """Close the open emphasis the run at `index` lacks, open what it adds (`stack` is
    the emphasis open, innermost last); the markers written."""
    want = _wanted(runs[index])
    out: list[str] = []
    while stack and not set(stack) <= want:
        out.append(_mark(marks, stack.pop()))
    missing = [m for m in ("b", "i") if m in want and m not in stack]
    for kind in sorted(missing, key=lambda m: _lasting(runs, index, m), reverse=True):
        stack.append(kind)
        out.append(_mark(marks, kind))
    return "".join(out)


def _emit_plain(runs: list[Run], marks: tuple[str, str], in_link: bool, after: str = "") -> str:
    out: list[str] = []
    stack: list[str] = []  # "b" or "i"
    for index, run in enumerate(runs):
        opened = _reopen(runs, index, stack, marks)
        if opened:
            out.append(opened)
        rest = "".join(r.text for r in runs[index + 1 :]) + after
        text = run.text if run.raw else _escape(run.text, in_link, rest)
        if not run.raw and out and out[-1].endswith("]") and text.startswith(("(", "[", ":")):
            text = "\\" + text  # "](" after a bracketed raw run would make a link
        out.append(text)
    out.extend(_mark(marks, kind) for kind in reversed(stack))
    return "".join(out)


def quote_href(url: str) -> str:
    """A link target as written in Markdown: no spaces, angle brackets or lone parens."""
    url = url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    url = re.sub(r"\s", lambda m: f"%{ord(m.group(0)):02X}", url)
    depth = 0
    for ch in url:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth:
        url = url.replace("(", "%28").replace(")", "%29")
    return url


def _emit(runs: list[Run], marks: tuple[str, str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(runs):
        href = runs[i].href
        j = i
        while j < len(runs) and runs[j].href == href:
            j += 1
        if href:
            inner = [r._replace(href="") for r in runs[i:j]]
            text = _emit_plain(_normalize(inner), marks, True)
            out.append(f"[{text}]({quote_href(href)})")
        else:
            after = "".join(r.text for r in runs[j:])
            out.append(_emit_plain(runs[i:j], marks, False, after))
        i = j
    return "".join(out)


_LINE_START_RES = (
    (re.compile(r"^(#{1,6})(?=[ \t]|$)"), 0),
    # `<!` opens an HTML block (comment, declaration, CDATA) that the editor keeps as
    # written, escapes and all; `<\!` is the same text in the editor and the export.
    (re.compile(r"^<(!)"), 1),
    (re.compile(r"^(?:[>]|[+-](?=[ \t]|$)|[=-]+[ \t]*$|~~~)"), 0),
    (re.compile(r"^\d{1,9}([.)])(?=[ \t]|$)"), 1),
)


def _escape_line_start(line: str) -> str:
    line = line.lstrip(" \t")
    for pattern, group in _LINE_START_RES:
        match = pattern.match(line)
        if match:
            at = match.start(group)
            return line[:at] + "\\" + line[at:]
    return line


def _comparable(runs: list[Run]) -> list[tuple[str, tuple[bool, bool, str]]]:
    plain = merge_runs([Run(r.text, r.bold, r.italic, quote_href(r.href)) for r in runs])
    return [(r.text, r.style()) for r in plain]


def _plain_edges(runs: list[Run]) -> list[Run]:
    """Emphasis dropped from runs that start or end with punctuation (not expressible
    next to a letter in Markdown)."""
    return [
        r._replace(bold=False, italic=False)
        if not r.raw and r.text and (is_punct(r.text[0]) or is_punct(r.text[-1])) else r
        for r in runs
    ]


def serialize_inline(runs: list[Run], newline: str = "\n", indent: str = "") -> str:
    """Markdown for styled runs; hard breaks become two spaces, a newline and `indent`.

    The text always survives; if Markdown cannot express an emphasis where it is (say,
    italic punctuation glued to a word), that emphasis is dropped rather than written as
    stray asterisks.
    """
    runs = _normalize(runs)
    while runs and not runs[-1].raw and runs[-1].text.rstrip(" \t" + HARD_BREAK) == "":
        runs.pop()
    fallback = ""
    for variant in (runs, _plain_edges(runs), [r._replace(bold=False, italic=False)
                                                for r in runs]):
        variant = _normalize(variant)
        wanted = _comparable(variant)
        for marks in (("**", "*"), ("__", "_"), ("**", "_"), ("__", "*")):
            lines = [_escape_line_start(line).rstrip(" \t")
                     for line in _emit(variant, marks).split(HARD_BREAK)]
            lines = [line for line in lines if line] or [""]
            # An indented continuation line cannot open an HTML block; the indent is not shown.
            lines[1:] = ["    " + ln if starts_html_block(ln) else ln for ln in lines[1:]]
            candidate = ("  " + newline + indent).join(lines)
            fallback = candidate
            if _comparable(parse_inline("  \n".join(lines))) == wanted:
                return candidate
    return fallback
