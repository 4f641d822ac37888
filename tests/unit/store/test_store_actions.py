"""The store's side of signed workflow actions and identity: transitions, what a sync
takes, rejections recorded once, keys with every revision and event, desk events, and a
database from before all this opening as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from newsdesk.domain.model import Approval, Story, WorkflowAction, utcnow
from newsdesk.store import Store, StoreError, schema
from newsdesk.store.records import ORIGIN_FILE, ORIGIN_SIGNED, Attribution, Session
from tests.unit.sync_helpers import Person, new_story


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "desk.db") as opened:
        opened.session = Session(key=lambda: "k-here")
        yield opened


def test_writes_record_the_session_key_or_the_claim_given(store: Store) -> None:
    story = new_story(store)
    claim = Attribution("Chief Ann", "k-sam", ORIGIN_FILE)
    edited = store.save(story.replace(deck="New deck"), story.revision, actor=claim)
    assert (edited.modified_by, edited.modified_key) == ("Chief Ann", "k-sam")
    assert [(r.author, r.author_key, r.origin) for r in store.revisions(story.id)] == [
        ("Reporter One", "k-here", ""), ("Chief Ann", "k-sam", "file"),
    ]
    assert [(e.action, e.actor, e.actor_key, e.origin) for e in store.history(story.id)] == [
        ("created", "Reporter One", "k-here", ""), ("edited", "Chief Ann", "k-sam", "file"),
    ]
    assert store.signed.keys_that_saved(story.id, story.content_hash) == {"k-here"}


def test_a_transition_appends_its_action_and_refuses_a_story_that_moved_on(store) -> None:
    story = new_story(store)
    writer = Person("Writer", "editor")
    submitted = writer.act(store, story.id, "submit")
    assert submitted.status == "in_review"
    assert [a.action for a in submitted.actions] == ["submit"]
    event = store.history(story.id)[-1]
    assert (event.action, event.actor, event.actor_key) == (
        "submit", "Writer", submitted.actions[0].key_id,
    )
    stale = WorkflowAction("spike", "X", "", utcnow(), story.revision, "", "draft", "spiked")
    with pytest.raises(StoreError, match="became in_review meanwhile"):
        store.signed.record_transition(story.id, stale, expected_revision=story.revision)


def test_take_arrival_adds_only_what_is_new_with_signed_events(store) -> None:
    story = new_story(store)
    chief = Person("Chief", "desk_chief")
    other = Store.open(store.path.with_name("other.db"))
    other.insert(story)
    Person("Writer", "editor").act(other, story.id, "submit")
    approved = chief.act(other, story.id, "approve")
    for _twice in range(2):
        taken = store.signed.take_arrival(
            story.id, status="approved", actions=approved.actions,
            approvals=approved.approvals, expected_revision=story.revision,
        )
    other.close()
    assert taken.status == "approved" and taken.actions == approved.actions
    assert taken.approvals == approved.approvals
    signed = [(e.action, e.origin) for e in store.history(story.id) if e.origin]
    assert signed == [("submit", ORIGIN_SIGNED), ("approve", ORIGIN_SIGNED)]


def test_a_rejection_is_recorded_once_until_the_story_changes(store) -> None:
    story = new_story(store)
    claim = Attribution("Chief Ann", "", ORIGIN_FILE)
    reason = "status draft -> published not applied: no signed action"
    assert store.signed.record_rejection(story.id, claim, "draft", "published", reason)
    assert not store.signed.record_rejection(story.id, claim, "draft", "published", reason)
    assert store.signed.record_rejection(story.id, claim, "draft", "approved", "another claim")
    store.save(story.replace(deck="Changed"), story.revision, actor="Editor")
    assert store.signed.record_rejection(story.id, claim, "draft", "published", reason)
    rejected = [e for e in store.history(story.id) if e.action == "rejected"]
    assert len(rejected) == 3 and rejected[0].actor == "Chief Ann"


def test_a_new_name_for_a_known_key_is_a_desk_event(store) -> None:
    assert store.signed.bind_identity("root", "k1").action == "first_used"
    assert store.signed.bind_identity("root", "k1") is None
    renamed = store.signed.bind_identity("Sam Newcomer", "k1")
    assert renamed is not None and renamed.note == (
        "root is now called Sam Newcomer (key k1, unchanged)"
    )
    store.signed.bind_identity("Ann", "k2")
    assert [e.actor for e in store.signed.desk_events(["k1"])] == ["root", "Sam Newcomer"]
    assert len(store.signed.desk_events()) == 3
    assert store.signed.bind_identity("anyone", "") is None


def test_a_database_from_before_signed_actions_opens_and_reads_as_before(tmp_path) -> None:
    """Schema 1, as the previous release wrote it: its stories read with no actions and
    no keys, their approvals still count, and the first write after adds keys."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = Database(conn)
    conn.execute("BEGIN")
    schema.MIGRATIONS[0](db)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute("COMMIT")
    story = Story(slug="old-one", headline="Old one", status="approved", revision=1,
                  modified_by="Xu Fang")
    approval = Approval("Li Wei", 1, story.content_hash, utcnow(), "a2V5", "c2ln")
    row = {
        "id": story.id, "slug": "old-one", "headline": "Old one", "status": "approved",
        "revision": 1, "created_at": "2024-01-01T00:00:00+00:00",
        "updated_at": "2024-01-01T00:00:00+00:00", "modified_by": "Xu Fang",
        "approvals": f"[{{\"approver\": \"Li Wei\", \"revision\": 1, \"content_hash\": "
                     f"\"{story.content_hash}\", \"approved_at\": "
                     f"\"{approval.approved_at.isoformat()}\", \"public_key\": \"a2V5\", "
                     "\"signature\": \"c2ln\"}]",
        "body": "", "tags": "[]", "extra": "{}",
    }
    db["stories"].insert(row)
    conn.commit()
    conn.close()
    with Store.open(path) as opened:
        old = opened.get(story.id)
        assert (old.status, old.actions, old.modified_key) == ("approved", (), "")
        assert old.current_approval == approval
        opened.session = Session(key=lambda: "k-new")
        saved = opened.save(old.replace(deck="Now with a deck"), 1, actor="Xu Fang")
        assert saved.modified_key == "k-new"
        assert opened.history(story.id)[-1].actor_key == "k-new"
