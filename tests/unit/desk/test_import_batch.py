"""Import by batches: the same stories, slugs, refusals, records and order as one by one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.desk import Desk, importing
from newsdesk.domain.model import Approval, Story, ValidationError
from newsdesk.formats.markdown import dumps


def wire_text(headline: str, body: str = "The council met on Monday.", section: str = "News"
              ) -> str:
    return (f"date 2025-04-01\n{section}\n\n{headline}\n\nA short standfirst.\n\n{body}\n\n"
            "Source: Valley Times   Editor: Ana Ruiz\n")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as opened:
        yield opened


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of three files, so that a handful of files crosses batch boundaries."""
    monkeypatch.setattr(importing, "IMPORT_BATCH", 3)


def test_imported_stories_are_what_the_store_holds_with_every_record(desk, tmp_path):
    paths = [write(tmp_path, f"w{n}.txt", wire_text(f"Bridge repairs start in spring {n}",
                                                    f"Crews close lane {n} of the bridge."))
             for n in range(4)]
    kept = Story(slug="kept", headline="Kept from far away", body="Old *text*.", revision=3,
                 tags=("Port", "rail"), extra={"desk_note": "mine"}, modified_by="far",
                 created_at=datetime(2024, 1, 2, tzinfo=UTC),
                 updated_at=datetime(2024, 1, 3, tzinfo=UTC),
                 approvals=(Approval("Chief", 3, "sha256:" + "0" * 64,
                                     datetime(2024, 1, 3, tzinfo=UTC)),))
    paths.append(write(tmp_path, "kept.md", dumps(kept)))
    report = desk.import_paths(paths)
    assert report.rejected == [] and len(report.imported) == 5
    for story in report.imported:
        assert story == desk.get(story.id)
        assert [e.action for e in desk.store.history(story.id)] == ["created"]
        assert desk.store.revision(story.id, story.revision) == story
    markdown = report.imported[-1]
    assert (markdown.revision, markdown.modified_by, markdown.extra) == (3, "far",
                                                                         {"desk_note": "mine"})
    assert {row.id for row in desk.search("bridge")} == {s.id for s in report.imported[:4]}


def test_slugs_stay_unique_within_and_across_batches_and_against_the_database(
        desk, tmp_path, small_batches):
    longer = desk.create(headline="Harbour ferry timetable changes")
    assert longer.slug.startswith("harbour-ferry-")  # in the range looked up; not a number
    trashed = desk.create(headline="Harbour ferry timetable changes again", slug="harbour-ferry-2")
    desk.delete(trashed.id)  # a story in the trash does not hold its slug
    desk.create(headline="Taken further up", slug="harbour-ferry-3")
    paths = [write(tmp_path, f"f{n}.txt", wire_text("Harbour ferry", f"Sailing {n} moves."))
             for n in range(7)]
    report = desk.import_paths(paths)
    slugs = [story.slug for story in report.imported]
    assert slugs == ["harbour-ferry", "harbour-ferry-2", "harbour-ferry-4", "harbour-ferry-5",
                     "harbour-ferry-6", "harbour-ferry-7", "harbour-ferry-8"]
    notes = dict(report.notes)
    assert paths[0] not in notes
    assert notes[paths[1]] == "slug 'harbour-ferry' is taken; imported as 'harbour-ferry-2'"
    assert desk.count() == 2 + 7


def test_same_copy_is_refused_in_the_batch_across_batches_and_against_the_database(
        desk, tmp_path, small_batches):
    first = desk.import_paths([write(tmp_path, "a.txt", wire_text("Dam opens", "Water."))])
    [dam] = first.imported
    texts = [wire_text("Dam opens", "Water."),        # in the database already
             wire_text("Mill closes", "Flour."),
             wire_text("Mill closes", "Flour."),      # same batch as the one before
             wire_text("Mill closes", "Bread."),      # same headline, other copy: a story
             wire_text("Mill closes", "Flour."),      # a later batch
             wire_text("MILL CLOSES", "Flour.")]      # other headline (case counts)
    paths = [write(tmp_path, f"b{n}.txt", text) for n, text in enumerate(texts)]
    report = desk.import_paths(paths)
    mill = report.imported[0]
    assert [path for path, _ in report.rejected] == [paths[0], paths[2], paths[4]]
    assert report.rejected[0][1] == f"{paths[0]}: already imported as '{dam.slug}' ({dam.id[:8]})"
    for path, reason in report.rejected[1:]:
        assert reason == f"{path}: already imported as '{mill.slug}' ({mill.id[:8]})"
    assert [s.slug for s in report.imported] == ["mill-closes", "mill-closes-2", "mill-closes-3"]


def test_a_markdown_story_already_known_or_twice_in_the_batch_is_refused(desk, tmp_path):
    known = desk.create(headline="Known story")
    twin = Story(slug="fresh", headline="Fresh story")
    paths = [write(tmp_path, "known.md", dumps(known.replace(slug="other"))),
             write(tmp_path, "fresh.md", dumps(twin)),
             write(tmp_path, "fresh-again.md", dumps(twin.replace(slug="fresh-again")))]
    report = desk.import_paths(paths)
    assert [s.id for s in report.imported] == [twin.id]
    reasons = dict(report.rejected)
    assert reasons[paths[0]] == (
        f"{paths[0]}: story {known.id} is already in the database as '{known.slug}'; "
        "use `newsdesk sync` to exchange edits of existing stories")
    assert "already in the database as 'fresh'" in reasons[paths[2]]


def test_refusals_keep_the_order_of_the_files(desk, tmp_path, small_batches):
    names = ["1.txt", "2.txt", "3.md", "4.txt", "5.txt", "6.md", "7.txt"]
    texts = [wire_text("One"), "not wire copy at all", "---\nheadline: [\n---\n",
             wire_text("Four"), wire_text("One"), dumps(Story(headline="Six", section="A" * 300)),
             wire_text("Seven")]
    paths = [write(tmp_path, name, text) for name, text in zip(names, texts, strict=True)]
    missing = tmp_path / "gone.txt"
    report = desk.import_paths([*paths, missing])
    assert [s.headline for s in report.imported] == ["One", "Four", "Seven"]
    assert [path for path, _ in report.rejected] == [missing, paths[1], paths[2], paths[4],
                                                     paths[5]]
    assert all(reason.startswith(str(path)) for path, reason in report.rejected)
    assert "not a usable section name" in report.rejected[-1][1]


def test_a_story_the_store_refuses_is_refused_alone(desk, tmp_path, monkeypatch):
    insert_many = desk.store.insert_many

    def refuse_poison(stories, actor=""):
        stories = list(stories)
        if any(s.headline == "Poison" for s in stories):
            raise ValidationError({"headline": "poison is not news"})
        return insert_many(stories, actor)

    monkeypatch.setattr(desk.store, "insert_many", refuse_poison)
    paths = [write(tmp_path, f"{n}-{h}.txt", wire_text(h))
             for n, h in enumerate(["Good", "Poison", "Better", "Good"])]
    report = desk.import_paths(paths)
    assert [s.headline for s in report.imported] == ["Good", "Better"]
    reasons = dict(report.rejected)
    assert reasons[paths[1]] == f"{paths[1]}: headline: poison is not news"
    assert "already imported as 'good'" in reasons[paths[3]]
    assert desk.count() == 2


def test_a_clean_batch_is_one_insert_of_all_its_stories(desk, tmp_path, small_batches,
                                                        monkeypatch):
    """What the other tests check must come from the batch path, not from the story by
    story path it falls back to when the store refuses a batch."""
    sizes = []
    insert_many = desk.store.insert_many

    def counted(stories, actor=""):
        stories = list(stories)
        sizes.append(len(stories))
        return insert_many(stories, actor)

    monkeypatch.setattr(desk.store, "insert_many", counted)
    twin = Story(slug="fresh", headline="Fresh story")
    paths = [write(tmp_path, f"{n}.txt", wire_text("Same slug", f"Copy {n}.")) for n in range(4)]
    paths += [write(tmp_path, "5.txt", wire_text("Same slug", "Copy 0.")),
              write(tmp_path, "6.md", dumps(twin)),
              write(tmp_path, "7.md", dumps(twin.replace(slug="fresh-again")))]
    report = desk.import_paths(paths)
    assert sizes == [3, 2]  # the last batch holds only a refused file
    assert len(report.imported) == 5 and len(report.rejected) == 2


class Cancelled(Exception):
    pass


def test_progress_per_file_and_a_cancel_keeps_whole_batches_only(desk, tmp_path, small_batches):
    paths = [write(tmp_path, f"{n}.txt", wire_text(f"Story number {n}")) for n in range(8)]
    seen = []

    def progress(done, total, name):
        seen.append((done, total, name))
        if done == 5:
            raise Cancelled

    with pytest.raises(Cancelled):
        desk.import_paths(paths, progress=progress)
    assert seen == [(n + 1, 8, f"{n}.txt") for n in range(5)]
    rows = desk.list_rows(limit=50)
    assert sorted(row.headline for row in rows) == [f"Story number {n}" for n in range(3)]
    for row in rows:
        assert desk.store.revisions(row.id) and desk.store.history(row.id)
    assert desk.count(query="number") == 3
