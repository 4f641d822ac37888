"""Bodies of wire items as Markdown: XHTML, NITF's body.content, ninjs HTML, plain text.

Faithful: paragraphs, subheads (h1-h6, NITF hl1/hl2), lists, quotes (blockquote, NITF
bq), preformatted text, tables, emphasis, links and line breaks become their Markdown,
and every piece of text is escaped so that it shows as the same text (the escapes of
formats/wire.py). Safe: script, style and other active content are dropped with what is
in them, attributes are never copied, and a link survives only to an http(s) or mailto
address (a `javascript:` link keeps its text, not its target). Pictures (NITF media, img,
figure) are not fetched: they are listed, with their captions, in `Body.media`.
HTML (ninjs body_html) goes through formats/wire_html.py first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit
from xml.etree.ElementTree import Element

from newsdesk.formats.wire import escape_text
from newsdesk.formats.wire_values import one_line

# Dropped with their content: code, styling, embedded documents, the document's head.
DROP = frozenset({
    "script", "style", "template", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "canvas", "noscript", "head", "title", "meta", "link", "base",
    "input", "select", "textarea", "audio", "video", "source", "track", "param",
})
CONTAINERS = frozenset({
    "html", "body", "div", "section", "article", "main", "header", "footer", "aside",
    "nav", "p", "address", "center", "details", "summary", "dd", "dt", "dl", "caption",
    "figcaption", "block", "body.content", "body.end", "tagline", "abstract", "fn", "note",
    "credit", "nitf", "form", "fieldset", "legend",
})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6, "hl1": 1, "hl2": 2}
MEDIA = frozenset({"media", "img"})
EMPHASIS = {"em": "*", "i": "*", "cite": "*", "strong": "**", "b": "**"}
CODE = frozenset({"code", "kbd", "samp", "tt"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# The inline escapes of formats/wire.py (text that Markdown shows as itself), and in a
# link's text every bracket too.
_INLINE_RE = re.compile(r"[\\`*_]|<(?=[A-Za-z/!?])|&(?=#[0-9xX]|[A-Za-z0-9]+;)|\](?=[(\[:])")
_LINK_TEXT_RE = re.compile(r"[\\`*_\[\]]|<(?=[A-Za-z/!?])|&(?=#[0-9xX]|[A-Za-z0-9]+;)")
_ENTITIES = {"<": "&lt;", "&": "&amp;"}
_LIST_ITEM_RE = re.compile(r"^(?:- |\d{1,9}\. )")
_SPACES_RE = re.compile("[ \t\n\r\f]+")  # HTML's white space: a no-break space is text
_URL_SAFE = "!#$%&'*+,-./:;=?@[]^_`{|}~"


@dataclass
class Body:
    """A body as Markdown, and the pictures it referred to (type, source, caption...)."""

    markdown: str
    media: list[dict[str, str]] = field(default_factory=list)


def xml_body(*containers: Element) -> Body:
    """The children of each container (an XHTML body, NITF body.content...) as Markdown."""
    converter = _Converter()
    blocks = [block for container in containers for block in converter.blocks(container)]
    return Body("\n\n".join(blocks), converter.media)


def text_body(text: str) -> str:
    """Plain text (paragraphs separated by blank lines) as Markdown showing the same text."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(escape_text("\n".join(current)))
            current = []
    return "\n\n".join(paragraphs)


def safe_url(href: str) -> str:
    """The address if a link may keep it (http, https, mailto), else ""."""
    href = href.strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return ""
    return href if scheme in URL_SCHEMES else ""


class _Line:
    """Inline Markdown being written: text escaped as it comes, markup as given."""

    def __init__(self, *, at_start: bool = True, in_link: bool = False,
                 styles: frozenset[str] = frozenset()):
        self.parts: list[str] = []
        self.at_start = at_start
        self.in_link = in_link
        self.styles = styles

    def text(self, raw: str | None) -> None:
        if not raw:
            return
        text = _SPACES_RE.sub(" ", raw)
        if self.at_start:
            text = text.lstrip(" ")
            if not text:
                return
            core = text.rstrip(" ")
            escaped = escape_text(core) + text[len(core):]  # block starts escaped too
        else:
            pattern = _LINK_TEXT_RE if self.in_link else _INLINE_RE
            escaped = pattern.sub(lambda m: _ENTITIES.get(m[0], "\\" + m[0]), text)
        self.parts.append(escaped)
        self.at_start = False

    def markup(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.at_start = False

    def br(self) -> None:
        if self.in_link:
            self.parts.append(" ")  # a link's text stays on one line: never a block start
            return
        self.parts.append("\n")
        self.at_start = True

    def child(self, **changes: object) -> _Line:
        options = {"at_start": False, "in_link": self.in_link, "styles": self.styles}
        options.update(changes)
        return _Line(**options)  # type: ignore[arg-type]

    def render(self, hard_breaks: bool = True) -> str:
        lines = [one_line(line) for line in "".join(self.parts).split("\n")]
        return ("  \n" if hard_breaks else " ").join(line for line in lines if line)


class _Converter:
    def __init__(self) -> None:
        self.media: list[dict[str, str]] = []

    def blocks(self, element: Element) -> list[str]:
        """The element's content as Markdown blocks; loose text and inline elements are
        gathered into paragraphs between the block elements."""
        out: list[str] = []
        line = _Line()
        line.text(element.text)
        for child in element:
            name = _name(child)
            if name in CONTAINERS or name in HEADINGS or name in _BLOCK_WRITERS:
                _flush(line, out)
                line = _Line()
                out.extend(self.block(child, name))
            elif name in MEDIA:
                self.add_media(child, name)
            elif name not in DROP:
                self.inline(child, name, line)
            line.text(child.tail)
        _flush(line, out)
        return out

    def block(self, element: Element, name: str) -> list[str]:
        if name in CONTAINERS:
            return self.blocks(element)
        if name in HEADINGS:
            line = _Line(at_start=False)
            self.inline_content(element, line)
            text = line.render(hard_breaks=False)
            if text.endswith("#"):
                text = text[:-1] + "\\#"  # not a closing sequence
            return [f"{'#' * HEADINGS[name]} {text}"] if text else []
        written = _BLOCK_WRITERS[name](self, element)
        return [written] if written else []

    def inline_content(self, element: Element, line: _Line) -> None:
        line.text(element.text)
        for child in element:
            name = _name(child)
            if name in MEDIA:
                self.add_media(child, name)
            elif name not in DROP:
                self.inline(child, name, line)
            line.text(child.tail)

    def inline(self, element: Element, name: str, line: _Line) -> None:
        if name == "br":
            line.br()
        elif name in EMPHASIS and name not in line.styles:
            marker = EMPHASIS[name]
            same = {key for key, value in EMPHASIS.items() if value == marker}
            inner = line.child(styles=line.styles | same)
            self.inline_content(element, inner)
            _wrap(line, inner, marker, marker)
        elif name == "a" and not line.in_link and (url := safe_url(element.get("href", ""))):
            inner = line.child(in_link=True)
            self.inline_content(element, inner)
            if not "".join(inner.parts).strip():
                inner.text(url)
            _wrap(line, inner, "[", f"]({quote(url, safe=_URL_SAFE)})")
        elif name in CODE:
            _code_span(line, "".join(element.itertext()))
        else:
            if name in CONTAINERS or name in HEADINGS:
                line.text(" ")  # a block inside inline text still ends a word
            self.inline_content(element, line)

    def add_media(self, element: Element, name: str) -> None:
        if name == "img":
            entry = {"type": "image", "source": element.get("src", ""),
                     "alt": element.get("alt", "")}
            self.media.append({key: value for key, value in entry.items() if value})
            return
        self.media.append(_nitf_media(element))

    def figure_block(self, element: Element) -> str:
        """A figure's pictures go to media, its figcaption becoming the first one's caption;
        any other text in it stays in the body."""
        before = len(self.media)
        rest = Element("div")
        rest.text = element.text
        rest.extend(child for child in element if _name(child) != "figcaption")
        blocks = self.blocks(rest)
        if len(self.media) == before:
            return "\n\n".join(self.blocks(element))  # no picture: the caption is text
        captions = [_plain(child) for child in element if _name(child) == "figcaption"]
        if captions and captions[0]:
            self.media[before]["caption"] = captions[0]
        return "\n\n".join(blocks)

    def list_block(self, element: Element, ordered: bool) -> str:
        start = element.get("start", "1").strip()
        number = int(start) if ordered and start.isdecimal() and len(start) < 9 else 1
        items: list[str] = []
        for blocks in self._items(element):
            marker = f"{number}. " if ordered else "- "
            text = marker + _indent(blocks[0], 4, first=False)
            for block in blocks[1:]:
                text += ("\n" if _LIST_ITEM_RE.match(block) else "\n\n") + _indent(block, 4)
            items.append(text)
            number += 1
        return "\n".join(items)

    def _items(self, element: Element) -> list[list[str]]:
        items: list[list[str]] = []
        if stray := one_line(element.text):
            items.append([escape_text(stray)])
        for child in element:
            name = _name(child)
            if name in ("ul", "ol") and items:
                items[-1].append(self.list_block(child, name == "ol"))  # nested in the last
            elif name not in DROP and (blocks := self.blocks(child) if name == "li"
                                       else self.block_or_inline(child, name)):
                items.append(blocks)
            if stray := one_line(child.tail):
                items.append([escape_text(stray)])
        return items

    def block_or_inline(self, element: Element, name: str) -> list[str]:
        if name in CONTAINERS or name in HEADINGS or name in _BLOCK_WRITERS:
            return self.block(element, name)
        if name in MEDIA:
            self.add_media(element, name)
            return []
        line = _Line()
        self.inline(element, name, line)
        text = line.render()
        return [text] if text else []

    def quote_block(self, element: Element) -> str:
        inner = "\n\n".join(self.blocks(element))
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))

    def pre_block(self, element: Element) -> str:
        text = "".join(element.itertext()).strip("\n").rstrip()
        if not text.strip():
            return ""
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", text)), default=0))
        return f"{fence}\n{text}\n{fence}"

    def table_block(self, element: Element) -> str:
        rows = _table_rows(element)
        if not rows:
            return "\n\n".join(self.blocks(element))
        width = max(len(row) for row in rows)
        lines = []
        for index, row in enumerate(rows):
            cells = [self.table_cell(cell) for cell in row]
            cells += [" "] * (width - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + " --- |" * width)
        captions = [_plain(child) for child in element if _name(child) == "caption"]
        head = [escape_text(text) for text in captions if text]
        return "\n\n".join([*head, "\n".join(lines)])

    def table_cell(self, cell: Element) -> str:
        """A cell's inline text on one line, its pipes escaped (" " when empty)."""
        line = _Line(at_start=False)
        self.inline_content(cell, line)
        return line.render(hard_breaks=False).replace("|", "\\|") or " "


_BLOCK_WRITERS = {
    "ul": lambda self, element: self.list_block(element, False),
    "ol": lambda self, element: self.list_block(element, True),
    "blockquote": _Converter.quote_block,
    "bq": _Converter.quote_block,
    "pre": _Converter.pre_block,
    "table": _Converter.table_block,
    "nitf-table": _Converter.table_block,
    "figure": _Converter.figure_block,
    "hr": lambda self, element: "* * *",
}


def _table_rows(table: Element) -> list[list[Element]]:
    """The table's rows that have cells, each its cells (td and th) in order."""
    rows = [[cell for cell in row if _name(cell) in ("td", "th")]
            for row in table.iter() if _name(row) == "tr"]
    return [row for row in rows if row]


def _name(element: Element) -> str:
    """The element's name without its namespace: a script is a script in SVG too."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _flush(line: _Line, out: list[str]) -> None:
    text = line.render()
    if text:
        out.append(text)


def _wrap(line: _Line, inner: _Line, opening: str, closing: str) -> None:
    text = "".join(inner.parts)
    core = text.strip(" ")
    if not core or "\n" in core:
        line.markup(text)  # nothing to mark, or marks that would not span a line break
        return
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") else ""
    line.markup(f"{lead}{opening}{core}{closing}{trail}")


def _code_span(line: _Line, raw: str) -> None:
    text = one_line(raw)
    if not text:
        return
    fence = "`" * (1 + max((len(run) for run in re.findall("`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    line.markup(f"{fence}{pad}{text}{pad}{fence}")


def _indent(block: str, width: int, first: bool = True) -> str:
    lines = block.split("\n")
    pad = " " * width
    return "\n".join(line if (index == 0 and not first) or not line else pad + line
                     for index, line in enumerate(lines))


def _plain(element: Element) -> str:
    return one_line("".join(element.itertext()))


def _nitf_media(element: Element) -> dict[str, str]:
    """A NITF <media>: its type, first reference, caption and credit (not fetched)."""
    entry = {"type": element.get("media-type", "")}
    references = [child for child in element if _name(child) == "media-reference"]
    for index, reference in enumerate(references, start=1):
        suffix = "" if index == 1 else f"_{index}"
        entry[f"source{suffix}"] = reference.get("source", "")
        entry[f"mime_type{suffix}"] = reference.get("mime-type", "")
        entry[f"alt{suffix}"] = reference.get("alternate-text", "")
    for child in element:
        if _name(child) == "media-caption":
            entry["caption"] = _plain(child)
        elif _name(child) == "media-producer":
            entry["credit"] = _plain(child)
    return {key: value for key, value in entry.items() if value}
