"""Two databases (two laptops) and one shared folder: every way a story can travel."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.formats.markdown import loads
from newsdesk.store import Store
from newsdesk.sync import has_conflict, list_conflicts, resolve_conflict
from newsdesk.sync.engine import sync_folder
from newsdesk.sync.layout import MARKER_NAME, read_marker
from newsdesk.sync.slugs import next_slug
from tests.unit.sync_helpers import (
    BODY,
    Person,
    edit,
    new_story,
    only_file,
    story_files,
    sync,
    trusting,
)


def shared_story(a: Store, b: Store, folder: Path, slug: str = "harbour-bridge"):
    story = new_story(a, slug)
    sync(a, folder)
    report = sync(b, folder)
    assert report.counts() == {"imported": 1}
    return story


def test_first_sync_writes_marker_and_one_file_per_story(laptops):
    a, _b, folder = laptops
    draft = new_story(a, "draft-one")
    approved = new_story(a, "approved-one", status="approved")
    spiked = new_story(a, "spiked-one", status="spiked")
    report = sync(a, folder)
    assert report.counts() == {"exported": 3}
    marker = read_marker(folder)
    assert marker is not None and marker.format_version == 1
    files = story_files(folder)
    assert len(files) == 3
    ids = {loads(f.read_text(encoding="utf-8")).id for f in files}
    assert ids == {draft.id, approved.id, spiked.id}
    day = draft.created_at.date()
    name = f"stories/{day:%Y}/{day:%m}/{day.isoformat()}-draft-one-{draft.id[:8]}.md"
    assert (folder / name).is_file()
    # A second pass finds nothing to do, and reads no file whose stat is unchanged.
    assert sync(a, folder).counts() == {}


def test_edit_on_one_side_reaches_the_other(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    edit(a, story.id, headline="Bridge reopens after repairs")
    assert sync(a, folder).counts() == {"exported": 1}
    assert sync(b, folder).counts() == {"updated": 1}
    on_b = b.get(story.id)
    assert on_b.headline == "Bridge reopens after repairs"
    assert on_b.modified_by == "Editor"  # who edited travels, for the four-eyes rule
    assert sync(a, folder).counts() == {}
    assert sync(b, folder).counts() == {}


def test_slug_change_keeps_the_file_name(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    name = only_file(folder)
    edit(a, story.id, slug="bridge-reopens")
    sync(a, folder)
    assert only_file(folder) == name
    assert loads(name.read_text(encoding="utf-8")).slug == "bridge-reopens"


def test_edits_in_different_paragraphs_merge(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    edit(a, story.id, body=BODY.replace("Monday", "Monday morning"), tags=("transport", "bridge"))
    edit(b, story.id, body=BODY.replace("Tuesday", "Wednesday"), tags=("transport", "buses"))
    sync(a, folder)
    report = sync(b, folder)
    assert report.counts() == {"merged": 1, "exported": 1}
    sync(a, folder)
    expected = BODY.replace("Monday", "Monday morning").replace("Tuesday", "Wednesday")
    for store in (a, b):
        merged = store.get(story.id)
        assert merged.body == expected
        assert set(merged.tags) == {"transport", "bridge", "buses"}
        assert not has_conflict(store.db, story.id)
    assert sync(a, folder).counts() == {} and sync(b, folder).counts() == {}


def test_same_paragraph_is_a_conflict_and_nothing_is_lost(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    a_body = BODY.replace("eight weeks", "nine weeks")
    b_body = BODY.replace("eight weeks", "two months")
    edit(a, story.id, body=a_body)
    edit(b, story.id, body=b_body)
    sync(a, folder)
    file_before = only_file(folder).read_bytes()
    report = sync(b, folder)
    assert report.counts() == {"conflict": 1}
    # Neither side changed: B keeps its text, the file keeps A's, the DB keeps all three.
    assert b.get(story.id).body == b_body
    assert only_file(folder).read_bytes() == file_before
    assert has_conflict(b.db, story.id)
    (conflict,) = list_conflicts(b.db)
    assert conflict.fields == ("body",)
    assert (conflict.base.body, conflict.local.body, conflict.remote.body) == (
        BODY,
        b_body,
        a_body,
    )
    # A pass again reports it again, still changing nothing.
    assert sync(b, folder).counts() in ({}, {"conflict": 1})
    # The person picks and edits: both texts, then the resolution travels to A.
    chosen = b.get(story.id).replace(body=BODY.replace("eight weeks", "nine weeks (two months)"))
    resolve_conflict(b, story.id, chosen, actor="Chief")
    assert not has_conflict(b.db, story.id)
    assert sync(b, folder).counts() == {"exported": 1}
    assert sync(a, folder).counts() == {"updated": 1}
    assert a.get(story.id).body == chosen.body


def test_status_and_approvals_travel(laptops):
    a, b, folder = laptops
    chief = Person("Chief", "desk_chief")
    trusting(a, chief)
    story = shared_story(a, b, folder)
    Person("Writer", "editor").act(b, story.id, "submit")
    approved = chief.act(b, story.id, "approve")
    sync(b, folder)
    assert sync(a, folder).counts() == {"updated": 1}
    on_a = a.get(story.id)
    assert on_a.status == "approved"
    assert on_a.approvals == approved.approvals
    assert on_a.actions == approved.actions
    assert on_a.current_approval == approved.current_approval  # same content hash
    assert [(e.action, e.actor, e.origin) for e in a.history(story.id)][-2:] == [
        ("submit", "Writer", "signed"), ("approve", "Chief", "signed"),
    ]


def test_app_delete_becomes_a_tombstone_and_trashes_on_the_other_side(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    a.delete(story.id, actor="Editor")
    assert sync(a, folder).counts() == {"tombstone": 1}
    tomb = loads(only_file(folder).read_text(encoding="utf-8"))
    assert tomb.extra == {"deleted": True} and tomb.body == BODY  # text kept
    assert sync(b, folder).counts() == {"deleted": 1}
    assert b.list_rows() == [] and [r.id for r in b.list_rows(deleted=True)] == [story.id]
    # Undelete on B brings it back everywhere.
    b.undelete(story.id)
    sync(b, folder)
    sync(a, folder)
    assert [r.id for r in a.list_rows()] == [story.id]


def test_edit_beats_delete(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    a.delete(story.id)
    edit(b, story.id, headline="Edited while deleted elsewhere")
    sync(a, folder)
    report = sync(b, folder)
    assert report.counts() == {"note": 1, "exported": 1}
    sync(a, folder)
    for store in (a, b):
        assert [r.id for r in store.list_rows()] == [story.id]
        assert store.get(story.id).headline == "Edited while deleted elsewhere"


def test_missing_file_is_reported_not_deleted(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    only_file(folder).unlink()
    report = sync(b, folder)
    assert [e.kind for e in report.entries] == ["missing"]
    assert b.get(story.id).headline == story.headline
    assert b.list_rows()[0].id == story.id
    edit(b, story.id, headline="Still here")
    assert sync(b, folder).counts() == {"missing": 1}
    assert sync(b, folder, restore_missing=True).counts() == {"missing": 1, "exported": 1}
    assert loads(only_file(folder).read_text(encoding="utf-8")).headline == "Still here"


def test_mass_vanish_stops_before_changing_anything(laptops):
    a, _b, folder = laptops
    stories = [new_story(a, f"story-{n}") for n in range(10)]
    sync(a, folder)
    files = story_files(folder)
    for path in files[:6]:
        path.unlink()
    edit(a, stories[9].id, headline="Changed meanwhile")
    kept = {p: p.read_bytes() for p in files[6:]}
    report = sync_folder(a, folder)
    assert "6 of 10" in report.stopped and report.entries == []
    assert {p: p.read_bytes() for p in files[6:]} == kept
    assert not report.ok


def test_unmounted_share_stops(laptops):
    a, _b, folder = laptops
    new_story(a)
    sync(a, folder)
    (folder / MARKER_NAME).unlink()
    report = sync_folder(a, folder)
    assert "marker" in report.stopped


def test_hand_edit_with_crlf_bom_and_trailing_spaces(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    path = only_file(folder)
    text = path.read_text(encoding="utf-8")
    text = text.replace("Engineers replaced", "Engineers   replaced").replace(
        'headline: "Story harbour-bridge"', 'headline: "Edited in Notepad"   '
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    report = sync(b, folder)
    assert report.counts() == {"updated": 1}
    on_b = b.get(story.id)
    assert on_b.headline == "Edited in Notepad"
    assert "Engineers   replaced" in on_b.body and "\r" not in on_b.body
    sync(a, folder)
    assert a.get(story.id).body == on_b.body


def test_file_renamed_and_moved_by_hand_is_found_by_id(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    old = only_file(folder)
    new = folder / "stories" / "elsewhere" / "renamed.md"
    new.parent.mkdir(parents=True)
    old.rename(new)
    report = sync(a, folder)
    assert report.counts() == {"moved": 1}
    edit(a, story.id, headline="Written to the moved file")
    sync(a, folder)
    assert story_files(folder) == [new]
    sync(b, folder)
    assert b.get(story.id).headline == "Written to the moved file"


@pytest.mark.parametrize(
    "content",
    [
        b"---\nid: [unclosed\n---\nbody\n",
        b'---\nid: "not-an-id"\nheadline: "x"\nslug: "x"\n---\nbody\n',
        b"\x00\x01binary\x00" * 10,
        b'---\nid: "x"\n---\n' + b"a" * (6 * 1024 * 1024),
    ],
    ids=["broken-yaml", "bad-id", "binary", "huge"],
)
def test_invalid_file_is_reported_and_left_untouched(laptops, content):
    a, _b, folder = laptops
    new_story(a)
    sync(a, folder)
    bad = folder / "stories" / "bad.md"
    bad.write_bytes(content)
    report = sync(a, folder)
    assert [e.kind for e in report.entries] == ["invalid"]
    assert bad.read_bytes() == content


def test_broken_front_matter_in_a_known_file_blocks_only_that_story(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    other = new_story(a, "other-story")
    path = only_file(folder)
    broken = path.read_bytes().replace(b'slug: "harbour-bridge"', b"slug: [oops")
    path.write_bytes(broken)
    edit(a, story.id, headline="Must not overwrite the broken file")
    report = sync(a, folder)
    assert report.counts() == {"invalid": 1, "exported": 1}
    assert path.read_bytes() == broken
    assert any(other.id[:8] in p.name for p in story_files(folder))
    # Repaired by hand: the pass merges it (the local edit was kept for the retry).
    path.write_bytes(broken.replace(b"slug: [oops", b'slug: "harbour-bridge"'))
    sync(a, folder)
    assert loads(path.read_text(encoding="utf-8")).headline == "Must not overwrite the broken file"


def test_hand_made_file_without_id_is_adopted_once(laptops):
    a, _b, folder = laptops
    sync(a, folder)
    path = folder / "stories" / "note.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('---\nheadline: "Typed by hand"\n---\nSome text.\n', encoding="utf-8")
    assert sync(a, folder).counts() == {"imported": 1, "exported": 1}
    story = loads(path.read_text(encoding="utf-8"))
    assert a.get(story.id).headline == "Typed by hand"
    assert sync(a, folder).counts() == {}


def test_unknown_front_matter_keys_are_kept(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    path = only_file(folder)
    path.write_text(
        path.read_text(encoding="utf-8").replace("---\n", '---\nphoto_credit: "Staff"\n', 1),
        encoding="utf-8",
    )
    sync(b, folder)
    assert b.get(story.id).extra == {"photo_credit": "Staff"}
    edit(b, story.id, headline="Edited after a key was added")
    sync(b, folder)
    assert loads(path.read_text(encoding="utf-8")).extra == {"photo_credit": "Staff"}


def test_a_file_changed_after_the_scan_is_not_overwritten(laptops, monkeypatch):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    path = only_file(folder)
    edit(a, story.id, headline="Local edit")
    from newsdesk.sync import settle

    real = settle.load_story

    def edit_by_hand_meanwhile(root, state):
        loaded = real(root, state)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Buses return", "Buses come back"), encoding="utf-8")
        return loaded

    monkeypatch.setattr(settle, "load_story", edit_by_hand_meanwhile)
    report = sync(a, folder)
    assert report.counts() == {"skipped": 1}
    assert "Buses come back" in path.read_text(encoding="utf-8")
    monkeypatch.undo()
    assert sync(a, folder).counts() == {"merged": 1, "exported": 1}
    merged = a.get(story.id)
    assert merged.headline == "Local edit" and "Buses come back" in merged.body
    assert "Local edit" in path.read_text(encoding="utf-8")


def test_same_slug_created_on_two_laptops_never_blocks_either(laptops):
    # Issue 17: the clash used to skip A's story on B at every sync. The story created
    # first keeps the slug; the other moves to its own suffix (tests/unit/test_slugs.py).
    a, b, folder = laptops
    first = new_story(a, "city-budget")
    later = first.created_at + timedelta(minutes=1)
    second = new_story(b, "city-budget", headline="Another budget story", created_at=later)
    sync(a, folder)
    report = sync(b, folder)
    assert report.ok and len(report.of("renamed")) == 1
    assert b.get(second.id).headline == "Another budget story"
    assert len(story_files(folder)) == 2
    sync(a, folder)
    for store in (a, b):
        assert store.get(first.id).slug == "city-budget"
        assert store.get(second.id).slug == next_slug("city-budget", second.id)


def test_copy_of_a_story_file_is_reported_and_ignored(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    original = only_file(folder)
    copy = original.with_name("copy.md")
    copy.write_bytes(original.read_bytes().replace(b"Engineers", b"Workers"))
    report = sync(b, folder)
    assert [(e.kind, e.path) for e in report.entries] == [
        ("invalid", "stories/" + copy.relative_to(folder / "stories").as_posix())
    ]
    assert "Engineers" in b.get(story.id).body


def test_purged_story_leaves_a_tombstone(laptops):
    a, b, folder = laptops
    story = shared_story(a, b, folder)
    a.delete(story.id)
    a.purge(story.id)
    assert sync(a, folder).counts() == {"tombstone": 1}
    assert loads(only_file(folder).read_text(encoding="utf-8")).extra == {"deleted": True}
    sync(b, folder)
    assert b.list_rows() == []
    assert sync(a, folder).counts() == {}


def test_unreadable_folder_stops_the_pass(laptops, monkeypatch):
    a, _b, folder = laptops
    new_story(a)
    sync(a, folder)
    month = str(only_file(folder).parent)
    real_scandir, real_open = os.scandir, os.open

    def check(path):
        if str(path) == month:
            raise PermissionError(13, "Permission denied", path)

    def scandir(path):
        check(path)
        return real_scandir(path)

    def open_(path, *args, **kwargs):
        check(path)
        return real_open(path, *args, **kwargs)

    # The walk opens a folder to list it (and stat its files through it) or lists it by
    # name: both are refused.
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    report = sync_folder(a, folder)
    assert "cannot read the folder" in report.stopped
