"""Desk.export: the real store feeds the export; what went out is marked published."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.domain.workflow import WorkflowError
from newsdesk.identity.profile import Profile
from newsdesk.paths import config_dir
from newsdesk.publish.files import ExportError
from newsdesk.publish.record import record_path
from newsdesk.publish.verify import verify_export
from newsdesk.store import publish_index as store_source
from newsdesk.store.publish_index import (
    StatusChange,
    conflicted,
    former_names,
    load_revisions,
    publish_index,
    publish_rows,
    set_statuses,
)


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as d:
        yield d


def as_writer(desk: Desk) -> None:
    desk.use_profile(Profile("Ada Writer", "editor", folder=config_dir() / "writer").save())


def as_chief(desk: Desk) -> None:
    desk.use_profile(Profile("Xu Fang", "desk_chief", folder=config_dir() / "chief").save())


def approved(desk: Desk, headline: str, **fields):
    as_writer(desk)
    story = desk.create(headline=headline, section="News / Metro", **fields)
    desk.transition(story.id, "submit")
    as_chief(desk)
    return desk.transition(story.id, "approve")


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_publishes_what_went_out_and_nothing_else(desk, tmp_path):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    as_writer(desk)
    draft = desk.create(headline="Half-written piece", body="Not yet.")
    as_chief(desk)
    report = desk.export("ninjs", tmp_path / "out")
    assert report.exported_ids == [story.id] and report.published == [story.id]
    assert desk.get(story.id).status == "published"
    assert desk.get(draft.id).status == "draft"
    event = desk.history(story.id)[-1]
    assert (event.action, event.actor) == ("publish", "Xu Fang")
    assert f"exported (ninjs) to {tmp_path / 'out'}" in event.note
    assert verify_export(tmp_path / "out", desk.profile.keyring()).ok


def test_marking_published_changes_no_exported_file(desk, tmp_path):
    approved(desk, "Tram depot opens", body="Doors open at nine.")
    desk.export("hugo", tmp_path / "out")
    before = files(tmp_path / "out")
    again = desk.export("hugo", tmp_path / "out", full=True)
    assert again.written == [] and again.published == []
    assert files(tmp_path / "out") == before


def test_a_correction_waits_for_approval_while_the_approved_text_stays_out(desk, tmp_path):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    desk.export("html", tmp_path / "out")
    as_writer(desk)
    current = desk.get(story.id)
    desk.save(current.replace(body="Doors open at ten.", slug="tram-depot"), current.revision)
    desk.after_publication(story.id, "correct", "An earlier version gave the time as nine.")
    as_chief(desk)
    report = desk.export("html", tmp_path / "out")
    assert report.exported_ids == [story.id] and report.written == []
    page = (tmp_path / "out" / "news" / "metro" / f"{story.slug}.html").read_text("utf-8")
    assert "Doors open at nine." in page
    desk.transition(story.id, "approve")
    report = desk.export("hugo", tmp_path / "hugo")
    page = (tmp_path / "hugo" / "content/news/metro/tram-depot.md").read_text("utf-8")
    assert "Doors open at ten." in page
    assert f'aliases: ["/news/metro/{story.slug}/"]\n' in page
    assert report.published == [story.id]


def test_spiked_after_export_is_withdrawn(desk, tmp_path):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    desk.export("ninjs", tmp_path / "out")
    desk.transition(story.id, "spike")
    report = desk.export("ninjs", tmp_path / "out")
    assert [w.id for w in report.withdrawn] == [story.id]
    assert not (tmp_path / "out" / f"{story.id}.json").exists()
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert [w["id"] for w in manifest["withdrawn"]] == [story.id]


def test_editors_cannot_export_and_a_failed_export_marks_nothing(desk, tmp_path):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    as_writer(desk)
    with pytest.raises(WorkflowError, match="only a desk chief"):
        desk.export("html", tmp_path / "out")
    as_chief(desk)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError):
        desk.export("html", blocker)
    assert desk.get(story.id).status == "approved"


def counting_reads(desk: Desk, monkeypatch) -> list[str]:
    """The ids of the stories whose text is read from now on: whole, one by one, or a
    stored revision, one by one or in batches."""
    loaded: list[str] = []
    real_get, real_revision = desk.store.get, desk.store.revision
    real_load_revisions = store_source.load_revisions

    def get(story_id: str):
        loaded.append(story_id)
        return real_get(story_id)

    def revision(story_id: str, number: int):
        loaded.append(story_id)
        return real_revision(story_id, number)

    def load_revisions(store, pairs):
        loaded.extend(story_id for story_id, _revision in pairs)
        return real_load_revisions(store, pairs)

    monkeypatch.setattr(desk.store, "get", get)
    monkeypatch.setattr(desk.store, "revision", revision)
    monkeypatch.setattr(store_source, "load_revisions", load_revisions)
    return loaded


def test_an_unchanged_re_export_reads_no_story_and_touches_no_file(desk, tmp_path, monkeypatch):
    stories = [approved(desk, f"Bridge works, day {n}", body=f"Lane {n} closes.") for n in range(3)]
    desk.export("hugo", tmp_path / "out")
    before = files(tmp_path / "out")
    loaded = counting_reads(desk, monkeypatch)
    report = desk.export("hugo", tmp_path / "out")
    assert loaded == []
    assert sorted(report.exported_ids) == sorted(s.id for s in stories)
    assert report.written == [] and report.removed == [] and not report.manifest_written
    assert files(tmp_path / "out") == before


def test_only_a_changed_story_is_read_and_exported_again(desk, tmp_path, monkeypatch):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    other = approved(desk, "Ferry timetable", body="Boats every hour.")
    desk.export("ninjs", tmp_path / "out")
    as_writer(desk)
    current = desk.get(story.id)
    desk.save(current.replace(body="Doors open at ten."), current.revision)
    desk.after_publication(story.id, "correct", "An earlier version gave the time as nine.")
    as_chief(desk)
    desk.transition(story.id, "approve")
    loaded = counting_reads(desk, monkeypatch)
    report = desk.export("ninjs", tmp_path / "out")
    assert other.id not in loaded and story.id in loaded
    assert report.changed == [story.id]
    assert report.written == [record_path(story.id), f"{story.id}.json"]
    assert "Doors open at ten." in (tmp_path / "out" / f"{story.id}.json").read_text("utf-8")


def test_an_embargo_that_passed_since_the_last_export_lets_the_story_out(desk, tmp_path):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    story = approved(desk, "Budget figures", body="Numbers at noon.",
                     embargo=now + timedelta(hours=1))
    first = desk.export("html", tmp_path / "out", now=now)
    assert first.exported_ids == [] and [s[0] for s in first.skipped] == [story.id]
    later = desk.export("html", tmp_path / "out", now=now + timedelta(hours=2))
    assert later.exported_ids == [story.id] and later.published == [story.id]


def test_a_hand_edited_file_is_repaired_only_by_a_full_export(desk, tmp_path):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    desk.export("ninjs", tmp_path / "out")
    page = tmp_path / "out" / f"{story.id}.json"
    original = page.read_bytes()
    page.write_bytes(b"{}\n")
    assert desk.export("ninjs", tmp_path / "out").written == []
    assert page.read_bytes() == b"{}\n"
    assert desk.export("ninjs", tmp_path / "out", full=True).written == [f"{story.id}.json"]
    assert page.read_bytes() == original


def test_the_batch_readers_read_what_the_store_reads_one_by_one(desk):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    as_writer(desk)
    current = desk.get(story.id)
    moved = desk.save(current.replace(slug="tram-depot", section="News"), current.revision)
    moved = desk.save(moved.replace(body="Doors open at ten."), moved.revision)
    other = desk.create(headline="Ferry timetable", body="Boats every hour.")
    store = desk.store
    rows = publish_rows(store, [other.id, "no-such-id", story.id])
    assert [row.id for row in rows] == [other.id, story.id]
    for row in rows:
        full = store.get(row.id)
        assert (row.slug, row.status, row.revision, row.content_hash, row.approvals,
                row.embargo, row.modified_by, row.current_approval) == (
            full.slug, full.status, full.revision, full.content_hash, full.approvals,
            full.embargo, full.modified_by, full.current_approval)
    assert publish_index(store, ("approved",)) == publish_rows(store, [story.id])
    pairs = [(story.id, 1), (story.id, 3), (other.id, 1), (other.id, 9)]
    assert load_revisions(store, pairs) == {
        pair: store.revision(*pair) for pair in pairs if pair != (other.id, 9)
    }
    assert former_names(store, [(story.id, 3), (other.id, 1)]) == {
        story.id: [("News / Metro", "tram-depot-opens"), ("News", "tram-depot")],
        other.id: [],
    }


def test_set_statuses_refuses_a_story_that_moved_on_since_it_was_read(desk):
    kept = approved(desk, "Tram depot opens", body="Doors open at nine.")
    edited = approved(desk, "Ferry timetable", body="Boats every hour.")
    as_writer(desk)
    desk.save(edited.replace(body="Boats every half hour."), edited.revision)
    changes = [
        StatusChange(s.id, s.revision, "approved", "published", "publish", "out")
        for s in (kept, edited)
    ]
    changed, refused = set_statuses(desk.store, changes, actor="Xu Fang")
    assert changed == [kept.id]
    assert [story_id for story_id, _why in refused] == [edited.id]
    assert "changed meanwhile" in refused[0][1]
    assert desk.get(kept.id).status == "published"
    assert desk.get(edited.id).status == "approved"
    event = desk.history(kept.id)[-1]
    assert (event.action, event.actor, event.note) == ("publish", "Xu Fang", "out")
    with pytest.raises(NewsdeskError, match="not one of"):
        set_statuses(desk.store, [StatusChange(kept.id, kept.revision, "published", "gone",
                                               "publish")], actor="Xu Fang")


def in_conflict(desk: Desk, story_id: str, folder: Path, other_db: Path) -> None:
    """Another laptop writes the story's editor's note one way while this one writes it
    another (since both last synced): this laptop's next sync ends in a conflict on
    `ednote`, a field that is not the approved content. (Statuses never conflict: they
    come from signed actions, tests/security/test_workflow_concurrent.py.)"""
    with Desk.open(other_db) as other:
        other.sync(folder)
        there = other.get(story_id)
        other.save(there.replace(ednote="Legal has read it."), there.revision)
        other.sync(folder)
    here = desk.get(story_id)
    desk.save(here.replace(ednote="Check the vote count first."), here.revision)
    assert desk.sync(folder).counts().get("conflict") == 1
    assert [c.fields for c in desk.conflicts()] == [("ednote",)]


def test_a_story_in_conflict_is_not_exported_and_the_report_says_why(desk, tmp_path):
    story = approved(desk, "Harbour budget vote", body="The council votes tonight.")
    desk.sync(tmp_path / "shared")
    with Desk.open(tmp_path / "other.db") as other:
        other.sync(tmp_path / "shared")
    in_conflict(desk, story.id, tmp_path / "shared", tmp_path / "other.db")
    assert desk.get(story.id).current_approval is not None  # nothing else holds it back
    assert conflicted(desk.store) == {story.id: "ednote"}
    report = desk.export("html", tmp_path / "out")
    assert report.exported == [] and report.published == [] and report.notes == []
    assert report.conflicted == [story.id]
    assert report.skipped == [(story.id, story.slug, "unresolved sync conflict (ednote): not "
                               "exported; resolve it first (newsdesk conflicts)")]
    written = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert story.id.encode() not in written and b"Harbour budget" not in written
    assert desk.get(story.id).status == "approved"


def test_a_story_exported_before_its_conflict_keeps_its_files_as_they_were(desk, tmp_path):
    story = approved(desk, "Harbour budget vote", body="The council votes tonight.")
    desk.sync(tmp_path / "shared")
    with Desk.open(tmp_path / "other.db") as other:
        other.sync(tmp_path / "shared")
    first = desk.export("ninjs", tmp_path / "out")  # published here
    assert first.published == [story.id]
    before = files(tmp_path / "out")
    in_conflict(desk, story.id, tmp_path / "shared", tmp_path / "other.db")
    report = desk.export("ninjs", tmp_path / "out", full=True)
    assert report.exported_ids == [story.id] and report.conflicted == [story.id]
    assert report.written == [] and report.withdrawn == [] and report.published == []
    [(_id, slug, reason)] = report.skipped
    assert slug == story.slug and reason.startswith("unresolved sync conflict (ednote): not "
                                                    "exported again; the files exported")
    assert files(tmp_path / "out") == before
    assert verify_export(tmp_path / "out", desk.profile.keyring()).ok
