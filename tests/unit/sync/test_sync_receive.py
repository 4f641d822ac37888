"""A laptop receiving stories it never had: in bulk (sync/receive.py), with the files read
on worker processes when there are many (sync/readers.py), and the same stories, records
and history as when each is taken one by one; what needs more than its file is still
settled one by one, and every signature is still checked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsdesk.domain.model import Approval, Story, utcnow
from newsdesk.formats.markdown import dumps, loads
from newsdesk.store import Store
from newsdesk.store.sync_records import base_snapshot
from newsdesk.sync import readers, receive
from newsdesk.sync.cache import UNKNOWN_STAT
from newsdesk.sync.scan import FileState
from tests.unit.sync_helpers import Person, new_story, story_files, sync, trusting

CHIEF = Person("Chief Xu", "desk_chief")
WRITER = Person("Writer Ada", "editor")
STEPS = {
    "draft": [],
    "in_review": [(WRITER, "submit")],
    "approved": [(WRITER, "submit"), (CHIEF, "approve")],
    "published": [(WRITER, "submit"), (CHIEF, "approve"), (CHIEF, "publish")],
    "spiked": [(WRITER, "submit"), (CHIEF, "spike")],
}


def archive(store: Store) -> list[str]:
    """A story in each status, reached by signed actions."""
    ids = []
    for status, steps in STEPS.items():
        story = new_story(store, f"story-{status.replace('_', '-')}")
        for who, action in steps:
            who.act(store, story.id, action)
        ids.append(story.id)
    return ids


def held(store: Store, story_id: str) -> tuple:
    story = store.get(story_id)
    events = [(e.action, e.actor, e.actor_key, e.origin, e.from_status, e.to_status)
              for e in store.history(story_id)]
    revisions = [(r.revision, r.author, r.origin) for r in store.revisions(story_id)]
    return (story.status, story.actions, story.approvals, story.body, story.slug,
            story.revision, story.modified_by, events, revisions)


@pytest.fixture
def three(tmp_path: Path):
    stores = [trusting(Store.open(tmp_path / f"{name}.db"), CHIEF) for name in "abc"]
    yield (*stores, tmp_path / "shared")
    for store in stores:
        store.close()


def test_in_bulk_a_laptop_holds_what_one_by_one_would_have_made(three, monkeypatch):
    a, b, c, folder = three
    ids = archive(a)
    sync(a, folder)
    bulk = sync(b, folder)
    assert bulk.counts() == {"imported": len(ids)}
    monkeypatch.setattr(receive.BulkImport, "run", lambda self, story_ids, tick: story_ids)
    one_by_one = sync(c, folder)
    monkeypatch.undo()
    assert one_by_one.counts() == bulk.counts()
    for story_id in ids:
        assert held(b, story_id) == held(c, story_id)
    assert {b.get(i).status for i in ids} == set(STEPS)
    for store in (a, b, c):
        assert sync(store, folder).counts() == {}


def test_a_story_that_needs_more_than_its_file_is_settled_one_by_one(three):
    """A slug a story here holds (renamed, reported) and a forged approval (refused,
    reported, recorded) arrive in the same batch as a plain story."""
    a, b, _c, folder = three
    plain = new_story(a, "plain-story")
    clash = new_story(a, "city-budget")
    forged = new_story(a, "ferry-strike")
    sync(a, folder)
    here = new_story(b, "city-budget", created_at=clash.created_at.replace(year=2030))
    path = next(p for p in story_files(folder) if forged.id[:8] in p.name)
    story = loads(path.read_text(encoding="utf-8"))
    fake = Approval("Chief Xu", story.revision, story.content_hash, utcnow(),
                    CHIEF.public_key, "A" * 86 + "==")
    path.write_text(dumps(story.replace(status="approved", approvals=(fake,))),
                    encoding="utf-8")
    report = sync(b, folder)
    assert report.counts() == {"imported": 3, "renamed": 1, "rejected": 1, "exported": 1}
    assert b.get(clash.id).slug == "city-budget" and b.get(here.id).slug != "city-budget"
    refused = b.get(forged.id)
    assert (refused.status, refused.approvals) == ("in_review", ())
    assert [e.action for e in b.history(forged.id)][-1] == "rejected"
    assert b.get(plain.id).body == plain.body


def test_files_read_on_workers_come_in_alike_and_every_signature_is_checked(
    three, monkeypatch
):
    """The pool is used from two files on (readers.POOL_MIN): the stories and records
    are those read in place, and a forged action is refused all the same."""
    a, b, c, folder = three
    ids = archive(a)
    sync(a, folder)
    path = next(p for p in story_files(folder) if ids[1][:8] in p.name)  # in review
    story = loads(path.read_text(encoding="utf-8"))
    forged = replace(story.actions[0], action="approve", from_status="in_review",
                     to_status="approved", public_key=CHIEF.public_key)
    path.write_text(dumps(story.replace(status="approved", actions=(*story.actions, forged))),
                    encoding="utf-8")
    monkeypatch.setattr(readers, "POOL_MIN", 2)
    assert readers.worker_count() > 0 or pytest.skip("one core: no workers here")
    pools: list[int] = []
    real = readers._on_workers


    def on_workers_spied(*args):
        states = real(*args)  # raises if the pool broke (then it reads in place)
        pools.append(len(states))
        return states

    monkeypatch.setattr(readers, "_on_workers", on_workers_spied)
    on_workers = sync(b, folder)
    assert pools == [len(ids)]
    monkeypatch.setattr(readers, "POOL_MIN", 10**9)
    in_place = sync(c, folder)
    assert on_workers.counts() == in_place.counts() == {"imported": 5, "rejected": 1}
    for story_id in ids:
        assert held(b, story_id) == held(c, story_id)
        # Worked out on the workers (readers.prepare): the stored word count, content
        # hash and base snapshot are those the story and file give here.
        assert stored(b, story_id) == stored(c, story_id)
        assert stored(b, story_id)[:2] == (b.get(story_id).word_count,
                                          b.get(story_id).content_hash)
    assert b.get(ids[1]).status == "in_review"


def stored(store: Store, story_id: str) -> tuple:
    """The columns and base snapshot a sync works out where the file was read."""
    words, content_hash = store.db.execute(
        "SELECT word_count, content_hash FROM stories WHERE id = ?", [story_id]
    ).fetchone()
    folder = store.db.execute("SELECT id FROM sync_folders").fetchone()[0]
    return words, content_hash, base_snapshot(store.db, folder, story_id)


def _read(story: Story, counted: tuple[int, str] | None) -> FileState:
    state = FileState("stories/x.md", UNKNOWN_STAT, "", story.id, False, None, "", story)
    state.counted = counted
    return state


def test_counts_from_the_worker_are_used_only_for_the_same_content():
    """receive._counted: the worker's word count and content hash stand for the story
    as stored only when its content is the file's; any other story is worked out again."""
    story = Story(id="0" * 26, slug="harbour-bridge", headline="Bridge", body="One two.")
    counted = (story.word_count, story.content_hash)
    table = [
        (story, counted, counted),
        (story.replace(status="approved", revision=3, modified_by="Ann"), counted, counted),
        (story.replace(body="One two three."), counted, None),
        (story.replace(headline="Bridge shut"), counted, None),
        (story.replace(tags=("ports",)), counted, None),
        (story, None, None),
    ]
    for first, worked_out, expected in table:
        assert receive._counted(_read(story, worked_out), first) == expected


def test_records_go_in_their_column_as_as_dict_makes_them(three):
    """store/codec.records_json writes an action without dataclasses.asdict (the cost of
    writing a received archive's rows): the same JSON, key for key."""
    import json

    from newsdesk.store.codec import records_json

    a, _b, _c, _folder = three
    story = a.get(archive(a)[3])  # published: submit, approve, publish
    assert len(story.actions) == 3 and story.approvals
    for records in (story.actions, story.approvals):
        assert records_json(records) == json.dumps(
            [record.as_dict() for record in records], ensure_ascii=False
        )
