"""The pure three-way merge of stories: fields, tags as sets, body by paragraph."""

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import Approval, Dateline, Story
from newsdesk.sync.merge import (
    RESOLUTION_KEY,
    competing_resolutions,
    merge_body,
    merge_extra,
    merge_stories,
    merge_tags,
    resolution_marker,
)
from newsdesk.sync.paragraphs import paragraphs
from newsdesk.sync.state import sync_hash

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
    assert paragraphs(body) == [
        "1st paragraph.",
        "Second paragraph.",
        "An inserted paragraph.",
        "Third paragraph.",
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


def test_take_remote_takes_the_other_side_for_the_clashes_only():
    base = story()
    local = story(headline="Local words", deck="A local deck", tags=("transport", "mine"))
    remote = story(headline="Remote words", section="News / Metro", tags=("transport",))
    result = merge_stories(base, local, remote, take="remote")
    assert [c.key for c in result.conflicts] == ["headline"]
    merged = result.story
    assert (merged.headline, merged.deck, merged.section) == (
        "Remote words",
        "A local deck",
        "News / Metro",
    )
    assert set(merged.tags) == {"transport", "mine"}
    per_clash = merge_stories(base, local, remote, take={"headline": "remote"})
    assert per_clash.story.headline == "Remote words"


def test_tags_changed_on_both_sides_merge_the_same_on_both_laptops():
    base = ("transport", "harbour")
    one, two = ("transport", "harbour", "bridges"), ("ferries", "transport")
    assert merge_tags(base, one, two) == merge_tags(base, two, one)
    assert set(merge_tags(base, one, two)) == {"transport", "bridges", "ferries"}
    # A spelling changed on one side wins; on both, the same one on both laptops.
    merged = merge_tags(("Port",), ("port", "x"), ("Port", "y"))
    assert sorted(merged) == ["port", "x", "y"]
    assert merge_tags(("Port",), ("Port", "y"), ("port", "x")) == merged
    assert merge_tags(("Port",), ("PORT", "x"), ("port", "y")) == merge_tags(
        ("Port",), ("port", "y"), ("PORT", "x")
    )


def resolved(base: Story, at: str, **fields: object) -> Story:
    mark = resolution_marker(base, at, "Chief")
    return story(**fields, extra={RESOLUTION_KEY: mark})


def test_two_resolutions_of_the_same_conflict_settle_on_the_later_one():
    base = story(headline="The version both resolved against")
    early = resolved(base, "2026-11-25T09:00:00Z", headline="Early choice", deck="Early deck")
    late = resolved(base, "2026-11-25T10:00:00Z", headline="Late choice", byline="Late byline")
    for local, remote in ((early, late), (late, early)):
        result = merge_stories(base, local, remote)
        assert result.clean, result.conflicts
        merged = result.story
        # The clash goes to the later resolution; what did not clash merges as usual.
        assert (merged.headline, merged.deck, merged.byline) == (
            "Late choice",
            "Early deck",
            "Late byline",
        )
        assert merged.extra[RESOLUTION_KEY] == late.extra[RESOLUTION_KEY]
        assert "kept the later one" in result.note and "headline" in result.note
    # Made at the same moment: the greater sync hash wins, on both laptops alike.
    one = resolved(base, "2026-11-25T09:00:00Z", headline="One")
    two = resolved(base, "2026-11-25T09:00:00Z", headline="Two")
    winner = max((one, two), key=sync_hash).headline
    assert merge_stories(base, one, two).story.headline == winner
    assert merge_stories(base, two, one).story.headline == winner


def test_other_clashes_still_need_a_person():
    base = story(headline="Base")
    other_base = story(headline="Another version")
    marked = resolved(other_base, "2026-11-25T10:00:00Z", headline="Resolved")
    # Only one side resolved, or they resolved against another version, or a mark
    # was tampered with: a conflict as ever.
    plain = story(headline="Edited")
    assert competing_resolutions(base, marked, plain) is None
    assert not merge_stories(base, marked, plain).clean
    two = resolved(other_base, "2026-11-25T11:00:00Z", headline="Also resolved")
    assert competing_resolutions(base, marked, two) is None
    broken = story(headline="Broken", extra={RESOLUTION_KEY: "not a mark"})
    assert competing_resolutions(base, broken, two) is None
    assert not merge_stories(base, broken, two).clean


def test_resolution_marks_never_clash_themselves():
    base = story()
    one = resolved(base, "2026-11-25T09:00:00Z", deck="Deck")
    two = resolved(story(headline="x"), "2026-11-25T10:00:00Z", byline="Byline")
    result = merge_stories(base, one, two)
    assert result.clean
    assert result.story.extra[RESOLUTION_KEY] == two.extra[RESOLUTION_KEY]
    assert merge_stories(base, two, one).story.extra == result.story.extra


bodies = st.lists(
    st.sampled_from(["Alpha one.", "Beta two.", "Gamma three.", "Delta four.", "Eps five."]),
    max_size=5,
)
tag_lists = st.lists(st.sampled_from(["a", "B", "b", "c", "D"]), max_size=4)


@settings(max_examples=80)
@given(bodies, bodies, bodies, tag_lists, tag_lists, tag_lists)
def test_a_clean_merge_is_the_same_on_both_laptops(b, lo, re_, tb, tl, tr):
    """Laptop A merges (base, A, B), laptop B merges (base, B, A): a clean result must be
    the same story, or the two would rewrite each other's file forever."""
    base = story(body="\n\n".join(b), tags=tuple(tb))
    local = story(body="\n\n".join(lo), tags=tuple(tl), headline="Changed here")
    remote = story(body="\n\n".join(re_), tags=tuple(tr), deck="Changed there")
    one, two = merge_stories(base, local, remote), merge_stories(base, remote, local)
    assert one.clean == two.clean
    if one.clean:
        assert sync_hash(one.story) == sync_hash(two.story)
