"""A re-export with nothing changed (publish/quiet.py): as cheap as a stat walk, and never
hiding a change the full path would act on."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.desk import Desk
from newsdesk.identity.signing import generate_key, public_key_text
from newsdesk.publish import light
from newsdesk.publish.files import TMP_DIR
from newsdesk.publish.quiet import QuietMark, horizon, tree_stamp
from newsdesk.publish.report import QuietReport
from tests.unit.publish.test_export_desk import approved, as_chief, as_writer

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as d:
        yield d


def full_path_taken(monkeypatch) -> list[int]:
    """Counts the exports that went the full way (the light pass runs on each)."""
    calls: list[int] = []
    real = light.light_pass

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("newsdesk.publish.export.light_pass", counted)
    return calls


def test_an_unchanged_desk_re_exports_without_reading_a_story(desk, tmp_path, monkeypatch):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    out = tmp_path / "out"
    first = desk.export("hugo", out, now=NOW)
    calls = full_path_taken(monkeypatch)
    again = desk.export("hugo", out, now=NOW)
    assert calls == [] and isinstance(again, QuietReport)
    assert again.summary() == first.summary().replace(
        "1 changed", "0 changed").replace(f"{len(first.written)} files written", "0 files written"
    ).replace("; 1 marked published", "")
    assert again.exported_ids == [story.id]  # read from the manifest when asked
    assert again.written == [] and again.published == []
    assert again.as_dict()["exported"] == first.as_dict()["exported"]


@pytest.mark.parametrize("change", [
    "story saved", "page deleted", "temporary file left", "embargo ends", "full",
    "other format folder", "keyring",
])
def test_any_change_takes_the_full_path(desk, tmp_path, monkeypatch, change):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    later = approved(desk, "Budget vote", body="On Friday.", embargo=NOW + timedelta(hours=1))
    out = tmp_path / "out"
    desk.export("html", out, now=NOW)
    desk.export("html", out, now=NOW)  # the mark is taken after a clean export
    calls = full_path_taken(monkeypatch)
    page = out / "news/metro/tram-depot-opens.html"
    when, kwargs = NOW, {}
    if change == "story saved":
        as_writer(desk)
        current = desk.get(story.id)
        desk.save(current.replace(body="Doors open at ten."), current.revision)
        as_chief(desk)
    elif change == "page deleted":
        page.unlink()
    elif change == "temporary file left":
        (out / TMP_DIR).mkdir(parents=True)
        (out / TMP_DIR / ".newsdesk-tmp-x").write_text("left by a killed export")
    elif change == "embargo ends":
        when = NOW + timedelta(hours=2)
    elif change == "full":
        kwargs = {"full": True}
    elif change == "other format folder":
        out = tmp_path / "other"
    elif change == "keyring":
        desk.profile.trust(public_key_text(generate_key()), "Someone Else")
    report = desk.export("html", out, now=when, **kwargs)
    assert calls == [1] and not isinstance(report, QuietReport)
    if change == "page deleted":
        assert page.exists()
    if change == "temporary file left":
        assert not (out / TMP_DIR).exists()
    if change == "embargo ends":
        assert later.id in report.exported_ids


def test_the_stamp_sees_any_change_to_a_file(tmp_path):
    root = tmp_path / "tree"
    (root / "a").mkdir(parents=True)
    page = root / "a" / "page.html"
    page.write_text("<p>one</p>")
    stamp = tree_stamp(root)
    assert stamp is not None and tree_stamp(root) == stamp
    times = page.stat()
    page.write_text("<p>two</p>")  # same size, its times set back
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert tree_stamp(root) not in (None, stamp)  # the change time moved
    edited = tree_stamp(root)
    (root / "extra.html").write_text("x")
    assert tree_stamp(root) not in (None, edited)
    (root / "extra.html").unlink()
    (root / ".newsdesk" / "tmp").mkdir(parents=True)
    (root / ".newsdesk" / "tmp" / ".newsdesk-tmp-1").write_text("x")
    assert tree_stamp(root) is None
    assert tree_stamp(tmp_path / "missing") is None


@pytest.mark.parametrize(("embargoes", "expected"), [
    ([], ""),
    ([None, NOW - timedelta(hours=1)], ""),
    ([NOW + timedelta(hours=3), None, NOW + timedelta(hours=1)], "2026-12-05T10:00:00+00:00"),
])
def test_the_horizon_is_the_earliest_embargo_ahead(embargoes, expected):
    assert horizon(embargoes, NOW) == expected


@pytest.mark.parametrize("text", [None, "", "[]", "{}", '{"version": 1}', "not json",
                                  '{"version": 2, "state": "s"}'])
def test_an_unreadable_mark_is_no_mark(text):
    assert QuietMark.loads(text) is None


def test_a_mark_reads_back():
    mark = QuietMark("s", "t", "", 3, (("id", "slug", "why"),), ("c",), ("k",))
    assert QuietMark.loads(mark.dumps()) == mark
