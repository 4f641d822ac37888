"""publish/hugo: our own front-matter writer gives YAML that reads back as what was meant."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import Dateline
from newsdesk.formats.errors import FormatError
from newsdesk.publish.hugo import front_matter, render_page, shared_files
from newsdesk.publish.manifest import StoryEntry
from tests.unit.publish.export_corpus import approve, corpus, make_story

HOSTILE_TEXT = [
    "NO", "yes", "null", "~", "2024-01-01", "1e3", "0777", "12:30", "# not a comment",
    "key: value", "- a list?", "{a: 1}", "[1, 2]", "*alias", "&anchor", "!!python/object",
    "'single'", '"double"', "back\\slash", "%TAG", "@at", "`tick`", "|", ">", "---", "...",
    " leading and trailing ", "tab\there", "line\nbreak", "cr\rlf", "\x00\x07\x1b\x7f",
    "\x85\xa0\u2028\u2029\ufeff\ufffe", "ünïcödé 新闻", "emoji 😀👍🏽", "x" * 20_000,
]
# Any text but lone surrogates (which have no UTF-8 form; refused below).
TEXT = st.text(st.characters(blacklist_categories=("Cs",))) | st.sampled_from(HOSTILE_TEXT)


def front_of(page: str) -> dict:
    assert page.startswith("---\n")
    front, _, _body = page[4:].partition("\n---\n")
    return yaml.safe_load(front)


def page_and_front(story, aliases=()):
    approval = story.approvals[-1]
    return render_page(story, approval, aliases), front_matter(story, approval, aliases)


@pytest.mark.parametrize("story", corpus(), ids=lambda s: s.slug)
def test_the_front_matter_reads_back_as_the_dict_it_was_written_from(story):
    page, expected = page_and_front(story, ["/old/one/", "/old/two/"])
    front = front_of(page)
    assert front == expected
    assert list(front) == list(expected)  # same keys, same order
    assert list(front["dateline"]) == ["place", "date"]


@settings(max_examples=150, deadline=None)
@given(headline=TEXT, deck=TEXT, byline=TEXT, caption=TEXT, source=TEXT, place=TEXT,
       section=TEXT, tags=st.lists(TEXT, max_size=4), aliases=st.lists(TEXT, max_size=3))
def test_hostile_text_reads_back_as_written(headline, deck, byline, caption, source, place,
                                            section, tags, aliases):
    story = approve(make_story(
        1, headline=headline, deck=deck, byline=byline, caption=caption, source=source,
        section=section, tags=tuple(tags), dateline=Dateline(place, None),
    ))
    page, expected = page_and_front(story, aliases)
    assert front_of(page) == expected


def test_every_string_is_double_quoted_so_no_parser_reads_a_type_into_it():
    story = approve(make_story(2, headline="NO", tags=("1e3", "2024-01-01", "null")))
    page, _ = page_and_front(story)
    front = page[4:].partition("\n---\n")[0]
    assert 'title: "NO"' in front.splitlines()
    assert 'tags: ["1e3", "2024-01-01", "null"]' in front.splitlines()
    assert "draft: false" in front.splitlines() and "  revision: 1" in front.splitlines()


def test_a_lone_surrogate_is_refused_as_markdown_files_refuse_it():
    # A story field with one cannot even be hashed (so never approved); a section title
    # taken from a manifest entry reaches the writer, which refuses it with a clear error.
    story = approve(make_story(3))
    entry = StoryEntry(story.id, story.slug, story.headline, "News \ud800 / Metro",
                       story.revision, story.content_hash, story.approvals[-1], {})
    with pytest.raises(FormatError, match="lone surrogate"):
        shared_files([entry])


def test_section_pages_read_back_as_their_titles():
    stories = [approve(make_story(n, section=section)) for n, section in enumerate(
        ["NO / 2024-01-01", 'Quotes "x" / #hash', "新闻 / 😀"], start=1)]
    entries = [
        StoryEntry(s.id, s.slug, s.headline, s.section, s.revision, s.content_hash,
                   s.approvals[-1], {})
        for s in stories
    ]
    titles = {}
    for path, data in shared_files(entries).items():
        text = data.decode("utf-8")
        assert text.startswith("---\n") and text.endswith("\n---\n")
        titles[path] = yaml.safe_load(text[4:-4])
    assert titles["content/no/_index.md"] == {"title": "NO"}
    assert {"title": "2024-01-01"} in titles.values()
    assert {"title": 'Quotes "x"'} in titles.values()
    assert {"title": "😀"} in titles.values()
