"""ninjs body_html into Markdown: cleaned by nh3, read into a tree, then as XHTML is.

nh3 keeps only the elements formats/wire_body.py writes as Markdown (their text stays
whatever the element), drops script, style and the other active content with what is
in them, and every attribute but a link's address, a picture's source and text, and an
ordered list's start. HTMLParser then builds the element tree, MAX_DEPTH deep at most.
"""

from __future__ import annotations

from html.parser import HTMLParser
from xml.etree.ElementTree import Element, SubElement

import nh3

from newsdesk.formats.wire_body import (
    CODE,
    CONTAINERS,
    DROP,
    EMPHASIS,
    HEADINGS,
    MEDIA,
    URL_SCHEMES,
    Body,
    xml_body,
)
from newsdesk.formats.xmlsafe import MAX_DEPTH

# What nh3 keeps of ninjs HTML; everything else goes, its text kept (DROP: text too).
_HTML_TAGS = (CONTAINERS | set(HEADINGS) | MEDIA | set(EMPHASIS) | CODE | {
    "figure", "a", "br", "hr", "ul", "ol", "li", "blockquote", "pre", "table", "thead", "tbody",
    "tfoot", "tr", "td", "th", "span", "q", "sub", "sup", "small", "u", "s", "del", "ins",
    "abbr", "mark",
}) - {"html", "body", "head", "nitf", "body.content", "body.end", "block", "tagline",
      "abstract", "fn", "note", "credit", "media", "hl1", "hl2"}
_VOID = frozenset({"br", "hr", "img", "wbr", "area", "col", "embed", "input", "link", "meta",
                   "source", "track", "param", "base"})


def html_body(html: str) -> Body:
    """An HTML fragment (ninjs body_html), cleaned by nh3, as Markdown."""
    cleaned = nh3.clean(
        html, tags=set(_HTML_TAGS), clean_content_tags=set(DROP),
        attributes={"a": {"href"}, "img": {"src", "alt"}, "ol": {"start"}},
        url_schemes=set(URL_SCHEMES), strip_comments=True, link_rel=None,
    )
    builder = _HtmlTree()
    builder.feed(cleaned)
    builder.close()
    return xml_body(builder.root)


class _HtmlTree(HTMLParser):
    """HTML (as nh3 writes it) into an element tree, MAX_DEPTH deep at most."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("body")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data
