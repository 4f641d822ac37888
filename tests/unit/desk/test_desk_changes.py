"""What the Desk says it changed: every operation that changes data tells the subscribers
(Changes), and `outside_changes` finds what other connections wrote, from the change feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.desk import Changes, Desk, importing
from newsdesk.desk.changes import NOTHING, Subscribers, from_feed
from newsdesk.domain.model import NewsdeskError
from newsdesk.identity.profile import Profile
from newsdesk.store import Store, StoreError
from newsdesk.store.sync_conflicts import record_conflict
from newsdesk.store.sync_records import add_folder

A, B, C = "a" * 8, "b" * 8, "c" * 8


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        (Changes.of(created=[A]), Changes.of(changed=[A]), Changes.of(created=[A])),
        (Changes.of(changed=[A]), Changes.of(deleted=[A]), Changes.of(deleted=[A])),
        (Changes.of(created=[A]), Changes.of(deleted=[A]), Changes.of(deleted=[A])),
        (Changes.of(deleted=[A]), Changes.of(created=[A]), Changes.of(created=[A])),
        (Changes.of(deleted=[A]), Changes.of(changed=[A]), Changes.of(changed=[A])),
        (Changes.of(changed=[A]), Changes.of(changed=[B], sections=True),
         Changes.of(changed=[A, B], sections=True)),
        (NOTHING, Changes(conflicts=True), Changes(conflicts=True)),
        (Changes(everything=True), NOTHING, Changes(everything=True)),
    ],
)
def test_two_changes_make_one(first, second, merged):
    assert first | second == merged


@pytest.mark.parametrize(
    ("changes", "truth", "touches_a"),
    [
        (NOTHING, False, False),
        (Changes.of(changed=[B]), True, False),
        (Changes.of(created=[A]), True, True),
        (Changes.of(deleted=[A]), True, True),
        (Changes(sections=True), True, False),
        (Changes(conflicts=True), True, False),
        (Changes(everything=True), True, True),
    ],
)
def test_what_a_change_touches(changes, truth, touches_a):
    assert bool(changes) is truth
    assert changes.touches(A) is touches_a


def test_feed_rows_are_changed_or_deleted():
    rows = [(A, 5, False), (B, 6, True), (C, 7, False)]
    assert from_feed(rows) == Changes.of(changed=[A, C], deleted=[B])


def test_a_subscriber_that_raises_does_not_keep_the_others_from_hearing():
    heard: list[Changes] = []
    subscribers = Subscribers()

    def broken(_changes: Changes) -> None:
        raise RuntimeError("broken view")

    subscribers.subscribe(broken)
    stop = subscribers.subscribe(heard.append)
    with pytest.raises(RuntimeError):
        subscribers.notify(Changes.of(changed=[A]))
    assert heard == [Changes.of(changed=[A])]
    subscribers.notify(NOTHING)
    assert len(heard) == 1, "nothing changed: nobody is told"
    stop()
    subscribers.unsubscribe(broken)
    subscribers.notify(Changes.of(changed=[B]))
    assert len(heard) == 1


@pytest.fixture
def desk(tmp_path: Path):
    profile = Profile("Ada Writer", "editor", folder=tmp_path / "writer").save()
    with Desk.open(tmp_path / "desk.db") as opened:
        opened.use_profile(profile)
        yield opened


@pytest.fixture
def heard(desk: Desk) -> list[Changes]:
    told: list[Changes] = []
    desk.subscribe(told.append)
    return told


def test_each_operation_tells_what_it_changed(desk: Desk, heard: list[Changes], tmp_path):
    story = desk.create(headline="Ferry timetable", section="News / Ferries")
    assert heard[-1] == Changes.of(created=[story.id], sections=True)
    saved = desk.save(story.replace(body="Boats every hour."), story.revision)
    assert heard[-1] == Changes.of(changed=[story.id])
    desk.change_slug(story.id, "ferry-hours")
    assert heard[-1] == Changes.of(changed=[story.id])
    copy = desk.duplicate(story.id)
    assert heard[-1] == Changes.of(created=[copy.id])
    desk.transition(story.id, "submit", expected_revision=saved.revision + 1)
    assert heard[-1] == Changes.of(changed=[story.id])
    desk.restore_revision(story.id, 1)
    assert heard[-1] == Changes.of(changed=[story.id])
    desk.name_version(story.id, 1, "first")
    assert heard[-1] == Changes.of(changed=[story.id])
    desk.delete(copy.id)
    assert heard[-1] == Changes.of(deleted=[copy.id])
    desk.undelete(copy.id)
    assert heard[-1] == Changes.of(created=[copy.id], sections=True)
    desk.add_section("Sport")
    assert heard[-1] == Changes(sections=True)
    desk.remove_section("Sport")
    assert heard[-1] == Changes(sections=True)
    count = len(heard)
    desk.get(story.id), desk.list_rows(), desk.status_counts(), desk.history(story.id)
    assert len(heard) == count, "reading tells nobody anything"


def test_a_save_into_a_section_new_to_the_desk_says_the_sections_changed(desk, heard):
    story = desk.create(headline="Results")
    assert heard[-1] == Changes.of(created=[story.id])
    desk.save(story.replace(section="Sport / Rowing"), story.revision)
    assert heard[-1] == Changes.of(changed=[story.id], sections=True)
    again = desk.get(story.id)
    desk.save(again.replace(body="Oxford won."), again.revision)
    assert heard[-1] == Changes.of(changed=[story.id])


def test_an_import_tells_the_stories_it_created_even_when_cancelled(
    desk, heard, tmp_path, monkeypatch
):
    folder = tmp_path / "wire"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.md").write_text(
            f"---\nheadline: \"Story {n}\"\n---\nBody {n}.\n", encoding="utf-8"
        )
    report = desk.import_paths([folder])
    assert heard[-1] == Changes.of(created=[s.id for s in report.imported], sections=True)
    assert len(report.imported) == 3

    monkeypatch.setattr(importing, "IMPORT_BATCH", 1)
    before = {row.id for row in desk.list_rows()}

    def cancel(done: int, _total: int, _name: str) -> None:
        if done == 2:
            raise NewsdeskError("cancelled")

    with pytest.raises(NewsdeskError):
        desk.import_paths([folder], progress=cancel)
    kept = {row.id for row in desk.list_rows()} - before
    assert len(kept) == 1, "the batch written before the cancel stays"
    assert heard[-1] == Changes.of(created=kept, sections=True)


def test_purge_deletes_a_story_in_the_trash_for_good(desk, heard):
    story = desk.create(headline="Spiked for good")
    with pytest.raises(StoreError, match="not in the trash"):
        desk.purge(story.id)
    assert desk.get(story.id).headline == "Spiked for good", "a refused purge changes nothing"
    desk.delete(story.id)
    assert desk.purge(story.id) == Changes.of(deleted=[story.id])
    assert heard[-1] == Changes.of(deleted=[story.id])
    assert story.id not in {row.id for row in desk.trash()}
    with pytest.raises(NewsdeskError):
        desk.get(story.id)


def test_outside_changes_are_what_other_connections_wrote(desk, tmp_path):
    assert desk.outside_changes() == NOTHING  # starts watching
    story = desk.create(headline="Council vote")
    assert desk.outside_changes() == NOTHING, "this desk's own writes are told as they happen"
    with Desk.open(desk.path) as other:
        theirs = other.get(story.id)
        other.save(theirs.replace(headline="Council vote delayed"), theirs.revision)
        fresh = other.create(headline="Bridge reopens")
        assert desk.outside_changes() == Changes.of(changed=[story.id, fresh.id])
        assert desk.outside_changes() == NOTHING
        other.delete(fresh.id)
        other.add_section("Weather")
        assert desk.outside_changes() == Changes.of(deleted=[fresh.id], sections=True)


def test_outside_changes_are_told_to_subscribers(desk, heard):
    desk.outside_changes()
    with Desk.open(desk.path) as other:
        other.create(headline="From the command line")
    found = desk.outside_changes()
    assert found and heard[-1] == found


def test_a_conflict_opened_elsewhere_is_a_change_of_its_story(desk):
    story = desk.create(headline="Both sides edited")
    desk.outside_changes()
    with Store.open(desk.path) as other, other.transaction():  # a sync in another process
        folder = add_folder(other.db, "/shared/desk", "ws-1")
        record_conflict(
            other.db, folder_id=folder.id, story_id=story.id, path="a.md", base_text=None,
            local_text="{}", remote_text="{}", remote_file_hash="x", fields=["headline"],
            origin="test",
        )
    assert desk.outside_changes() == Changes.of(changed=[story.id], conflicts=True)


def test_a_database_replaced_under_the_desk_changes_everything(desk, tmp_path):
    desk.create(headline="Before the restore")
    desk.outside_changes()
    copy = tmp_path / "copy.db"
    with Desk.open(copy) as other:
        other.create(headline="In the backup")
    desk.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # As a restore does it (store/backup.py): the old log goes with the old file.
    for suffix in ("-wal", "-shm"):
        Path(f"{desk.path}{suffix}").unlink(missing_ok=True)
    copy.replace(desk.path)
    assert desk.outside_changes() == Changes(everything=True)
    assert [row.headline for row in desk.list_rows()] == ["In the backup"]
