"""Bodies from the wire as Markdown: faithful structure and text, nothing active kept.

Tables give the HTML (or XHTML, or NITF) an agency sends and the Markdown expected; the
property tests check that any text shows as itself once the Markdown is rendered, and that
no link to a script survives whatever the markup.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsdesk.formats.html import render_body_html, render_body_text
from newsdesk.formats.wire_body import safe_url, text_body, xml_body
from newsdesk.formats.wire_html import html_body
from newsdesk.formats.xmlsafe import parse_xml, strip_namespaces

XHTML = "http://www.w3.org/1999/xhtml"


def from_xhtml(body: str) -> str:
    root = parse_xml(f'<html xmlns="{XHTML}"><body>{body}</body></html>'.encode())
    return xml_body(strip_namespaces(root, (XHTML,))).markdown


def from_nitf(content: str):
    root = parse_xml(f"<body.content>{content}</body.content>".encode())
    return xml_body(root)


STRUCTURE = [
    ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
    ("<p>A  line\n  wrapped\tby the sender</p>", "A line wrapped by the sender"),
    ("Loose text <b>and</b> a <p>paragraph</p> then more", "Loose text **and** a\n\n"
     "paragraph\n\nthen more"),
    ("<h1>Top</h1><h3>Third</h3><h6>Sixth</h6>", "# Top\n\n### Third\n\n###### Sixth"),
    ("<h2>Ends with #</h2>", "## Ends with \\#"),
    ("<p><em>em</em> <i>i</i> <strong>strong</strong> <b>b</b></p>",
     "*em* *i* **strong** **b**"),
    ("<p>un<em>believ</em>able</p>", "un*believ*able"),
    ("<p><em> spaced </em>word</p>", "*spaced* word"),
    ("<p><em><em>twice</em></em> <b><strong>bold</strong></b></p>", "*twice* **bold**"),
    ("<p><em></em>empty</p>", "empty"),
    ("<p>Line one<br/>line two<br/><br/>three</p>", "Line one  \nline two  \nthree"),
    ("<p>See <a href='https://example.org/a b(c)'>the site</a>.</p>",
     "See [the site](https://example.org/a%20b%28c%29)."),
    ("<p><a href='mailto:desk@example.org'>write</a></p>", "[write](mailto:desk@example.org)"),
    ("<p><a href='https://example.org/'></a></p>", "[https://example.org/](https://example.org/)"),
    ("<p><a href='https://example.org/'>[brackets] and <br/>a break</a></p>",
     "[\\[brackets\\] and a break](https://example.org/)"),
    ("<p><a href='/relative'>kept as text</a></p>", "kept as text"),
    ("<ul><li>a</li><li>b<ul><li>b1</li></ul></li></ul>", "- a\n- b\n    - b1"),
    ("<ol start='3'><li>three</li><li><p>four</p><p>more</p></li></ol>",
     "3. three\n4. four\n\n    more"),
    ("<ol><li>1. starts like a list</li></ol>", "1. 1\\. starts like a list"),
    ("<blockquote><p>Said.</p><p>Again.</p></blockquote>", "> Said.\n>\n> Again."),
    ("<pre>  code *kept*\n  as ```is```</pre>", "````\n  code *kept*\n  as ```is```\n````"),
    ("<p>Run <code>make *all*</code> now</p>", "Run `make *all*` now"),
    ("<table><tr><th>A</th><th>B|C</th></tr><tr><td>1</td></tr></table>",
     "| A | B\\|C |\n| --- | --- |\n| 1 |   |"),
    ("<p>before</p><hr/><p>after</p>", "before\n\n* * *\n\nafter"),
    ("<p>10\u00a0km</p>", "10\u00a0km"),
]


@pytest.mark.parametrize("source, expected", STRUCTURE)
def test_html_structure_becomes_markdown(source, expected):
    assert html_body(source).markdown == expected


@pytest.mark.parametrize("source, expected", STRUCTURE)
def test_xhtml_structure_becomes_the_same_markdown(source, expected):
    source = source.replace("<br/>", "<br/>").replace("'", '"')
    if "\n" in source or "\t" in source:  # XML keeps the same white space rules
        pass
    assert from_xhtml(source) == expected


ESCAPES = [
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("- not a list", "\\- not a list"),
    ("> not a quote", "\\> not a quote"),
    ("*stars* and _under_", "\\*stars\\* and \\_under\\_"),
    ("a <tag> & an &amp; entity", "a &lt;tag> & an &amp;amp; entity"),
    ("[text](link)", "\\[text\\](link)"),
    ("back\\slash `tick`", "back\\\\slash \\`tick\\`"),
    ("---", "&#45;--"),
]


@pytest.mark.parametrize("text, expected", ESCAPES)
def test_text_that_looks_like_markdown_is_escaped(text, expected):
    assert html_body(f"<p>{html.escape(text)}</p>").markdown == expected
    assert text_body(text) == expected


DANGEROUS = [
    ("<p>Hi<script>alert(1)</script> there</p>", "Hi there"),
    ("<style>p { color: red }</style><p>Styled</p>", "Styled"),
    ('<p onclick="steal()" style="x">Click</p>', "Click"),
    ('<p><a href="javascript:alert(1)">here</a></p>', "here"),
    ('<p><a href=" JaVaScRiPt:alert(1)">here</a></p>', "here"),
    ('<p><a href="java&#x0A;script:alert(1)">here</a></p>', "here"),
    ('<p><a href="data:text/html;base64,PHNjcmlwdD4=">here</a></p>', "here"),
    ('<p><a href="vbscript:msgbox">here</a></p>', "here"),
    ('<iframe src="https://evil.example/">fallback</iframe><p>After</p>', "After"),
    ('<svg><script>alert(1)</script><text>drawn</text></svg><p>After</p>', "After"),
    ('<object data="x.swf">fallback</object><p>After</p>', "After"),
    ("<template><p>hidden</p></template><p>After</p>", "After"),
    ('<form action="https://evil.example/"><input value="v"/>Text</form>', "Text"),
    ('<p><span onmouseover="x()">kept</span> text</p>', "kept text"),
    ("<custom-element>kept text</custom-element>", "kept text"),
]


@pytest.mark.parametrize("source, expected", DANGEROUS)
def test_active_content_is_dropped_and_its_text_kept(source, expected):
    body = html_body(source)
    assert body.markdown == expected
    rendered = render_body_html(body.markdown)
    assert not re.search(r"<script|javascript:|on\w+=|<iframe|<svg|<object", rendered, re.I)


@pytest.mark.parametrize("source, expected", [
    ("<p>Hi<script>alert(1)</script> there</p>", "Hi there"),
    ('<p>Click <a href="javascript:alert(1)" onclick="x()">here</a></p>', "Click here"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg><p>After</p>',
     "After"),
])
def test_active_content_in_xhtml_is_dropped_too(source, expected):
    assert from_xhtml(source) == expected


def test_pictures_are_listed_not_fetched():
    body = html_body('<p>Text <img src="https://img.example/a.jpg" alt="A" onerror="x()"></p>'
                     '<figure><img src="https://img.example/b.jpg"><figcaption>B caption'
                     "</figcaption></figure><figure><figcaption>No picture</figcaption>"
                     "</figure>")
    assert body.markdown == "Text\n\nNo picture"
    assert body.media == [
        {"type": "image", "source": "https://img.example/a.jpg", "alt": "A"},
        {"type": "image", "source": "https://img.example/b.jpg", "caption": "B caption"},
    ]


def test_nitf_body_content_becomes_markdown():
    body = from_nitf(
        "<p>Lead <em>para</em>.</p><hl2>Sub</hl2><block><p>Inside a block.</p>"
        '<media media-type="image"><media-reference source="p.jpg" mime-type="image/jpeg" '
        'alternate-text="Alt"/><media-reference source="p-big.jpg"/>'
        "<media-caption>Caption</media-caption><media-producer>Credit</media-producer>"
        "</media></block><bq><block><p>Quoted.</p></block><credit>Speaker</credit></bq>"
        "<p>With a <person>person</person>, an <org>organisation</org> and "
        '<a href="https://example.org/">a link</a>.</p><fn><p>A footnote.</p></fn>'
        "<nitf-table><nitf-table-metadata/><table><tr><td>x</td></tr></table></nitf-table>")
    assert body.markdown == (
        "Lead *para*.\n\n## Sub\n\nInside a block.\n\n> Quoted.\n>\n> Speaker\n\n"
        "With a person, an organisation and [a link](https://example.org/).\n\n"
        "A footnote.\n\n| x |\n| --- |")
    assert body.media == [{"type": "image", "source": "p.jpg", "mime_type": "image/jpeg",
                           "alt": "Alt", "source_2": "p-big.jpg", "caption": "Caption",
                           "credit": "Credit"}]


@pytest.mark.parametrize("href, kept", [
    ("https://example.org/", True), ("http://example.org/", True),
    ("mailto:a@example.org", True), ("HTTPS://EXAMPLE.ORG/", True),
    ("javascript:alert(1)", False), ("java\nscript:alert(1)", False),
    ("data:text/html,x", False), ("/relative", False), ("file:///etc/passwd", False),
    ("http://[::1", False), ("", False),
])
def test_only_web_and_mail_links_are_kept(href, kept):
    assert bool(safe_url(href)) is kept


# Words that Markdown could read as markup, mixed with ordinary text.
TRICKY = st.sampled_from([
    "*", "**", "_", "__", "#", "##", "1.", "2)", "-", "+", ">", "[", "]", "(", ")", "`",
    "```", "\\", "<", "<b>", "&", "&amp;", "&#35;", "&copy;", "|", "---", "===", ":", "~~~",
    "!", "[x]", "[x](y)", "<http://x>", "--", "—", "a", "word", "12", "x_y", "'", '"',
])
WORDS = st.lists(st.one_of(TRICKY, st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                           blacklist_characters="\u00a0\u0085"),
    min_size=1, max_size=8)), min_size=1, max_size=12)
SEPARATORS = st.sampled_from([" ", "  ", "\n", " \t "])


def shown(text: str) -> str:
    """What a reader sees of text: white space runs as one space."""
    return " ".join(text.split())


@st.composite
def wire_text(draw) -> str:
    words = draw(WORDS)
    return "".join(word + draw(SEPARATORS) for word in words).strip()


@given(wire_text())
@example("1. list")
@example("&copy; 2026")
@example("x\\")
def test_any_text_in_a_paragraph_shows_as_itself(text):
    markdown = html_body(f"<p>{html.escape(text)}</p>").markdown
    assert render_body_text(markdown) == shown(text)


@given(wire_text(), wire_text())
def test_text_around_emphasis_and_links_shows_as_itself(before, inside):
    source = (f"<p>{html.escape(before)} <em>{html.escape(inside)}</em> "
              f'<a href="https://example.org/">{html.escape(inside)}</a></p>')
    markdown = html_body(source).markdown
    assert render_body_text(markdown) == shown(f"{before} {inside} {inside}")


@given(st.lists(wire_text(), min_size=1, max_size=4))
@example(["*", "* *\n \n*"])  # a line of spaces inside a "paragraph" ends it
def test_plain_text_paragraphs_show_as_themselves(paragraphs):
    text = "\n\n".join(paragraphs)
    markdown = text_body(text)
    # Wire copy's paragraphs are what blank lines (or lines of white space) separate.
    expected = [shown(p) for p in re.split(r"\n[ \t]*\n", text)]
    assert render_body_text(markdown) == "\n\n".join(p for p in expected if p)


TAGS = st.sampled_from(["p", "div", "em", "strong", "a", "ul", "li", "ol", "h2", "blockquote",
                        "span", "script", "style", "iframe", "svg", "img", "table", "tr", "td",
                        "pre", "code", "br", "figure", "figcaption"])
ATTRIBUTES = st.sampled_from([
    ' href="javascript:alert(1)"', ' href="https://example.org/"', ' onclick="alert(1)"',
    ' src="javascript:alert(1)"', ' style="background:url(javascript:alert(1))"',
    ' href="data:text/html,<script>alert(1)</script>"', "",
])


@st.composite
def markup(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(TAGS)
            parts.append(f"<{tag}{draw(ATTRIBUTES)}>{draw(markup(depth + 1))}</{tag}>")
        else:
            parts.append(html.escape(draw(wire_text())))
    return "".join(parts)


@given(markup())
def test_no_script_survives_any_markup(source):
    body = html_body(source)
    assert "](javascript" not in body.markdown.lower()
    assert "](data:" not in body.markdown.lower()
    rendered = render_body_html(body.markdown)
    assert not re.search(r"<script|<iframe|<svg|\son\w+=|href=\"javascript", rendered, re.I)
    assert all(not entry.get("source", "").startswith("javascript") for entry in body.media)
