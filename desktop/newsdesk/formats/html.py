"""Story -> HTML: the Markdown body rendered and sanitized, and a standalone story page.

Raw HTML in a body is text, not markup: python-markdown's raw-HTML block and inline
handlers are switched off, so `<script>` or `<TK>` in a body come out escaped and
readable. nh3 then cleans the result against a short allow-list as a second line of
defence: no script, style or SVG, no event handlers, and only http(s)/mailto or relative
links, whatever a Markdown link or image points at (`javascript:` and `data:` go).
"""

from __future__ import annotations

import re
import threading
from html import escape, unescape
from html.parser import HTMLParser

import markdown
import nh3

from newsdesk.copydesk.type_rules import type_label
from newsdesk.domain.model import DEFAULT_TYPE, Story

# Extensions that a news body can use; none of them pass raw HTML or attributes through
# (attr_list and md_in_html are left out on purpose).
_EXTENSIONS = ["tables", "fenced_code", "footnotes", "def_list", "abbr", "sane_lists"]
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "li", "ol", "p", "pre",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Elements after which plain text starts a new line (paragraph-like blocks).
_BLOCKS = frozenset(
    {"p", "div", "blockquote", "pre", "li", "tr", "dt", "dd", "hr",
     "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl"}
)

# A converter is not thread-safe; each thread (export worker, GUI preview) gets its own.
_LOCAL = threading.local()
_MAX_CONVERTERS = 64

# python-markdown tries every block processor on every paragraph and every inline pattern
# on every run of text, most of the time in vain: on plain prose that is four fifths of a
# render. Each step below can only ever match where one of its needles occurs in the body
# (the text it sees is the body's own, cut up, with tabs expanded and line ends made
# "\n"; the placeholders python-markdown puts in hold none of these needles), so a body
# without any of them is rendered by a converter without that step: the same HTML.
# tests/unit/formats/test_html.py checks both claims against the full converter.
_INDENT = ("\t", "    ")  # four spaces, or a tab that expands to them
_BRACKET = ("[",)
_DIGITS = tuple("0123456789")
_STEPS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    ("block", "indent"): ("ListIndentProcessor", _INDENT),
    ("block", "code"): ("CodeBlockProcessor", _INDENT),
    ("block", "defindent"): ("DefListIndentProcessor", _INDENT),
    ("block", "hashheader"): ("HashHeaderProcessor", ("#",)),
    ("block", "setextheader"): ("SetextHeaderProcessor", ("=", "-")),
    ("block", "hr"): ("HRProcessor", ("-", "_", "*")),
    ("block", "quote"): ("BlockQuoteProcessor", (">",)),
    ("block", "reference"): ("ReferenceProcessor", _BRACKET),
    ("block", "table"): ("TableProcessor", ("|",)),
    ("block", "footnote"): ("FootnoteBlockProcessor", _BRACKET),
    ("block", "deflist"): ("DefListProcessor", (":",)),
    ("block", "abbr"): ("AbbrBlockprocessor", _BRACKET),
    ("block", "olist"): ("SaneOListProcessor", _DIGITS),
    ("block", "ulist"): ("SaneUListProcessor", ("*", "+", "-")),
    ("inline", "backtick"): ("BacktickInlineProcessor", ("`",)),
    ("inline", "escape"): ("EscapeInlineProcessor", ("\\",)),
    ("inline", "footnote"): ("FootnoteInlineProcessor", _BRACKET),
    ("inline", "reference"): ("ReferenceInlineProcessor", _BRACKET),
    ("inline", "link"): ("LinkInlineProcessor", _BRACKET),
    ("inline", "image_link"): ("ImageInlineProcessor", _BRACKET),
    ("inline", "image_reference"): ("ImageReferenceInlineProcessor", _BRACKET),
    ("inline", "short_reference"): ("ShortReferenceInlineProcessor", _BRACKET),
    ("inline", "short_image_ref"): ("ShortImageReferenceInlineProcessor", _BRACKET),
    ("inline", "autolink"): ("AutolinkInlineProcessor", ("<",)),
    ("inline", "automail"): ("AutomailInlineProcessor", ("<",)),
    ("inline", "linebreak"): ("SubstituteTagInlineProcessor", ("\t", "  \n", "  \r")),
    ("inline", "entity"): ("HtmlInlineProcessor", ("&",)),
    ("inline", "em_strong"): ("DelimiterProcessor", ("*", "_")),
}
_TRIGGERS = {step: needles for step, (_cls, needles) in _STEPS.items()}
_STEP_CLASSES = {step: cls for step, (cls, _needles) in _STEPS.items()}
_UNICODE_DIGIT_RE = re.compile(r"\d")

DEFAULT_LANGUAGE = "en"
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

_PAGE_CSP = "default-src 'none'; img-src https: http:; style-src 'unsafe-inline'"
_PAGE_STYLE = (
    "body{font-family:Georgia,serif;max-width:42em;margin:2em auto;padding:0 1em;"
    "line-height:1.5}.deck{font-size:1.2em}.meta,.caption{color:#555}"
)


def story_language(story: Story) -> str:
    """The story's language (BCP 47): a `language` front-matter key if valid, else English.

    The model has no language field; a desk that writes in another language sets the key
    in the story's front matter and it is kept in `Story.extra`.
    """
    value = story.extra.get("language")
    if isinstance(value, str) and _LANGUAGE_RE.match(value.strip()):
        return value.strip()
    return DEFAULT_LANGUAGE


def _converter(text: str) -> markdown.Markdown:
    """This thread's Markdown converter for `text`, reset (building one costs more than a
    render): without the steps that cannot match anything in `text`."""
    skip = frozenset(name for name, needles in _TRIGGERS.items() if not _occurs(needles, text))
    converters: dict[frozenset[tuple[str, str]], markdown.Markdown] | None = getattr(
        _LOCAL, "converters", None
    )
    if converters is None or len(converters) >= _MAX_CONVERTERS:
        converters = _LOCAL.converters = {}
    md = converters.get(skip)
    if md is None:
        md = converters[skip] = _build_converter(skip)
    return md.reset()


def _occurs(needles: tuple[str, ...], text: str) -> bool:
    if any(needle in text for needle in needles):
        return True
    # `\d` in an ordered list's pattern is any Unicode digit, not only 0-9.
    return needles is _DIGITS and not text.isascii() and _UNICODE_DIGIT_RE.search(text) is not None


def _build_converter(skip: frozenset[tuple[str, str]] = frozenset()) -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html"
    )
    # Raw HTML becomes literal text instead of markup.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    registries = {"block": md.parser.blockprocessors, "inline": md.inlinePatterns}
    for kind, name in skip:
        registry = registries[kind]
        # Only the very class the trigger was written for: an upgrade that replaces a
        # step keeps it until its trigger is checked again.
        if name in registry and type(registry[name]).__name__ == _STEP_CLASSES[kind, name]:
            registry.deregister(name)
    return md


def sanitize_html(html: str) -> str:
    """HTML cleaned against the allow-list above."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel="noopener noreferrer",
    )


def render_body_html(markdown_text: str) -> str:
    """The Markdown body as sanitized HTML (a fragment, no surrounding document)."""
    if not markdown_text.strip():
        return ""
    return sanitize_html(_converter(markdown_text).convert(markdown_text))


def _collapse_spaces(text: str) -> str:
    """`re.sub(r"\\s+", " ", text)`: every run of whitespace made one space.

    str.split() and the regex's `\\s` both take whitespace to be what str.isspace() says,
    and the only whitespace str.isprintable() accepts is the space (tests/unit/formats/test_html.py
    checks every code point). Splitting and joining is a few times faster than the regex,
    which makes one replacement per space between two words.
    """
    if "  " not in text and text.isprintable():
        return text  # single spaces are its only whitespace
    words = text.split()
    collapsed = " ".join(words)
    if text[:1].isspace():
        collapsed = " " + collapsed
    if words and text[-1].isspace():
        collapsed += " "
    return collapsed


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        self.in_pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")
        self.in_pre -= tag == "pre" and self.in_pre > 0

    def handle_data(self, data: str) -> None:
        # Source line breaks are not text breaks, except in preformatted code.
        self.parts.append(data if self.in_pre else _collapse_spaces(data))


# A tag or a run of text of the HTML that the sanitizer writes: well-formed, attribute
# values quoted, no comments. _text_parts reads such HTML in a few regex steps; anything
# else goes to HTMLParser, which gives the same parts (tests/unit/formats/test_html.py). The last
# alternative, a `<` that starts no tag, ends the quick reading: every character of the
# HTML is in exactly one piece, so a single findall() reads it all.
_PIECE_RE = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)"
    r"(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*(/?)>"
    r"|([^<]+)"
    r"|(<)"
)
# Elements whose content HTMLParser does not read as markup or whose text it keeps raw.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                       "noframes", "noscript", "plaintext"})


def _text_parts(html: str) -> list[str] | None:
    """The parts _TextExtractor would collect, or None for HTML outside the simple shape."""
    parts: list[str] = []
    in_pre = 0
    for closing, name, self_closing, text, stray in _PIECE_RE.findall(html):
        if text:
            # A whole run between two tags, as HTMLParser hands it over.
            data = unescape(text)
            parts.append(data if in_pre else _collapse_spaces(data))
            continue
        if stray:
            return None
        tag = name.lower()
        if tag in _RAW_TEXT:
            return None
        if not closing:
            if tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            elif tag in _BLOCKS:
                parts.append("\n\n")
            in_pre += tag == "pre"
        if closing or self_closing:
            if tag in _BLOCKS:
                parts.append("\n\n")
            in_pre -= tag == "pre" and in_pre > 0
    return parts


def _parsed_parts(html: str) -> list[str]:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return parser.parts


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment: paragraphs separated by a blank line."""
    parts = _text_parts(html)
    if parts is None:
        parts = _parsed_parts(html)
    paragraphs = []
    for block in "".join(parts).split("\n\n"):
        if "\n" in block:  # a <br> or <pre> line break: each line stripped on its own
            block = "\n".join(line.strip() for line in block.strip("\n").split("\n"))
        text = block.strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def render_body_text(markdown_text: str) -> str:
    """The body as plain text, markup removed (what a text-only receiver shows)."""
    return html_to_text(render_body_html(markdown_text))


def render_story_html(story: Story, body_html: str | None = None) -> str:
    """A complete standalone HTML5 page for the story; the ednote is never included.

    `body_html` lets a caller pass a body it already rendered with render_body_html().
    """
    body = render_body_html(story.body) if body_html is None else body_html
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(story_language(story))}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_PAGE_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(story.headline)}</title>",
    ]
    if story.deck:
        lines.append(f'<meta name="description" content="{escape(story.deck)}">')
    if story.tags:
        lines.append(f'<meta name="keywords" content="{escape(", ".join(story.tags))}">')
    # A type other than the default is a class for the site's style and a label to read.
    typed = story.type != DEFAULT_TYPE
    article = f'<article class="type-{escape(story.type)}">' if typed else "<article>"
    lines += [f"<style>{_PAGE_STYLE}</style>", "</head>", "<body>", article, "<header>"]
    if typed:
        lines.append(f'<p class="type">{escape(type_label(story.type))}</p>')
    if story.section:
        lines.append(f'<p class="section">{escape(story.section)}</p>')
    lines.append(f"<h1>{escape(story.headline)}</h1>")
    if story.deck:
        lines.append(f'<p class="deck">{escape(story.deck)}</p>')
    meta = _meta_line(story)
    if meta:
        lines.append(f'<p class="meta">{meta}</p>')
    lines.append("</header>")
    if story.caption:
        lines.append(f'<p class="caption">{escape(story.caption)}</p>')
    if body:
        lines += ['<div class="body">', body, "</div>"]
    if story.source:
        lines.append(f'<footer><p class="source">Source: {escape(story.source)}</p></footer>')
    lines += ["</article>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def _meta_line(story: Story) -> str:
    parts = []
    if story.byline:
        parts.append(f'<span class="byline">{escape(story.byline)}</span>')
    place, day = story.dateline.place, story.dateline.date
    if place or day:
        dateline = escape(place)
        if day:
            stamp = f'<time datetime="{day.isoformat()}">{day.isoformat()}</time>'
            dateline = f"{dateline}, {stamp}" if place else stamp
        parts.append(f'<span class="dateline">{dateline}</span>')
    return " · ".join(parts)
