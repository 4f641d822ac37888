"""Diffs between revisions: fields by name, the body by paragraph, words inside one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from newsdesk.domain.diff import diff_stories, paragraphs, word_diff
from newsdesk.domain.model import Dateline, Story

BASE = Story(
    slug="tram-line",
    headline="New tram line opens",
    body="First paragraph.\n\nSecond paragraph.\n\nThird paragraph.",
    tags=("transport", "city"),
    revision=1,
)


def test_no_changes() -> None:
    diff = diff_stories(BASE, BASE.replace(revision=2))
    assert not diff.changed
    assert diff.text() == "revision 1 -> 2: no changes\n"
    assert diff.as_dict()["fields"] == [] and diff.as_dict()["body"] == []


def test_fields_by_name() -> None:
    new = BASE.replace(
        revision=2,
        headline="Tram line opens early",
        dateline=Dateline("Harbin", date(2026, 1, 5)),
        embargo=datetime(2026, 1, 6, 8, 0, tzinfo=UTC),
        ednote="check fares",
    )
    diff = diff_stories(BASE, new)
    changes = {c.name: (c.old, c.new) for c in diff.fields}
    assert changes == {
        "headline": ("New tram line opens", "Tram line opens early"),
        "dateline": ("", "Harbin, 2026-01-05"),
        "embargo": ("", "2026-01-06T08:00:00+00:00"),
        "ednote": ("", "check fares"),
    }
    assert "headline:\n  - New tram line opens\n  + Tram line opens early" in diff.text()


def test_tags_compare_as_a_set() -> None:
    assert not diff_stories(BASE, BASE.replace(tags=("City", "transport"))).changed
    diff = diff_stories(BASE, BASE.replace(tags=("transport",)))
    assert [(c.name, c.old, c.new) for c in diff.fields] == [
        ("tags", "transport, city", "transport")
    ]


def test_body_by_paragraph() -> None:
    new = BASE.replace(
        revision=3,
        body="First paragraph.\n\nSecond paragraph, rewritten.\n\nThird paragraph.\n\nA fourth.",
    )
    diff = diff_stories(BASE, new)
    changed = [p for p in diff.body if p.op != "equal"]
    assert [(p.op, p.old, p.new) for p in changed] == [
        ("replace", ("Second paragraph.",), ("Second paragraph, rewritten.",)),
        ("insert", (), ("A fourth.",)),
    ]
    text = diff.text()
    assert "body ¶2 changed:\n  - Second paragraph.\n  + Second paragraph, rewritten." in text
    assert "body ¶4 added:\n  + A fourth." in text


def test_removed_paragraphs_and_json() -> None:
    new = BASE.replace(body="Third paragraph.")
    diff = diff_stories(BASE, new)
    assert "body ¶1-2 removed:" in diff.text()
    assert diff.as_dict()["body"] == [
        {"op": "delete", "old_start": 1, "new_start": 1,
         "old": ["First paragraph.", "Second paragraph."], "new": []}
    ]


def test_paragraph_split_ignores_line_endings_and_blank_runs() -> None:
    assert paragraphs("a\r\n\r\nb\n \n\n\nc\nstill c\n") == ["a", "b", "c\nstill c"]
    assert paragraphs("   \n\n") == []


def test_word_diff() -> None:
    parts = word_diff("The tram runs daily.", "The tram runs hourly.")
    assert parts == [("equal", "The tram runs "), ("delete", "daily."), ("insert", "hourly.")]
    assert "".join(t for op, t in parts if op != "delete") == "The tram runs hourly."
