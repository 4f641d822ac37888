"""publish/export: what goes out, what stays in, and incremental, atomic re-exports."""

import json
import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.identity.signing import Keyring, generate_key, public_key_text
from newsdesk.publish import batches, render
from newsdesk.publish.export import FORMATS, export
from newsdesk.publish.files import ExportError, is_debris
from newsdesk.publish.light import hold_conflicts
from newsdesk.publish.manifest import MANIFEST_NAME, StoryEntry, read_manifest
from newsdesk.publish.record import record_path
from newsdesk.publish.selection import Candidate, find_candidate, hold_reason
from tests.unit.publish.export_corpus import (
    EDNOTE,
    KEYRING,
    NOW,
    SIGNER,
    approve,
    corpus,
    edit,
    make_story,
)
from tests.unit.publish.export_source import MemorySource


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under root: bytes and mtime in nanoseconds."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def manifest_ids(root: Path) -> set[str]:
    manifest = read_manifest(root)
    assert manifest is not None
    return set(manifest.stories)


@pytest.fixture
def desk_stories():
    ready = approve(make_story(1))
    published = approve(make_story(2), status="published")
    draft = make_story(3)
    in_review = make_story(4, status="in_review")
    spiked = approve(make_story(5)).replace(status="spiked")
    embargoed = approve(make_story(6, embargo=NOW + timedelta(hours=3)))
    lifted = approve(make_story(7, embargo=NOW - timedelta(minutes=1)))
    unsigned_status = make_story(8, status="approved")  # approved but no approval on record
    return {
        "ready": ready, "published": published, "draft": draft, "in_review": in_review,
        "spiked": spiked, "embargoed": embargoed, "lifted": lifted,
        "no_approval": unsigned_status,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_only_approved_stories_past_their_embargo_go_out(tmp_path, desk_stories, fmt):
    report = export(MemorySource(desk_stories.values()), fmt, tmp_path, NOW)
    wanted = {desk_stories[k].id for k in ("ready", "published", "lifted")}
    assert set(report.exported_ids) == wanted
    assert manifest_ids(tmp_path) == wanted
    skipped = {story_id: reason for story_id, _slug, reason in report.skipped}
    assert skipped[desk_stories["embargoed"].id].startswith("embargoed until 2026-03-10T15:00")
    assert skipped[desk_stories["no_approval"].id] == "no approval on record"
    assert desk_stories["draft"].id not in skipped  # not a candidate: nothing to report
    everything = b"".join(data for data, _ in tree(tmp_path).values())
    for key in ("draft", "in_review", "spiked", "embargoed", "no_approval"):
        story = desk_stories[key]
        assert story.id.encode() not in everything, key
        assert story.headline.encode() not in everything, key
    assert EDNOTE.encode() not in everything


def test_headline_of_a_withheld_story_appears_nowhere(tmp_path):
    secret = approve(make_story(9, headline="Minister resigns", embargo=NOW + timedelta(days=1)))
    export(MemorySource([approve(make_story(1)), secret]), "html", tmp_path, NOW)
    for data, _ in tree(tmp_path).values():
        assert b"Minister resigns" not in data
    later = export(
        MemorySource([approve(make_story(1)), secret]), "html", tmp_path, NOW + timedelta(days=2)
    )
    assert secret.id in later.exported_ids


def test_edit_after_approval_voids_it_for_an_approved_story(tmp_path):
    story = edit(approve(make_story(1)), body="Changed after approval.")
    report = export(MemorySource([story]), "ninjs", tmp_path, NOW)
    assert report.exported == []
    assert "voided by a later edit" in report.skipped[0][2]


def test_published_story_edited_later_goes_out_as_its_approved_revision(tmp_path):
    approved_rev = approve(make_story(1, headline="Approved headline"), status="published")
    current = edit(approved_rev, headline="Unapproved correction", body="New text.")
    stored = approved_rev.replace(status="approved", approvals=())
    report = export(MemorySource([current], stored=[stored]), "ninjs", tmp_path, NOW)
    assert report.exported_ids == [current.id]
    doc = json.loads((tmp_path / f"{current.id}.json").read_text(encoding="utf-8"))
    assert doc["headlines"][0]["value"] == "Approved headline"
    assert doc["version"] == "1"
    assert "Unapproved correction" not in json.dumps(doc)
    # Without the approved revision stored it is held back, not guessed.
    report = export(MemorySource([current]), "ninjs", tmp_path / "other", NOW)
    assert report.exported == []
    assert report.skipped[0][2] == "approved revision 1 cannot be read (it is not stored)"


def test_a_stored_revision_that_does_not_match_its_approval_is_refused(tmp_path):
    approved_rev = approve(make_story(1), status="published")
    current = edit(approved_rev, body="Correction.")
    forged = approved_rev.replace(body="Forged text.")
    report = export(MemorySource([current], stored=[forged]), "ninjs", tmp_path, NOW)
    assert report.exported == []
    assert "does not match" in report.skipped[0][2]


def test_broken_signatures_and_untrusted_keys_keep_a_story_out(tmp_path):
    good = approve(make_story(1))
    tampered = approve(make_story(2))
    bad = tampered.approvals[-1].__class__(**{**tampered.approvals[-1].__dict__,
                                              "approver": "Somebody Else"})
    tampered = tampered.replace(approvals=(bad,))
    report = export(MemorySource([good, tampered]), "ninjs", tmp_path, NOW)
    assert report.exported_ids == [good.id]
    assert "does not verify" in dict((i, r) for i, _, r in report.skipped)[tampered.id]

    stranger = Keyring({"Mei Lin": public_key_text(generate_key())})
    report = export(MemorySource([good]), "ninjs", tmp_path / "strict", NOW, keyring=stranger)
    assert report.exported == []
    assert "not in the keyring" in report.skipped[0][2]


@pytest.mark.parametrize("keyring", [None, KEYRING])
def test_the_workers_check_the_signatures_too(tmp_path, monkeypatch, keyring):
    monkeypatch.setattr(render, "POOL_MIN", 1)
    monkeypatch.setattr(render, "worker_count", lambda: 2)
    pooled: list[bool] = []
    real_close = render.Renderer.close

    def close(self):
        pooled.append(self.pool is not None)
        real_close(self)

    monkeypatch.setattr(render.Renderer, "close", close)
    good, tampered = approve(make_story(1)), approve(make_story(2))
    signed = tampered.approvals[-1]
    altered = signed.__class__(**{**signed.__dict__,
                                  "approved_at": signed.approved_at + timedelta(seconds=1)})
    source = MemorySource([good, tampered.replace(approvals=(altered,))])
    report = export(source, "ninjs", tmp_path, NOW, keyring=keyring)
    assert pooled == [True]
    assert report.exported_ids == [good.id] and not (tmp_path / f"{tampered.id}.json").exists()
    reason = dict((i, r) for i, _, r in report.skipped)[tampered.id]
    assert ("altered after signing" if keyring else "does not verify") in reason


def test_the_selection_explains_itself():
    story = approve(make_story(1))
    assert find_candidate(story, None) == Candidate(story, story.approvals[-1], story.revision)
    assert find_candidate(make_story(1), None).startswith("not approved")
    assert find_candidate(story.replace(status="spiked"), None) == "spiked"
    held = approve(make_story(1, embargo=NOW + timedelta(hours=1)))
    assert hold_reason(held, NOW).startswith("embargoed until")


@pytest.mark.parametrize("fmt", FORMATS)
def test_re_exporting_unchanged_stories_changes_no_file(tmp_path, fmt):
    stories = corpus()
    first = export(MemorySource(stories), fmt, tmp_path, NOW, signer=SIGNER)
    assert first.manifest_written and first.written
    before = tree(tmp_path)
    second = export(MemorySource(stories), fmt, tmp_path, NOW + timedelta(hours=5), signer=SIGNER)
    assert second.written == [] and second.removed == [] and second.changed == []
    assert not second.manifest_written
    assert tree(tmp_path) == before
    # A full pass re-renders everything (with the clock each story was first rendered
    # with, which the manifest records) and still finds nothing to write.
    third = export(MemorySource(stories), fmt, tmp_path, NOW + timedelta(hours=6), full=True,
                   signer=SIGNER)
    assert third.written == [] and tree(tmp_path) == before
    assert len(third.exported) == len(stories)


def test_only_the_changed_story_is_rewritten(tmp_path):
    stories = [approve(make_story(n)) for n in range(1, 5)]
    export(MemorySource(stories), "html", tmp_path, NOW, signer=SIGNER)
    before = tree(tmp_path)
    changed = approve(edit(stories[1], body="A corrected body."),
                      at=NOW - timedelta(minutes=10))
    source = MemorySource([stories[0], changed, *stories[2:]])
    report = export(source, "html", tmp_path, NOW, signer=SIGNER)
    assert report.changed == [changed.id]
    assert report.written == [record_path(changed.id), "news/metro/story-2.html"]
    after = tree(tmp_path)
    assert {p for p in after if after[p] != before.get(p)} == {
        "news/metro/story-2.html", record_path(changed.id), MANIFEST_NAME,
    }
    assert b"A corrected body." in after["news/metro/story-2.html"][0]


def test_a_hand_edited_file_is_repaired_by_a_full_export(tmp_path):
    story = approve(make_story(1))
    export(MemorySource([story]), "html", tmp_path, NOW)
    page = tmp_path / "news/metro/story-1.html"
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    export(MemorySource([story]), "html", tmp_path, NOW, full=True)
    assert page.read_bytes() == original
    page.unlink()
    export(MemorySource([story]), "html", tmp_path, NOW)  # a missing file is noticed without full
    assert page.read_bytes() == original


def test_withdrawn_stories_leave_the_tree_and_are_listed(tmp_path):
    keep, drop = approve(make_story(1)), approve(make_story(2, section="Sport / Tennis"))
    export(MemorySource([keep, drop]), "hugo", tmp_path, NOW, signer=SIGNER)
    assert (tmp_path / "content/sport/tennis/story-2.md").exists()
    later = NOW + timedelta(hours=1)
    source = MemorySource([keep, drop.replace(status="spiked")])
    report = export(source, "hugo", tmp_path, later, signer=SIGNER)
    assert [w.id for w in report.withdrawn] == [drop.id]
    assert "content/sport/tennis/story-2.md" in report.removed
    assert not (tmp_path / "content/sport").exists()  # empty section folders go too
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["withdrawn"] == [{
        "id": drop.id, "slug": "story-2", "withdrawn_at": "2026-03-10T13:00:00+00:00",
        "reason": "spiked",
    }]
    # The withdrawal stays on record, unchanged, on later exports...
    again = export(MemorySource([keep]), "hugo", tmp_path, later + timedelta(hours=1),
                   signer=SIGNER)
    assert not again.manifest_written and again.withdrawn == []
    # ...until the story comes back.
    export(MemorySource([keep, drop]), "hugo", tmp_path, later + timedelta(hours=2), signer=SIGNER)
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["withdrawn"] == [] and len(manifest["stories"]) == 2


def test_a_renamed_story_moves_and_keeps_its_old_url_as_alias(tmp_path):
    first = approve(make_story(1, slug="old-name"))
    export(MemorySource([first]), "hugo", tmp_path, NOW)
    renamed = approve(edit(first, slug="new-name", section="News / City"))
    source = MemorySource([renamed], former={renamed.id: [("News / Metro", "old-name")]})
    report = export(source, "hugo", tmp_path, NOW)
    assert report.removed == ["content/news/metro/_index.md", "content/news/metro/old-name.md"]
    page = (tmp_path / "content/news/city/new-name.md").read_text(encoding="utf-8")
    assert 'aliases: ["/news/metro/old-name/"]\n' in page
    assert (tmp_path / "content/news/_index.md").exists()


def test_two_stories_claiming_one_file_do_not_overwrite_each_other(tmp_path):
    first = approve(make_story(1, slug="same"), at=NOW - timedelta(hours=3))
    second = approve(make_story(2, slug="same"), at=NOW - timedelta(hours=1))
    report = export(MemorySource([second, first]), "html", tmp_path, NOW)
    assert report.exported_ids == [first.id]
    assert report.skipped == [(second.id, "same", "news/metro/same.html belongs to another "
                                                  "story in this export")]


def test_folder_errors_are_clear_and_change_nothing(tmp_path):
    story = approve(make_story(1))
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export(MemorySource([story]), "html", a_file, NOW)
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        export(MemorySource([story]), "pdf", tmp_path / "out", NOW)
    assert not (tmp_path / "out").exists()
    export(MemorySource([story]), "html", tmp_path / "out", NOW)
    with pytest.raises(ExportError, match="holds a html export"):
        export(MemorySource([story]), "ninjs", tmp_path / "out", NOW)


def test_a_tampered_manifest_never_deletes_outside_the_folder(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "out"
    story = approve(make_story(1))
    export(MemorySource([story]), "html", out, NOW)
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["shared_files"].append({"path": "../victim.txt", "sha256": "0" * 64})
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    before = tree(out)
    with pytest.raises(ExportError, match="outside the export folder"):
        export(MemorySource([]), "html", out, NOW)
    assert victim.read_text() == "keep me"
    assert tree(out) == before
    (out / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(ExportError, match="not a readable export manifest"):
        export(MemorySource([story]), "html", out, NOW)


def test_files_outside_the_manifest_are_left_alone(tmp_path):
    (tmp_path / "config.toml").write_text("title = 'site'\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "about.md").write_text("---\ntitle: About\n---\n")
    story = approve(make_story(1))
    export(MemorySource([story]), "hugo", tmp_path, NOW)
    export(MemorySource([story.replace(status="spiked")]), "hugo", tmp_path, NOW)
    assert (tmp_path / "config.toml").exists() and (tmp_path / "content/about.md").exists()


def test_no_temporary_files_are_left_behind(tmp_path):
    export(MemorySource(corpus()), "hugo", tmp_path, NOW)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_write_failure_is_an_export_error_and_keeps_the_old_manifest(tmp_path):
    story = approve(make_story(1))
    export(MemorySource([story]), "html", tmp_path, NOW)
    manifest_before = (tmp_path / MANIFEST_NAME).read_bytes()
    blocker = tmp_path / "sport"
    blocker.write_text("a file where a folder must go")
    other = approve(make_story(2, section="Sport"))
    with pytest.raises(ExportError, match="cannot write"):
        export(MemorySource([story, other]), "html", tmp_path, NOW)
    assert (tmp_path / MANIFEST_NAME).read_bytes() == manifest_before


def test_progress_is_reported_per_story(tmp_path):
    seen = []
    export(MemorySource([approve(make_story(n)) for n in (1, 2)]), "ninjs", tmp_path, NOW,
           progress=lambda done, total, label: seen.append((done, total, label)))
    assert [(done, total) for done, total, _ in seen] == [(1, 2), (2, 2)]
    assert {label for _, _, label in seen} == {"story-1", "story-2"}


def test_summary_reads_well(tmp_path):
    report = export(MemorySource([approve(make_story(1))]), "ninjs", tmp_path, NOW)
    assert report.summary() == (
        f"1 story in {tmp_path} (ninjs): 1 changed, 0 skipped, 0 withdrawn; "
        "2 files written, 0 removed"
    )
    assert os.listdir(tmp_path) != []


def test_the_light_pass_reads_only_what_differs_from_the_manifest(tmp_path):
    kept, gone = approve(make_story(1)), approve(make_story(2))
    held = approve(make_story(3, embargo=NOW + timedelta(hours=1)))
    export(MemorySource([kept, gone, held]), "ninjs", tmp_path, NOW, keyring=KEYRING,
           signer=SIGNER)
    before = tree(tmp_path)
    source = MemorySource([kept, held])
    report = export(source, "ninjs", tmp_path, NOW, keyring=KEYRING, signer=SIGNER)
    assert source.asked == [(held.id, 1)]  # no entry yet: its embargo is checked again
    assert [w.id for w in report.withdrawn] == [gone.id]
    assert report.exported_ids == [kept.id] and report.written == []
    assert tree(tmp_path)[f"{kept.id}.json"] == before[f"{kept.id}.json"]
    source = MemorySource([kept, held])
    later = export(source, "ninjs", tmp_path, NOW + timedelta(hours=2), keyring=KEYRING,
                   signer=SIGNER)
    assert source.asked == [(held.id, 1)] and set(later.changed) == {held.id}


def test_the_light_pass_still_checks_trust_and_missing_files(tmp_path):
    story = approve(make_story(1))
    export(MemorySource([story]), "hugo", tmp_path, NOW, keyring=KEYRING, signer=SIGNER)
    page = next(p for p in tmp_path.rglob("*.md") if story.slug in p.name)
    page.unlink()
    source = MemorySource([story])
    report = export(source, "hugo", tmp_path, NOW, keyring=KEYRING, signer=SIGNER)
    assert source.asked == [(story.id, 1)] and page.is_file()
    assert page.relative_to(tmp_path).as_posix() in report.written
    stranger = Keyring({"Mei Lin": public_key_text(generate_key())})
    report = export(MemorySource([story]), "hugo", tmp_path, NOW, keyring=stranger, signer=SIGNER)
    assert report.exported == [] and [w.id for w in report.withdrawn] == [story.id]
    assert "not in the keyring" in report.skipped[0][2]


@pytest.mark.parametrize("fmt", FORMATS)
def test_batches_and_worker_processes_give_the_same_tree(tmp_path, fmt, monkeypatch):
    stories = corpus()
    one_go = export(MemorySource(stories), fmt, tmp_path / "one", NOW)
    # Two stories a batch, rendered by two worker processes (a large export does this).
    monkeypatch.setattr(batches, "BATCH", 2)
    monkeypatch.setattr(render, "POOL_MIN", 0)
    monkeypatch.setattr(render, "worker_count", lambda: 2)
    batched = export(MemorySource(stories), fmt, tmp_path / "batched", NOW)
    assert batched.exported_ids == one_go.exported_ids
    assert sorted(batched.written) == sorted(one_go.written)
    assert [content for content, _ in tree(tmp_path / "batched").values()] == [
        content for content, _ in tree(tmp_path / "one").values()
    ]


def test_a_clash_across_batches_still_goes_to_the_earlier_approval(tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "BATCH", 1)
    first = approve(make_story(1, slug="same"), at=NOW - timedelta(hours=3))
    between = approve(make_story(2), at=NOW - timedelta(hours=2))
    second = approve(make_story(3, slug="same"), at=NOW - timedelta(hours=1))
    report = export(MemorySource([second, between, first]), "hugo", tmp_path, NOW)
    assert report.exported_ids == sorted([first.id, between.id])
    assert [skipped[0] for skipped in report.skipped] == [second.id]


def test_the_renderer_gives_each_job_its_files_in_order():
    jobs = [render.Job(story, story.approvals[-1]) for story in corpus()[:5]]
    in_place = render.render_jobs("ninjs", jobs, NOW)
    renderer = render.Renderer("ninjs", NOW, expected=len(jobs), workers=2)
    try:
        rendering = renderer.submit(jobs)
        assert rendering.result() == in_place.outcomes
        assert rendering.bodies() == in_place.bodies  # what the render cache keeps
        assert len(in_place.bodies) == len(jobs)
        assert renderer.pool is not None  # it did go to the workers
    finally:
        renderer.close()


def test_a_broken_worker_pool_renders_in_place_instead():
    jobs = [render.Job(story, story.approvals[-1]) for story in corpus()[:3]]
    renderer = render.Renderer("html", NOW, expected=len(jobs), workers=2)
    broken: Future = Future()
    broken.set_exception(BrokenProcessPool("a worker could not start"))
    rendering = render.Rendering(renderer, jobs, parts=[broken])
    assert rendering.result() == render.render_jobs("html", jobs, NOW).outcomes
    assert renderer.workers == 0  # the rest of that export renders in place


def test_a_small_export_and_a_frozen_bundle_render_in_place(monkeypatch):
    assert render.Renderer("hugo", NOW, expected=render.POOL_MIN - 1).workers == 0
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert render.worker_count() == 0


@pytest.mark.parametrize(("status", "exported_before", "listed", "reason"), [
    ("approved", False, True, "unresolved sync conflict (status): not exported; resolve it "
                              "first (newsdesk conflicts)"),
    ("published", True, True, "unresolved sync conflict (status): not exported again; the "
                              "files exported earlier stay as they were until it is resolved"),
    ("spiked", True, True, "unresolved sync conflict (status): not exported again; the files "
                           "exported earlier stay as they were until it is resolved"),
    ("draft", False, False, "unresolved sync conflict (status)"),
])
def test_what_a_sync_conflict_holds_back(status, exported_before, listed, reason):
    story = approve(make_story(1)).replace(status=status)
    entry = _entry_for(story) if exported_before else None
    old = {story.id: entry} if entry else {}
    kept, reasons, report = hold_conflicts({story.id: "status"}, [story], old)
    assert [k.entry for k in kept] == ([entry] if exported_before else [])
    assert reasons == {story.id: reason}
    assert report == ([(story.id, story.slug, reason)] if listed else [])


def _entry_for(story):
    return StoryEntry(story.id, story.slug, story.headline, story.section, story.revision,
                      story.content_hash, story.approvals[-1], {"x.html": "0" * 64})


@pytest.mark.parametrize(("path", "debris"), [
    (".newsdesk/tmp/.newsdesk-tmp-x-1-a.html", True),
    (".newsdesk/tmp/anything", True),
    ("news/metro/.newsdesk-tmp-x-1a-story.html", True),  # an older version's, in place
    (".manifest.json.k2j3h4.tmp", True),  # an older version's manifest
    ("news/.manifest.json.k2j3h4.tmp", False),
    ("news/metro/story.html", False),
    (".newsdesk/approved/1.json", False),
    (".hugo_build.lock", False),
    ("notes.tmp", False),
])
def test_which_files_are_an_exports_debris(path, debris):
    assert is_debris(path) is debris


def test_a_repaired_story_is_rendered_with_its_first_clock(tmp_path):
    """A full export (or the repair of a missing file) renders a story with the clock the
    manifest recorded for it, so the page and record come out byte for byte the same."""
    story = approve(make_story(6, embargo=NOW - timedelta(hours=2)))
    export(MemorySource([story]), "ninjs", tmp_path, NOW, signer=SIGNER)
    before = tree(tmp_path)
    (tmp_path / record_path(story.id)).unlink()
    later = export(MemorySource([story]), "ninjs", tmp_path, NOW + timedelta(days=3), signer=SIGNER)
    assert later.written == [record_path(story.id)] and not later.manifest_written
    assert tree(tmp_path)[f"{story.id}.json"] == before[f"{story.id}.json"]
    assert (tmp_path / record_path(story.id)).read_bytes() == before[record_path(story.id)][0]
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert manifest.stories[story.id].rendered_at == "2026-03-10T12:00:00+00:00"
