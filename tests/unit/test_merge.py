"""The pure three-way merge of stories: fields, tags as sets, body by paragraph."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.model import Approval, Dateline, Story
from newsdesk.sync.merge import (
    diff3,
    join_paragraphs,
    merge_body,
    merge_extra,
    merge_stories,
    merge_tags,
    split_paragraphs,
)

BODY = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def story(**fields: object) -> Story:
    base = {
        "id": "0b6c3f52-3c1e-4a7e-9a55-1f1d2b3c4d5e",
        "slug": "harbour-bridge",
        "headline": "Harbour bridge reopens",
        "body": BODY,
        "tags": ("transport", "harbour"),
    }
    return Story(**{**base, **fields})  # type: ignore[arg-type]


def test_one_side_changed_takes_that_side():
    base = story()
    local = story(headline="Harbour bridge reopens after repairs")
    result = merge_stories(base, local, base)
    assert result.clean
    assert result.story.headline == "Harbour bridge reopens after repairs"
    result = merge_stories(base, base, local)
    assert result.clean and result.story.headline == local.headline


def test_different_fields_merge_cleanly():
    base = story()
    local = story(headline="New headline", deck="A deck")
    remote = story(section="News / Metro", dateline=Dateline("Harbour City", None))
    result = merge_stories(base, local, remote)
    assert result.clean
    merged = result.story
    assert (merged.headline, merged.deck) == ("New headline", "A deck")
    assert merged.section == "News / Metro"
    assert merged.dateline.place == "Harbour City"


def test_same_field_changed_differently_is_a_conflict_keeping_both():
    base = story()
    result = merge_stories(base, story(headline="Local words"), story(headline="Remote words"))
    assert not result.clean
    (conflict,) = result.conflicts
    assert (conflict.name, conflict.base, conflict.local, conflict.remote) == (
        "headline",
        base.headline,
        "Local words",
        "Remote words",
    )
    assert result.story.headline == "Local words"


def test_same_change_on_both_sides_is_no_conflict():
    base = story()
    result = merge_stories(base, story(status="in_review"), story(status="in_review"))
    assert result.clean and result.story.status == "in_review"


def test_tags_merge_as_sets():
    assert merge_tags(("a", "b"), ("a", "b", "c"), ("b", "d")) == ("b", "c", "d")
    # Case-insensitive, as the model treats tags.
    assert merge_tags(("Port",), ("port", "x"), ("Port",)) == ("port", "x")
    # Without a base nothing can be known to be removed: union.
    assert merge_tags(None, ("a",), ("b",)) == ("a", "b")


def test_body_edits_in_different_paragraphs_merge():
    local = BODY.replace("First", "The first")
    remote = BODY.replace("Third", "The third")
    body, conflicts = merge_body(BODY, local, remote)
    assert not conflicts
    assert body == "The first paragraph.\n\nSecond paragraph.\n\nThe third paragraph.\n"


def test_body_paragraph_added_and_another_edited_merge():
    local = BODY.replace("Second paragraph.", "Second paragraph.\n\nAn inserted paragraph.")
    remote = BODY.replace("First", "1st")
    body, conflicts = merge_body(BODY, local, remote)
    assert not conflicts
    assert split_paragraphs(body) == [
        "1st paragraph.",
        "Second paragraph.",
        "An inserted paragraph.",
        "Third paragraph.\n",
    ]


def test_body_same_paragraph_is_a_conflict_that_keeps_both_texts():
    local = BODY.replace("Second", "Local second")
    remote = BODY.replace("Second", "Remote second")
    body, conflicts = merge_body(BODY, local, remote)
    assert body == local
    (conflict,) = conflicts
    assert conflict.local == "Local second paragraph."
    assert conflict.remote == "Remote second paragraph."
    assert conflict.base == "Second paragraph."


def test_body_without_base_conflicts_when_different():
    body, conflicts = merge_body(None, "a", "b")
    assert body == "a" and len(conflicts) == 1
    assert merge_body(None, "same", "same") == ("same", [])


def test_approvals_are_never_dropped():
    when = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    first = Approval("Chief A", 2, "sha256:aa", when)
    second = Approval("Chief B", 3, "sha256:bb", when.replace(hour=10))
    base = story()
    result = merge_stories(base, story(approvals=(first,)), story(approvals=(second,)))
    assert result.clean
    assert result.story.approvals == (first, second)


def test_extra_keys_merge_key_by_key():
    merged, conflicts = merge_extra({"a": 1, "b": 2}, {"a": 1, "b": 3}, {"a": 1, "c": 4, "b": 2})
    assert not conflicts and merged == {"a": 1, "b": 3, "c": 4}
    merged, conflicts = merge_extra({"a": 1}, {}, {"a": 1})
    assert not conflicts and merged == {}
    merged, conflicts = merge_extra({"a": 1}, {"a": 2}, {"a": 3})
    assert [c.name for c in conflicts] == ["extra.a"] and merged == {"a": 2}


def test_bookkeeping_fields_stay_local():
    local = story(revision=7, modified_by="Local Editor")
    remote = story(revision=3, modified_by="Remote Editor", headline="Changed remotely")
    result = merge_stories(story(), local, remote)
    assert (result.story.revision, result.story.modified_by) == (7, "Local Editor")


paragraph = st.text(alphabet="abc xyz.", min_size=1, max_size=12).filter(
    lambda p: p.strip() == p and p
)


@settings(max_examples=60)
@given(st.lists(paragraph, max_size=6), st.lists(paragraph, max_size=6))
def test_diff3_chunks_rebuild_each_side(base, other):
    for chunks in (diff3(base, other, base), diff3(base, base, other)):
        assert [item for chunk in chunks for item in chunk[0]] == base
        rebuilt = [item for chunk in chunks for item in chunk[1]]
        rebuilt2 = [item for chunk in chunks for item in chunk[2]]
        assert other in (rebuilt, rebuilt2)


@settings(max_examples=60)
@given(st.lists(paragraph, min_size=1, max_size=6), st.lists(paragraph, max_size=6))
def test_merging_a_side_with_itself_gives_that_side(base, other):
    text_base, text_other = join_paragraphs(base), join_paragraphs(other)
    assert merge_body(text_base, text_other, text_other) == (text_other, [])
    assert merge_body(text_base, text_base, text_other) == (text_other, [])
    assert merge_body(text_base, text_other, text_base) == (text_other, [])
