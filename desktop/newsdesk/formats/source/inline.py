"""Inline Markdown of one block read into styled runs, for the editable subset.

Recognised: `**strong**`/`__strong__`, `*em*`/`_em_` (CommonMark delimiter rules), simple
links `[text](url)`, backslash escapes and hard breaks (two trailing spaces or a
backslash). Everything else that is markup (code spans, images, autolinks, inline HTML
such as `<TK>`, bracketed text such as `[[check name]]` or reference links, entities) is a
*raw* run: shown as written and written back exactly as written. A tag-like stretch is raw
only while it holds no escape, emphasis, bracket or line break, as the export reads it
(see `_MARKUP_IN_TAG_RE`). A hard break is the character U+2028 in a run's text.

Writing runs back to Markdown is in inline_write.py.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from typing import NamedTuple

HARD_BREAK = "\u2028"
PUNCT = set(string.punctuation)

_AUTOLINK_RE = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*)>"
)
_ATTR = r"""(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_TAG_RE = re.compile(
    rf"<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>|<!--.*?-->"
    r"|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.S,
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINK_RE = re.compile(
    r"\[((?:[^\[\]\\]|\\.)*)\]\((?:<([^<>\n]*)>|([^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*))\)",
    re.S,
)
# The export renders a body with raw HTML switched off (formats/html.py): there, `<b>` is
# text, and escapes, emphasis, links and line breaks inside it are read as everywhere
# else. A tag-like stretch is shown raw (and written back as is) only while reading it as
# text would give the same: it holds none of those. Otherwise a line break, an escape or
# a link the writer put inside it was swallowed (`x <!a`, a hard break, `> y` read back
# as `x <!a   \> y`). An autolink is a link in the export too (python-markdown reads
# escapes in it, not emphasis), so only escapes, brackets and line breaks break one.
_MARKUP_IN_TAG_RE = re.compile(r"[\\\n*_\[\]`]")
_MARKUP_IN_AUTOLINK_RE = re.compile(r"[\\\n\[\]]")
# Characters that may start markup. The text between them is taken a stretch at a time:
# taken a character at a time, it was most of the time it took to open a long story.
_PLAIN_RE = re.compile(r"[^\\`<&\[!*_\n]+")
_RUN_RE = {"*": re.compile(r"\*+"), "_": re.compile(r"_+"), "`": re.compile(r"`+")}


class Run(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    raw: bool = False  # written back verbatim, never escaped
    code: bool = False  # a raw code span (shown in monospace)

    def style(self) -> tuple[bool, bool, str]:
        return self.bold, self.italic, self.href


class _Tok:
    __slots__ = ("can_close", "can_open", "char", "count", "em", "kind", "orig", "runs",
                 "strong", "text")

    def __init__(self, kind: str, text: str = "") -> None:
        self.kind, self.text = kind, text
        self.strong = self.em = 0
        self.char, self.count, self.orig = "", 0, 0
        self.can_open = self.can_close = False
        self.runs: list[Run] = []


def is_space(ch: str) -> bool:
    return ch.isspace() or ch == HARD_BREAK


def is_punct(ch: str) -> bool:
    return ch in PUNCT or unicodedata.category(ch)[0] in "PS"


def bracket_end(text: str, start: int) -> int:
    """Index of the `]` matching the `[` at start, or -1."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _group_end(text: str, start: int, opener: str, closer: str) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _raw_match(src: str, i: int) -> re.Match[str] | None:
    if src[i] == "<":
        link = _AUTOLINK_RE.match(src, i)
        if link:
            return None if _MARKUP_IN_AUTOLINK_RE.search(link.group(0)) else link
        tag = _TAG_RE.match(src, i)
        return None if tag is None or _MARKUP_IN_TAG_RE.search(tag.group(0)) else tag
    return _ENTITY_RE.match(src, i) if src[i] == "&" else None


def _tokenize(src: str) -> list[_Tok]:
    return _Tokenizer(src).run()


class _Tokenizer:
    """Cuts one block's inline source into text, raw, code, link and delimiter tokens."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.toks: list[_Tok] = []
        self.buf: list[str] = []

    def run(self) -> list[_Tok]:
        i = 0
        while i < len(self.src):
            i = self._step(i)
        self._flush()
        return self.toks

    def _flush(self) -> None:
        if self.buf:
            self.toks.append(_Tok("text", "".join(self.buf)))
            self.buf.clear()

    def _raw(self, text: str, kind: str = "raw") -> None:
        self._flush()
        self.toks.append(_Tok(kind, text.replace("\n", " ")))

    def _step(self, i: int) -> int:
        """Read what starts at i; return where the next token starts."""
        src = self.src
        if (plain := _PLAIN_RE.match(src, i)):
            self.buf.append(plain.group(0))
            return plain.end()
        ch = src[i]
        if ch == "\\" and i + 1 < len(src) and (src[i + 1] in PUNCT or src[i + 1] == "\n"):
            return self._escape(i)
        if ch == "`":
            return self._code(i)
        if (m := _raw_match(src, i)):
            self._raw(m.group(0))
            return m.end()
        if ch == "[" or (ch == "!" and src.startswith("[", i + 1)):
            return self._bracket(i)
        if ch in "*_":
            return self._delimiter(i)
        if ch == "\n":
            return self._line_end(i)
        self.buf.append(ch)
        return i + 1

    def _escape(self, i: int) -> int:
        if self.src[i + 1] == "\n":
            self._flush()
            self.toks.append(_Tok("text", HARD_BREAK))
        else:
            self.buf.append(self.src[i + 1])
        return i + 2

    def _code(self, i: int) -> int:
        src = self.src
        ticks = _RUN_RE["`"].match(src, i).end() - i  # type: ignore[union-attr]
        close = re.compile(rf"(?<!`)`{{{ticks}}}(?!`)").search(src, i + ticks)
        if close:
            self._raw(src[i : close.end()], "code")
            return close.end()
        self.buf.append(src[i : i + ticks])
        return i + ticks

    def _bracket(self, i: int) -> int:
        src, ch = self.src, self.src[i]
        link = _LINK_RE.match(src, i) if ch == "[" else None
        if link:
            self._flush()
            tok = _Tok("link")
            tok.text = link.group(2) if link.group(2) is not None else link.group(3)
            tok.runs = parse_inline(link.group(1))
            self.toks.append(tok)
            return link.end()
        end = bracket_end(src, i + (ch == "!"))
        if end < 0:
            self.buf.append(ch)
            return i + 1
        stop = end + 1
        while stop < len(src) and src[stop] in "([":
            closing = _group_end(src, stop, src[stop], ")" if src[stop] == "(" else "]")
            if closing < 0:
                break
            stop = closing + 1
        self._raw(src[i:stop])
        return stop

    def _delimiter(self, i: int) -> int:
        src, ch = self.src, self.src[i]
        run = _RUN_RE[ch].match(src, i).end() - i  # type: ignore[union-attr]
        before = src[i - 1] if i else " "
        after = src[i + run] if i + run < len(src) else " "
        left = not is_space(after) and (
            not is_punct(after) or is_space(before) or is_punct(before)
        )
        right = not is_space(before) and (
            not is_punct(before) or is_space(after) or is_punct(after)
        )
        self._flush()
        tok = _Tok("delim")
        tok.char, tok.count, tok.orig = ch, run, run
        if ch == "*":
            tok.can_open, tok.can_close = left, right
        else:
            tok.can_open = left and (not right or is_punct(before))
            tok.can_close = right and (not left or is_punct(after))
        self.toks.append(tok)
        return i + run

    def _line_end(self, i: int) -> int:
        text = "".join(self.buf)
        stripped = text.rstrip(" ")
        self.buf[:] = [stripped]
        self._flush()
        self.toks.append(_Tok("text", HARD_BREAK if len(text) - len(stripped) >= 2 else " "))
        return i + 1


def _may_pair(opener: _Tok, closer: _Tok) -> bool:
    """Whether a closing delimiter run may close an opener (CommonMark's rule of three:
    when either run can both open and close, their lengths may not add up to a multiple
    of three unless both are multiples of three)."""
    if opener.char != closer.char or not opener.count:
        return False
    both = opener.can_close or closer.can_open
    return not (both and (opener.orig + closer.orig) % 3 == 0
                and (opener.orig % 3 or closer.orig % 3))


def _pair(toks: list[_Tok], opener_at: int, closer_at: int) -> None:
    """Match an opener with a closer: strong when both have two left, else emphasis over
    the tokens between them; the delimiters used are taken off both."""
    opener, closer = toks[opener_at], toks[closer_at]
    use = 2 if opener.count >= 2 and closer.count >= 2 else 1
    for tok in toks[opener_at + 1 : closer_at]:
        if use == 2:
            tok.strong += 1
        else:
            tok.em += 1
    opener.count -= use
    closer.count -= use


def _close(toks: list[_Tok], openers: list[int], closer_at: int) -> list[int]:
    """Pair the delimiter run at `closer_at` with the nearest openers it may close; the
    openers still open after."""
    closer = toks[closer_at]
    while closer.can_close and closer.count:
        found = next((j for j in reversed(openers) if _may_pair(toks[j], closer)), None)
        if found is None:
            break
        _pair(toks, found, closer_at)
        left = toks[found].count
        openers = [j for j in openers if j < found or (j == found and left)]
    return openers


def _emphasis(toks: list[_Tok]) -> None:
    """Mark the tokens inside matched delimiter runs as emphasis or strong."""
    openers: list[int] = []
    for i, tok in enumerate(toks):
        if tok.kind != "delim":
            continue
        openers = _close(toks, openers, i)
        if tok.count and tok.can_open:
            openers.append(i)


def merge_runs(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1]._replace(text="") == run._replace(text=""):
            merged[-1] = merged[-1]._replace(text=merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def parse_inline(src: str) -> list[Run]:
    """Styled runs of one block's inline source (lines joined by newlines)."""
    return list(_parse_inline(src))


@lru_cache(maxsize=4096)
def _parse_inline(src: str) -> tuple[Run, ...]:
    # Runs are immutable, so one parse serves every story that has this block: opening a
    # story again, or the next version of it, parses only the blocks that changed.
    toks = _tokenize(src)
    _emphasis(toks)
    runs: list[Run] = []
    for tok in toks:
        bold, italic = tok.strong > 0, tok.em > 0
        if tok.kind == "link":
            runs.extend(
                r._replace(bold=r.bold or bold, italic=r.italic or italic, href=tok.text)
                for r in tok.runs
            )
        elif tok.kind == "delim":
            runs.append(Run(tok.char * tok.count, bold, italic))
        else:
            runs.append(Run(tok.text, bold, italic, "", tok.kind != "text", tok.kind == "code"))
    return tuple(merge_runs(runs))
