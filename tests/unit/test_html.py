"""formats/html: Markdown bodies rendered and sanitized, whatever they contain."""

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.formats.html import (
    ALLOWED_TAGS,
    render_body_html,
    render_body_text,
    render_story_html,
)
from newsdesk.model import Dateline
from tests.unit.export_corpus import EDNOTE, HOSTILE_BODIES, make_story

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
