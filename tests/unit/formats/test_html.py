"""formats/html: Markdown bodies rendered and sanitized, whatever they contain."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import Dateline
from newsdesk.formats import html as html_module
from newsdesk.formats.html import (
    ALLOWED_TAGS,
    render_body_html,
    render_body_text,
    render_story_html,
)
from tests.unit.publish.export_corpus import EDNOTE, HOSTILE_BODIES, make_story

SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def assert_safe_fragment(html: str) -> None:
    for tag, attrs in parse(html).tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name != "style", html
            if name in ("href", "src"):
                url = (value or "").strip().lower()
                assert ":" not in url.split("/")[0] or url.startswith(SAFE_SCHEMES), url
    lowered = html.lower()
    assert "<script" not in lowered and "<svg" not in lowered and "<style" not in lowered


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_hostile_bodies_come_out_harmless(name):
    html = render_body_html(HOSTILE_BODIES[name])
    assert_safe_fragment(html)
    for _tag, attrs in parse(html).tags:
        for value in attrs.values():
            assert "javascript" not in (value or "").lower()
            assert not (value or "").lower().startswith(("data:", "vbscript:"))


def test_raw_html_is_shown_as_text_not_markup():
    html = render_body_html("Say <b>bold</b> and <script>alert(1)</script>.")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html
    assert [tag for tag, _ in parse(html).tags] == ["p"]
    assert "Say <b>bold</b> and <script>alert(1)</script>." in "".join(parse(html).text)


def test_placeholders_and_check_markers_survive_as_text():
    html = render_body_html("Price is <TK> and [[check name]] here.")
    assert "&lt;TK&gt;" in html
    assert "[[check name]]" in html
    assert render_body_text("Price is <TK> and [[check name]] here.") == (
        "Price is <TK> and [[check name]] here."
    )


def test_markdown_features_render():
    html = render_body_html(
        "# Head\n\nSome *em* and **strong** and `code`.\n\n- one\n- two\n\n"
        "1. first\n2. second\n\n> quoted\n\n[site](https://example.org/a?b=1&c=2)\n\n"
        "| a | b |\n|---|--:|\n| 1 | 2 |\n\nHard  \nbreak\n"
    )
    tags = {tag for tag, _ in parse(html).tags}
    assert {"h1", "em", "strong", "code", "ul", "ol", "li", "blockquote", "a", "table",
            "td", "br"} <= tags
    link = next(attrs for tag, attrs in parse(html).tags if tag == "a")
    assert link["href"] == "https://example.org/a?b=1&c=2"
    assert "noopener" in (link["rel"] or "")


def test_safe_links_and_images_are_kept():
    html = render_body_html("[a](https://x.example/) [m](mailto:desk@x.example) [r](/local) "
                            "![pic](https://img.example/p.jpg)")
    attrs = [a for _, a in parse(html).tags]
    assert {"href": "https://x.example/", "rel": "noopener noreferrer"} in attrs
    assert any(a.get("href") == "mailto:desk@x.example" for a in attrs)
    assert any(a.get("href") == "/local" for a in attrs)
    assert any(a.get("src") == "https://img.example/p.jpg" for a in attrs)


def test_empty_body_renders_nothing():
    assert render_body_html("") == ""
    assert render_body_html("  \n\n") == ""
    assert render_body_text("") == ""


def test_plain_text_keeps_paragraphs_and_drops_markup():
    text = render_body_text("First *para*\nwraps here.\n\n- item one\n- item two\n\nLast  \nline")
    assert text == "First para wraps here.\n\nitem one\n\nitem two\n\nLast\nline"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/\"'=:;&#()[]!*_`- \naj svgscriptonerlJS{}%")),
               max_size=120))
def test_any_text_renders_to_a_safe_fragment(text):
    assert_safe_fragment(render_body_html(text))


def test_story_page_is_a_complete_document_with_every_public_field():
    story = make_story(
        1,
        headline="Bridge <reopens> & more",
        deck="Deck text",
        byline="By Ada Park",
        dateline=Dateline("Harbour City", make_story(1).dateline.date),
        caption="A caption",
        body="Body <script>alert(1)</script> text",
    )
    page = render_story_html(story)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert page.rstrip().endswith("</html>")
    assert "<title>Bridge &lt;reopens&gt; &amp; more</title>" in page
    assert "<h1>Bridge &lt;reopens&gt; &amp; more</h1>" in page
    for text in ("Deck text", "By Ada Park", "Harbour City", "2026-03-09", "A caption",
                 "Staff", "News / Metro"):
        assert text in page
    assert EDNOTE not in page
    assert "<script" not in page
    assert "Content-Security-Policy" in page
    tags = [tag for tag, _ in parse(page).tags]
    assert tags.count("html") == tags.count("body") == tags.count("article") == 1


def test_story_page_language_comes_from_the_front_matter_key():
    assert '<html lang="zh-CN">' in render_story_html(make_story(1, extra={"language": "zh-CN"}))
    bad = render_story_html(make_story(1, extra={"language": '"><script>'}))
    assert '<html lang="en">' in bad and "<script" not in bad


# A render leaves out the python-markdown steps that cannot match the body; these tests
# hold it to giving exactly what the full converter gives.
MARKDOWN_SAMPLES = {
    "prose": "Plain words, a well-known fact.\n\nA second paragraph, no markup at all.\n",
    "headers": "# One\n\nTitle\n=====\n\nSub\n---\n\n### Three ###\n",
    "rules": "Above\n\n***\n\n- - -\n\n___\n\nBelow",
    "lists": "- a\n- b\n\n* c\n+ d\n\n1. one\n2. two\n\n3) three\n\n١. arabic-indic digit",
    "nested": "1. item\n\n    indented para\n\n    - inner\n\n- x\n\n        code in item",
    "code": "Text\n\n    indented code\n    <b>kept</b>\n\n```\nfenced *code*\n```\n\n"
            "~~~\nmore\n~~~",
    "tabs": "\tcode by tab\n\n-\titem\n\nline\t\nafter",
    "quote": "> quoted *em*\n> > nested\n\nlazy\n> more",
    "links": "[a](https://x.example) [b][ref] [ref] ![i](https://i.example/p.png) <https://u.example>"
             " <desk@x.example>\n\n[ref]: https://r.example \"Title\"",
    "footnotes": "Claim[^1] and[^note].\n\n[^1]: First note.\n[^note]: Second, *em*.",
    "abbr": "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language",
    "deflist": "Term\n: Definition one\n: Definition two",
    "table": "| a | b |\n|:--|--:|\n| 1 | 2 |\n\na | b\n--|--\n1 | 2",
    "inline": "*em* _em_ **strong** __strong__ `code` \\*escaped\\* &amp; &#169; &copy; a & b",
    "breaks": "line one  \nline two  \r\nline three\r\n\r\nCRLF para",
    "emptyish": "\n\n   \n\n",
}
MARKDOWN_PIECES = [
    *"ab c1.2\n\t-*_#>|:[]()!<&`\\=+^~'\"", "    ", "  \n", "\r\n", "\u0663", "1. ", "- ",
    "http://x.y", "<a@b.c>", "&amp;", "[^1]", "[^1]: n", "*[AB]: t", "\n: def", "```\n", "> ",
    "| a | b |\n|--|--|", "***", "\n===", "[x]: /u",
]


def full_render(text: str) -> str:
    return html_module._build_converter().convert(text)


@pytest.mark.parametrize("name", sorted(MARKDOWN_SAMPLES) + sorted(HOSTILE_BODIES))
def test_a_render_without_the_steps_that_cannot_match_gives_the_same_html(name):
    text = MARKDOWN_SAMPLES.get(name) or HOSTILE_BODIES[name]
    assert html_module._converter(text).convert(text) == full_render(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=30).map("".join))
def test_any_markdown_renders_as_the_full_converter_renders_it(text):
    assert html_module._converter(text).convert(text) == full_render(text)


def test_the_steps_left_out_are_the_ones_python_markdown_has():
    # An upgrade of python-markdown that renames or replaces a step shows up here (and the
    # render then keeps that step, see _build_converter).
    md = html_module._build_converter()
    registries = {"block": md.parser.blockprocessors, "inline": md.inlinePatterns}
    for (kind, name), class_name in html_module._STEP_CLASSES.items():
        assert type(registries[kind][name]).__name__ == class_name, (kind, name)


def test_plain_prose_is_rendered_without_the_steps_it_cannot_use():
    text = MARKDOWN_SAMPLES["prose"]
    md = html_module._converter(text)
    assert "em_strong" not in md.inlinePatterns and "link" not in md.inlinePatterns
    assert "olist" not in md.parser.blockprocessors
    assert "ulist" in md.parser.blockprocessors  # the text has a '-': lists stay possible
    assert render_body_html(text) == (
        "<p>Plain words, a well-known fact.</p>\n<p>A second paragraph, no markup at all.</p>"
    )


HTML_PIECES = [
    "<p>", "</p>", "<br>", "<br/>", "<br />", "<pre>", "</pre>", "<td>", "<TH>", "<hr/>",
    '<li class="a>b">', "</li >", "<a href='x'>", "</a>", "<em>", "&amp;", "&lt;", "&#169;",
    "&copy", "&", "<", ">", "<!-- c -->", "<!DOCTYPE html>", "text", " ", "\n", "\t", "  x  ",
    "<div data-x=1>", "</div>", "<script>", "</script>", "<b a=b c d='e'>", "<p/>", "</>",
    '<a\nhref="q">', "<img src=\"x\" alt='y'/>", "é", "&nbsp;", "<h2 id=\"t\">", "</h2>",
    "<a b=`c`>", "\u00a0", "\x1c",
]


def parsed_text(html: str) -> str:
    return "".join(html_module._parsed_parts(html))


@pytest.mark.parametrize("name", sorted(MARKDOWN_SAMPLES) + sorted(HOSTILE_BODIES))
def test_the_quick_text_reading_of_rendered_bodies_matches_the_html_parser(name):
    html = render_body_html(MARKDOWN_SAMPLES.get(name) or HOSTILE_BODIES[name])
    quick = html_module._text_parts(html)
    assert quick is not None  # what the renderer writes is always read the quick way
    assert "".join(quick) == parsed_text(html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=25).map("".join))
def test_any_html_is_read_as_the_html_parser_reads_it_or_left_to_it(html):
    quick = html_module._text_parts(html)
    assert quick is None or "".join(quick) == parsed_text(html)


EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_whitespace_is_collapsed_as_the_regex_collapses_it_for_every_character():
    text = "x".join(EVERY_CHARACTER)  # each character alone between two letters
    assert html_module._collapse_spaces(text) == re.sub(r"\s+", " ", text)
    runs = "".join(f"{c}{c} {c}x" for c in EVERY_CHARACTER if c.isspace() or c.isprintable())
    assert html_module._collapse_spaces(runs) == re.sub(r"\s+", " ", runs)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab")) | st.text())
def test_any_text_is_collapsed_as_the_regex_collapses_it(text):
    assert html_module._collapse_spaces(text) == re.sub(r"\s+", " ", text)


def reference_text(html: str) -> str:
    """html_to_text as first written: HTMLParser, whitespace by regex, every line stripped."""
    class Extractor(html_module._TextExtractor):
        def handle_data(self, data):
            self.parts.append(data if self.in_pre else re.sub(r"\s+", " ", data))

    parser = Extractor()
    parser.feed(html)
    parser.close()
    paragraphs = []
    for block in "".join(parser.parts).split("\n\n"):
        text = "\n".join(line.strip() for line in block.strip("\n").split("\n")).strip()
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("name", sorted(MARKDOWN_SAMPLES) + sorted(HOSTILE_BODIES))
def test_plain_text_of_rendered_bodies_is_what_the_reference_reading_gives(name):
    html = render_body_html(MARKDOWN_SAMPLES.get(name) or HOSTILE_BODIES[name])
    assert html_module.html_to_text(html) == reference_text(html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=25).map("".join))
def test_plain_text_of_any_html_is_what_the_reference_reading_gives(html):
    assert html_module.html_to_text(html) == reference_text(html)
