"""How the Markdown engine reads one source line: which block it opens, whether it ends
a paragraph, how far it is indented. Shared by the block splitter (blocks.py), its list
scan (list_scan.py) and the inline writer (inline_write.py)."""

from __future__ import annotations

import re

ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
HR_RE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
ITEM_RE = re.compile(r"^( *)([-+*]|\d{1,9}[.)])(?:([ \t]+)(.*))?$")
QUOTE_RE = re.compile(r"^ {0,3}>")
SETEXT_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
TABLE_DELIM_RE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
DEFINITION_RE = re.compile(r"^ {0,3}\[[^\]]+\]:")
_HTML_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|"
    "h1|h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul"
)
HTML_TAG_RE = re.compile(rf"^ {{0,3}}</?(?:{_HTML_BLOCK_TAGS})(?:[\s/>]|$)", re.I)
_ATTR = r"""(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
HTML_LONE_TAG_RE = re.compile(
    rf"^ {{0,3}}(?:<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$"
)
_HTML_ENDS = (
    (re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
     re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"^ {0,3}<!--"), re.compile(r"-->")),
    (re.compile(r"^ {0,3}<\?"), re.compile(r"\?>")),
    (re.compile(r"^ {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
    (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">")),
)


def html_block_end(line: str) -> re.Pattern[str] | None:
    """The end condition of an HTML block that runs past blank lines (kinds 1 to 5)."""
    return next((end for start, end in _HTML_ENDS if start.match(line)), None)


def starts_html_block(line: str) -> bool:
    """Whether the line opens an HTML block that may interrupt a paragraph (kinds 1-6)."""
    return bool(html_block_end(line) or HTML_TAG_RE.match(line))


def blank(line: str) -> bool:
    return not line.strip(" \t")


def interrupts(line: str) -> bool:
    """A line that ends a paragraph (CommonMark's interrupting block starts)."""
    if ATX_RE.match(line) or FENCE_RE.match(line) or QUOTE_RE.match(line):
        return True
    if HR_RE.match(line) or html_block_end(line):
        return True
    if HTML_TAG_RE.match(line):
        return True
    item = ITEM_RE.match(line)
    if item and len(item.group(1)) <= 3 and item.group(4) and item.group(4).strip():
        return not item.group(2)[0].isdigit() or item.group(2)[:-1] == "1"
    return False


def list_sort(marker: str) -> str:
    """Which list a marker belongs to: its bullet, or an ordered list's delimiter."""
    return marker[-1] if marker[0].isdigit() else marker


def indentation(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def structured(line: str) -> bool:
    """A line that is structure inside a list item or a quote, not text of it."""
    # A lone inline tag (`<b>`, `<TK>`) in a list item or a quote is text, as the export
    # reads all HTML: taken for structure, `- <b>` typed as an item came back as a
    # protected line showing its marker. Block-level HTML still counts (interrupts).
    return bool(
        interrupts(line) or ITEM_RE.match(line) or indentation(line) >= 4
        or DEFINITION_RE.match(line)
    )
