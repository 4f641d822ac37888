"""Store: insert, save, revisions, history, status, approvals, trash, sections and tags."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from newsdesk.domain.model import Approval, Dateline, Story, ValidationError
from newsdesk.store import NotFound, SlugTaken, StaleRevision, Store, StoreError


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "desk.db") as opened:
        yield opened


def awkward_story(**changes) -> Story:
    shanghai = timezone(timedelta(hours=8))
    story = Story(
        slug="harbour-lights",
        headline="Harbour lights: “NO” to 1:30 closing — 港口 🚢",
        deck="yes\n---\n: colon",
        byline="N and 0777",
        dateline=Dateline("Shanghai", date(2023, 11, 6)),
        section="News / Metro",
        editor="Xu Fang",
        source="Staff",
        tags=("NO", "港口", "night life"),
        caption="Lights over the river. Photo: staff",
        body="First paragraph with *emphasis*.\n\n<TK> [[check name]]\n\n上海的夜晚\n",
        ednote="Check the quote with the harbour office",
        embargo=datetime(2023, 11, 7, 9, 30, tzinfo=shanghai),
        created_at=datetime(2023, 11, 6, 1, 2, 3, tzinfo=UTC),
        extra={
            "priority": 3,
            "flags": ["a", None, True, 1.5],
            "when": date(2023, 1, 2),
            "seen": datetime(2023, 1, 2, 3, 4, 5),
            "$odd": {"nested": {1: b"\x00bytes"}},
            "set": {"x", "y"},
        },
    )
    return story.replace(**changes)


def test_insert_and_get_round_trip_every_field(store):
    story = awkward_story()
    saved = store.insert(story, actor="ann")
    assert saved.revision == 1
    assert saved.modified_by == "ann"
    got = store.get(story.id)
    assert got == saved
    for name in (
        "slug",
        "headline",
        "deck",
        "byline",
        "dateline",
        "section",
        "editor",
        "source",
        "tags",
        "caption",
        "body",
        "ednote",
        "embargo",
        "status",
        "created_at",
        "extra",
    ):
        assert getattr(got, name) == getattr(story, name), name
    assert got.embargo.utcoffset() == timedelta(hours=8)  # the offset given is kept
    assert got.tags == ("NO", "港口", "night life")  # order typed is kept
    assert got.content_hash == story.content_hash


def test_insert_keeps_revision_of_imported_story(store):
    imported = awkward_story(
        revision=7, modified_by="far-away desk", updated_at=datetime(2023, 11, 6, 5, tzinfo=UTC)
    )
    saved = store.insert(imported, actor="importer")
    assert saved.revision == 7
    assert saved.modified_by == "far-away desk"
    assert saved.updated_at == imported.updated_at
    assert [r.revision for r in store.revisions(saved.id)] == [7]


def test_approvals_round_trip(store):
    story = store.insert(awkward_story())
    approval = Approval(
        "Desk Chief",
        story.revision,
        story.content_hash,
        datetime(2023, 11, 6, 8, tzinfo=UTC),
        "pk",
        "sig",
    )
    approved = store.add_approval(story.id, approval)
    assert store.get(story.id).approvals == (approval,)
    assert approved.current_approval == approval
    edited = store.save(approved.replace(body="Changed."), approved.revision)
    assert edited.approval_voided  # voided by the hash, not by the store


def test_invalid_story_is_refused_and_nothing_written(store):
    with pytest.raises(ValidationError) as caught:
        store.insert(Story(slug="../../x", headline=""))
    assert {"slug", "headline"} <= set(caught.value.problems)
    assert store.count() == 0


def test_unstorable_extra_value_is_a_validation_error(store):
    with pytest.raises(ValidationError, match="extra"):
        store.insert(awkward_story(extra={"thing": object()}))
    assert store.count() == 0


def test_duplicate_id_is_refused(store):
    story = store.insert(awkward_story())
    with pytest.raises(StoreError, match="already exists"):
        store.insert(story.replace(slug="another-slug", revision=0))


def test_save_bumps_revision_and_keeps_old_revision(store):
    first = store.insert(awkward_story(), actor="ann")
    second = store.save(
        first.replace(body="A new body.", headline="New headline"), expected_revision=1, actor="bob"
    )
    assert (second.revision, second.modified_by) == (2, "bob")
    assert second.updated_at >= first.updated_at
    assert [(r.revision, r.author) for r in store.revisions(first.id)] == [(1, "ann"), (2, "bob")]
    old = store.revision(first.id, 1)
    assert (old.body, old.headline, old.revision) == (first.body, first.headline, 1)
    assert old.extra == first.extra
    assert [e.action for e in store.history(first.id)] == ["created", "edited"]
    with pytest.raises(NotFound):
        store.revision(first.id, 9)


def test_save_ignores_status_and_approvals_in_the_given_story(store):
    first = store.insert(awkward_story())
    second = store.save(first.replace(status="published", body="x"), first.revision)
    assert second.status == "draft"


def test_no_op_save_keeps_revision(store):
    first = store.insert(awkward_story())
    same = store.save(first.replace(tags=tuple(reversed(first.tags))), 1)  # tags are a set
    assert same.revision == 1
    assert len(store.revisions(first.id)) == 1
    assert [e.action for e in store.history(first.id)] == ["created"]


def test_ednote_or_extra_change_is_a_revision(store):
    first = store.insert(awkward_story())
    second = store.save(first.replace(ednote="New note"), 1)
    third = store.save(second.replace(extra={"priority": 1}), 2)
    assert third.revision == 3
    assert third.extra == {"priority": 1}


def test_stale_revision_carries_the_current_story(store):
    first = store.insert(awkward_story())
    store.save(first.replace(body="Saved by someone else."), 1, actor="bob")
    with pytest.raises(StaleRevision) as caught:
        store.save(first.replace(body="My late edit."), 1, actor="ann")
    assert caught.value.current.body == "Saved by someone else."
    assert caught.value.current.revision == 2
    assert "bob" in str(caught.value)
    assert store.get(first.id).body == "Saved by someone else."


def test_save_of_unknown_story(store):
    with pytest.raises(NotFound):
        store.save(awkward_story(), 1)


def test_slug_clash_on_insert_and_save(store):
    first = store.insert(awkward_story())
    with pytest.raises(SlugTaken) as caught:
        store.insert(Story(slug=first.slug, headline="Second one"))
    assert "slug" in caught.value.problems
    assert isinstance(caught.value, StoreError)
    other = store.insert(Story(slug="other", headline="Other"))
    with pytest.raises(SlugTaken):
        store.save(other.replace(slug=first.slug), other.revision)


def test_section_is_normalized_and_added_on_save(store):
    story = store.insert(Story(slug="s", headline="H", section="Features\u00a0/ Food"))
    assert story.section == "Features / Food"
    assert "Features / Food" in store.sections()


def test_restore_revision_makes_a_new_revision(store):
    first = store.insert(awkward_story())
    store.save(first.replace(body="Worse body."), 1)
    restored = store.restore_revision(first.id, 1, expected_revision=2, actor="ann")
    assert (restored.revision, restored.body) == (3, first.body)
    assert store.history(first.id)[-1].action == "reverted"


def test_set_status_records_history_without_new_revision(store):
    story = store.insert(awkward_story())
    moved = store.set_status(
        story.id, "in_review", expected_revision=1, actor="ann", action="submit", note="ready"
    )
    assert (moved.status, moved.revision) == ("in_review", 1)
    event = store.history(story.id)[-1]
    assert (event.action, event.from_status, event.to_status, event.note, event.actor) == (
        "submit",
        "draft",
        "in_review",
        "ready",
        "ann",
    )
    with pytest.raises(StaleRevision):
        store.set_status(story.id, "approved", expected_revision=0, actor="x", action="approve")
    with pytest.raises(ValidationError):
        store.set_status(story.id, "lost", expected_revision=1, actor="x", action="x")


def test_record_event(store):
    story = store.insert(awkward_story())
    store.record_event(story.id, "exported", "robot", note="to hugo")
    event = store.history(story.id)[-1]
    assert (event.action, event.actor, event.revision, event.note) == (
        "exported",
        "robot",
        1,
        "to hugo",
    )


def test_trash_delete_undelete_purge(store):
    story = store.insert(awkward_story())
    with pytest.raises(StoreError, match="not in the trash"):
        store.purge(story.id)
    store.delete(story.id, actor="ann")
    assert store.list_rows() == []
    assert [r.id for r in store.list_rows(deleted=True)] == [story.id]
    assert store.search("harbour") == []
    assert store.tags() == []
    with pytest.raises(NotFound):
        store.find(story.slug)
    assert store.find(story.slug, deleted=True).id == story.id
    with pytest.raises(StoreError, match="trash"):
        store.save(story.replace(body="x"), 1)
    # the slug is free again while the story is in the trash
    taker = store.insert(Story(slug=story.slug, headline="Took the slug"))
    with pytest.raises(SlugTaken):
        store.undelete(story.id)
    store.delete(taker.id)
    back = store.undelete(story.id, actor="ann")
    assert store.find(back.slug).id == story.id
    assert [e.action for e in store.history(story.id)][-2:] == ["deleted", "undeleted"]
    store.purge(taker.id)
    with pytest.raises(NotFound):
        store.get(taker.id)
    assert (
        store.db.execute(
            "SELECT count(*) FROM revisions WHERE story_id = ?", [taker.id]
        ).fetchone()[0]
        == 0
    )
    assert store.db["purged"].get(taker.id)["slug"] == story.slug


def test_find_by_id_prefix_and_slug(store):
    story = store.insert(awkward_story())
    assert store.find(story.id).id == story.id
    assert store.find(story.id[:8]).id == story.id
    assert store.find(f"  {story.slug} ").id == story.id
    with pytest.raises(NotFound):
        store.find("nothing-like-it")
    with pytest.raises(NotFound):
        store.find(story.id[:5])  # too short to be a prefix


def test_ambiguous_id_prefix(store):
    base = "abcdef00-0000-4000-8000-00000000000"
    store.insert(Story(id=base + "1", slug="one", headline="One"))
    store.insert(Story(id=base + "2", slug="two", headline="Two"))
    with pytest.raises(StoreError, match="more than one"):
        store.find("abcdef00")


def test_sections_managed_list(store):
    assert store.add_section(" Features/Food ") == "Features / Food"
    store.add_section("Features")
    sections = store.sections()
    assert sections.index("Features / Food") == sections.index("Features") + 1
    store.insert(Story(slug="s", headline="H", section="Features / Food"))
    with pytest.raises(StoreError, match="still holds 1 story"):
        store.remove_section("Features / Food")
    with pytest.raises(StoreError):
        store.add_section(" / ")
    store.remove_section("Sport")
    assert "Sport" not in store.sections()


def test_rename_section_refiles_stories_as_revisions(store):
    story = store.insert(Story(slug="s", headline="H", section="News / Metro"))
    moved = store.rename_section("News", "Nachrichten", actor="chief")
    assert moved == 1
    assert store.get(story.id).section == "Nachrichten / Metro"
    assert store.get(story.id).revision == 2
    assert "News / Metro" not in store.sections()
    assert {"Nachrichten", "Nachrichten / Metro", "Nachrichten / World"} <= set(store.sections())


def test_tags_with_counts_and_completion(store):
    store.insert(Story(slug="a", headline="A", tags=("Climate", "Energy")))
    store.insert(Story(slug="b", headline="B", tags=("climate", "Port")))
    store.insert(Story(slug="c", headline="C", tags=("Climate",)))
    tags = dict(store.tags())
    assert tags["Climate"] == 3  # counted without regard to case
    assert tags["Energy"] == 1
    assert [t for t, _ in store.tags(prefix="p")] == ["Port"]
    assert store.tags(prefix="%") == []
    assert len(store.tags(limit=1)) == 1
    c = store.find("c")
    store.save(c.replace(tags=("Harbour",)), c.revision)
    assert dict(store.tags())["Climate"] == 2


def test_slug_owner_and_trash_order(store):
    first = store.insert(Story(slug="first", headline="First"))
    second = store.insert(Story(slug="second", headline="Second"))
    assert store.slug_owner("first") == first.id
    assert store.slug_owner("nobody") is None
    store.delete(second.id)
    store.delete(first.id)
    assert store.slug_owner("first") is None
    trash = store.list_rows(deleted=True, sort="deleted_at")
    assert [row.slug for row in trash] == ["first", "second"]  # most recently deleted first
    assert trash[0].deleted_at is not None


def test_find_accepts_upper_case_ids(store):
    story = store.insert(Story(slug="caps", headline="Caps"))
    assert store.find(story.id.upper()).id == story.id
    assert store.find(story.id[:8].upper()).id == story.id
