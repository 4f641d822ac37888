"""Wire copy import: the shared sample, our own layouts, damaged copy and hostile bytes."""

from __future__ import annotations

import html
import re
from datetime import date

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import check_valid
from newsdesk.formats import wire as wire_format
from newsdesk.formats.errors import FormatError
from newsdesk.formats.textfile import decode
from newsdesk.formats.wire import WireResult, escape_text, parse_wire, read_wire

NBSP = "\u00a0"
HEADLINE = "Night buses return to the harbour district"
DECK = "Four routes restart on Friday after a two-year pause, the transport office said."
CAPTION = "A night bus waits at the harbour terminus."
PARAGRAPHS = [
    DECK,
    "The routes will run every 20 minutes between midnight and 5 am.",
    "Drivers' unions welcomed the move but asked for more staff at the depot.",
]
TRAILER = f"Source:{NBSP}Harbour Post{NBSP}{NBSP} Editor:{NBSP}Ana Ruiz"


def wire(*, date_line: str | None = " date 2024-03-08 ",
         section: str | None = f"News{NBSP}/{NBSP}Metro", headline: str = HEADLINE,
         lead: tuple[str, ...] = (DECK, CAPTION),
         paragraphs: list[str] | None = None, trailer: str | None = TRAILER) -> str:
    """Copy in the layout of the shared sample, written in our own words."""
    header = [line for line in (date_line, section) if line is not None]
    blocks = ["\n".join(header)] if header else []
    blocks += [headline, "\n".join(lead), *(PARAGRAPHS if paragraphs is None else paragraphs)]
    text = "\n\n".join(blocks)
    if trailer is not None:
        text += "\n\n\n\n" + trailer
    return text + "\n"


def test_sample_wire_file_is_imported_faithfully(sample_wire_path):
    result = read_wire(sample_wire_path)
    story = result.story
    sample = sample_wire_path.read_text(encoding="utf-8")
    lines = [line.strip() for line in sample.splitlines() if line.strip()]
    assert story.headline == lines[2]
    assert story.section == "News / Metro"
    assert story.dateline.date == date(2023, 11, 6) and story.dateline.place == ""
    assert story.deck == lines[3] and story.caption == lines[4]
    assert (story.source, story.extra["source_editor"], story.editor) == ("SHINE", "Xu Fang", "")
    paragraphs = story.body.split("\n\n")
    assert paragraphs[0] == story.deck  # kept: the copy-desk check flags the repeat
    assert len(paragraphs) == len(lines) - 6
    assert paragraphs[-1] == lines[-2]
    assert "Source" not in story.body and "Editor" not in story.body
    assert not story.body.endswith("\n")
    assert story.status == "draft" and story.slug and story.revision == 0
    assert result.notes == []
    check_valid(story)


def test_own_copy_maps_every_part():
    result = parse_wire(wire())
    story = result.story
    assert isinstance(result, WireResult) and result.notes == []
    assert story.dateline.date == date(2024, 3, 8)
    assert story.section == "News / Metro"
    assert story.headline == HEADLINE and story.slug == "night-buses-return-to"
    assert (story.deck, story.caption) == (DECK, CAPTION)
    assert (story.source, story.extra["source_editor"]) == ("Harbour Post", "Ana Ruiz")
    assert story.editor == ""  # the desk's editor: whoever imports it (see importing)
    assert story.body == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028"])
def test_windows_and_old_mac_line_ends(newline):
    result = parse_wire("\ufeff" + wire().replace("\n", newline))
    expected = parse_wire(wire())
    assert result.notes == []
    assert result.story.editable() == expected.story.editable()


def test_missing_trailer_is_imported_with_a_note():
    result = parse_wire(wire(trailer=None))
    assert result.story.source == "" and result.story.editor == ""
    assert "source_editor" not in result.story.extra
    assert result.story.body == "\n\n".join(PARAGRAPHS)
    assert any("trailer" in note for note in result.notes)


def test_trailer_parts_in_either_order_or_alone():
    story = parse_wire(wire(trailer="Editor: Lee Min   Source: Staff")).story
    assert story.extra["source_editor"] == "Lee Min"
    story = parse_wire(wire(trailer="Source: Staff")).story
    assert (story.source, story.extra) == ("Staff", {})


def test_missing_date_line_is_imported_with_a_note():
    result = parse_wire(wire(date_line=None, section=None))
    assert result.story.dateline.date is None and result.story.headline == HEADLINE
    assert any("date line" in note for note in result.notes)


def test_section_on_its_own_block_after_the_date():
    text = wire(section=None).replace("2024-03-08 \n", "2024-03-08 \n\nSport / Sailing\n", 1)
    assert parse_wire(text).story.section == "Sport / Sailing"


def test_date_without_section_is_noted():
    result = parse_wire(wire(section=None))
    assert result.story.section == "" and result.story.headline == HEADLINE
    assert any("section" in note for note in result.notes)


@pytest.mark.parametrize("line", ["date 2024-02-30", "date 08/03/2024", "DATE: 2024-13-01"])
def test_damaged_date_line_is_refused_with_file_and_line(line):
    with pytest.raises(FormatError, match="expected a date line such as 'date 2023-11-06'") as info:
        parse_wire("\n\n" + wire(date_line=line), "wire-x.txt")
    assert (info.value.path, info.value.line) == ("wire-x.txt", 3)
    assert str(info.value).startswith("wire-x.txt, line 3: ")


def test_a_sentence_where_the_section_belongs_is_refused():
    with pytest.raises(FormatError, match="section path") as info:
        parse_wire(wire(section="The council met on Tuesday. It agreed the budget."), "w.txt")
    assert info.value.line == 2


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", " date 2024-03-08 \nNews / Metro\n",
                                  f"date 2024-03-08\nNews / Metro\n\n\n{TRAILER}\n"])
def test_copy_without_a_headline_is_refused(text):
    with pytest.raises(FormatError):
        parse_wire(text, "empty.txt")


def test_an_overlong_headline_is_refused():
    with pytest.raises(FormatError, match="headline") as info:
        parse_wire(wire(headline="word " * 100))
    assert info.value.line == 4


def test_wrapped_headline_is_joined_with_a_note():
    result = parse_wire(wire(headline="Night buses return\nto the harbour district"))
    assert result.story.headline == HEADLINE
    assert any("headline" in note for note in result.notes)


def test_standfirst_without_caption_and_extra_lead_lines():
    assert parse_wire(wire(lead=(DECK,))).story.caption == ""
    result = parse_wire(wire(lead=(DECK, CAPTION, "A stray line.", "Another.")))
    assert result.story.body.split("\n\n")[0] == "A stray line.\nAnother."
    assert any("caption" in note for note in result.notes)


def test_no_body_is_noted():
    result = parse_wire(wire(paragraphs=[]))
    assert result.story.body == "" and result.story.deck == DECK
    assert any("no body" in note for note in result.notes)


def test_place_only_from_a_clear_dateline_opening():
    first = "PORT ELLEN, March 8 (Harbour Post) -- Ferries were cancelled."
    result = parse_wire(wire(paragraphs=[first, "More."]))
    assert result.story.dateline.place == "Port Ellen"
    assert result.story.body.startswith(escape_text(first))
    for opening in ("US, China agree on talks.", "Rain fell - again.", "NATO members met."):
        assert parse_wire(wire(paragraphs=[opening])).story.dateline.place == ""


def test_control_characters_are_removed_with_a_note():
    result = parse_wire(wire().replace("Drivers'", "\x01Drivers'\x1b"))
    assert "\x01" not in result.story.body and "\x1b" not in result.story.body
    assert any("control" in note for note in result.notes)


def test_markdown_lookalikes_in_copy_stay_text():
    paragraphs = ["1. Not a list", "# Not a heading", "- not a bullet", "> not a quote",
                  "*not emphasis* and __not strong__", "<b>not html</b> & AT&T &amp;",
                  "[not](a link)", "---", "==="]
    story = parse_wire(wire(paragraphs=paragraphs)).story
    blocks = story.body.split("\n\n")
    assert blocks[0] == "1\\. Not a list" and blocks[1] == "\\# Not a heading"
    for original, block in zip(paragraphs, blocks, strict=True):
        assert rendered_text(block) == original


# escape_text against a real renderer

EXTENSIONS = ["tables", "fenced_code", "footnotes", "def_list", "abbr", "sane_lists"]


def rendered_text(source: str) -> str:
    out = markdown.markdown(source, extensions=EXTENSIONS)
    assert out.startswith("<p>") and out.endswith("</p>"), out
    return html.unescape(out[3:-4])


MARKDOWN_NOISE = [*"#>-+*_`[]()!<>&|:=~\\.1 ", "1.", "2)", "---", "~~~", "```", "&amp;", "<TK>",
                  "[^1]", "*[", "http://x"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_NOISE) | st.text("ab ", min_size=1, max_size=3),
                min_size=1, max_size=12).map("".join))
def test_escaped_text_renders_as_itself(text):
    line = " ".join(text.split())
    if line:
        assert rendered_text(escape_text(line)) == line


def full_rules(line: str) -> str:
    """_escape_line without its shortcuts: every pattern tried on every line."""
    inline = wire_format._INLINE
    line = wire_format._INLINE_RE.sub(lambda m: inline.get(m[0], "\\" + m[0]), line.strip())
    if number := wire_format._ORDERED_RE.match(line):
        return number[1] + "\\" + line[len(number[1]) :]
    if wire_format._BACKSLASH_START_RE.match(line):
        return "\\" + line
    if wire_format._ENTITY_START_RE.match(line):
        return f"&#{ord(line[0])};" + line[1:]
    return line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*MARKDOWN_NOISE, "\n", "\n\n", "\u0661", "\u0662)", " \t"])
                | st.text("ab1 ", min_size=1, max_size=3), max_size=16).map("".join))
def test_escape_shortcuts_give_what_the_full_rules_give(text):
    assert escape_text(text) == "\n".join(full_rules(line) for line in text.split("\n"))


# Files and bytes


def test_read_wire_decodes_bom_utf16_and_windows_1252(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes(b"\xef\xbb\xbf" + wire().encode("utf-8"))
    assert read_wire(path).story.headline == HEADLINE and read_wire(path).notes == []
    path.write_bytes(wire().encode("utf-16"))
    assert read_wire(path).story.section == "News / Metro"
    path.write_bytes(wire(headline="Caf\u00e9 owners \u201cdelighted\u201d").encode("cp1252"))
    result = read_wire(path)
    assert result.story.headline == "Caf\u00e9 owners \u201cdelighted\u201d"
    assert any("Windows-1252" in note for note in result.notes)


def test_read_wire_refuses_binary_huge_undecodable_and_missing_files(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(FormatError, match="binary") as info:
        read_wire(binary)
    assert info.value.path == str(binary)
    undecodable = tmp_path / "odd.txt"
    undecodable.write_bytes(wire().encode() + b"\n\x81\x8d\xff\n")
    with pytest.raises(FormatError, match="not UTF-8") as info:
        read_wire(undecodable)
    assert info.value.line == wire().count("\n") + 2
    huge = tmp_path / "huge.txt"
    huge.write_bytes(wire().encode() + b"x" * (5 * 1024 * 1024))
    with pytest.raises(FormatError, match="larger than 5 MB"):
        read_wire(huge)
    with pytest.raises(FormatError, match="cannot read"):
        read_wire(tmp_path / "absent.txt")
    bad_utf16 = tmp_path / "bad16.txt"
    bad_utf16.write_bytes(b"\xff\xfe\x00\xd8")
    with pytest.raises(FormatError, match="UTF-16"):
        read_wire(bad_utf16)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400) | st.lists(
    st.sampled_from(["date 2024-03-08", "date 2024-99-99", "News / Metro", "", " ", "\r\n",
                     "Source: X Editor: Y", "Headline", "- a", "\x00", "\u2028", "\x0c"]),
    max_size=12).map("\n".join))
def test_any_text_is_a_valid_story_or_a_format_error(text):
    try:
        result = parse_wire(text, "random.txt")
    except FormatError as exc:
        assert str(exc).startswith("random.txt")
    else:
        check_valid(result.story)
        assert all(isinstance(note, str) for note in result.notes)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_a_valid_story_or_a_format_error(data):
    try:
        text, _notes = decode(data, "bytes.txt", windows_fallback=True)
        check_valid(parse_wire(text, "bytes.txt").story)
    except FormatError as exc:
        assert re.match(r"bytes\.txt(, line \d+)?: ", str(exc))


def test_text_full_of_control_characters_is_refused_as_binary():
    with pytest.raises(FormatError, match="control characters") as info:
        parse_wire("Headline\n\n" + "\x01\x02\x03abc" * 50, "ctl.txt")
    assert info.value.line == 3


def test_short_headline_after_a_lone_date_line_is_not_taken_for_a_section():
    result = parse_wire("date 2024-03-08\n\nRain stops play\n\nThe match was abandoned.\n")
    assert result.story.headline == "Rain stops play" and result.story.section == ""
    assert result.story.deck == "The match was abandoned."


# Hostile input: each of these would take minutes with a backtracking or quadratic parser.

PATHOLOGICAL = [
    "date" + " " * 50_000 + "x\n\nHeadline",
    "date 1" + " 1" * 50_000 + "x\n\nHeadline",
    "date 2024-01-01\n" + "a/" * 40_000 + "\n\nHeadline",
    "Headline\n\nDeck\n\n" + "A" * 50_000 + " x",
    "Headline\n\nDeck\n\n" + "AB " * 20_000 + "(x) -- y",
    "Headline\n\nDeck\n\nSource:" + " source:" * 20_000,
    "Headline\n\nDeck\n\n" + "&" * 50_000 + "a" * 50_000 + "<" * 50_000 + "]" * 50_000,
    "Headline\n\nDeck\n\n" + "-|" * 50_000 + "x",
    "\n" * 200_000 + "Headline",
    "Headline\n\nDeck\n\n" + "para\n\n" * 50_000,
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=range(len(PATHOLOGICAL)))
def test_pathological_copy_is_handled_in_linear_time(text):
    try:
        check_valid(parse_wire(text, "p.txt").story)
    except FormatError as exc:
        assert str(exc).startswith("p.txt, line ")


@pytest.mark.parametrize("headline", ["!!!", "上海新闻", "\u202eevil\u202c", "a\u200bb", "💥"])
def test_odd_headlines_still_give_a_valid_slug(headline):
    story = parse_wire(wire(headline=headline)).story
    assert story.headline == headline
    check_valid(story)


def test_a_section_path_with_too_many_parts_is_refused():
    with pytest.raises(FormatError, match="section path"):
        parse_wire(wire(section="A / B / C / D / E / F"))


def test_zero_byte_and_whitespace_files_are_refused(tmp_path):
    for content in (b"", b"\xef\xbb\xbf", b" \r\n\t\r\n", b"\xff\xfe"):
        path = tmp_path / "blank.txt"
        path.write_bytes(content)
        with pytest.raises(FormatError, match="empty"):
            read_wire(path)


def test_a_folder_is_not_a_wire_file(tmp_path):
    with pytest.raises(FormatError, match="cannot read"):
        read_wire(tmp_path)


# Text with none of the wire landmarks is not wire copy (QA: plain junk became a story).


@pytest.mark.parametrize("text", ["hello there\nthis is not wire copy\n",
                                  "Headline\n\nDeck\n\nA paragraph.\n"])
def test_text_without_date_line_section_or_trailer_is_refused(text):
    with pytest.raises(FormatError, match="not wire copy") as info:
        parse_wire(text, "junk.txt")
    assert (info.value.path, info.value.line) == ("junk.txt", 1)
    assert "no date line, section or Source/Editor trailer" in str(info.value)


def test_a_date_line_or_a_trailer_alone_is_enough():
    assert parse_wire(wire(trailer=None)).story.headline == HEADLINE
    assert parse_wire(wire(date_line=None, section=None)).story.headline == HEADLINE


def test_a_bare_iso_date_line_is_the_date_not_the_headline():
    result = parse_wire(wire(date_line="2024-03-08"))
    assert result.story.headline == HEADLINE
    assert result.story.dateline.date == date(2024, 3, 8)
    assert result.story.section == "News / Metro"
    with pytest.raises(FormatError, match="not a date") as info:
        parse_wire("2024-13-45\n\nHeadline\n\nDeck\n", "d.txt")
    assert info.value.line == 1
