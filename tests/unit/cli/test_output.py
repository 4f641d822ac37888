"""What the commands print and read: streamed JSON is the JSON of the whole list, rows
come a page at a time, a reference names one story in the trash."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsdesk.cli.output import emit_json_rows, limited_rows, match_trash
from newsdesk.domain.model import NewsdeskError
from newsdesk.store.records import StoryRow


@pytest.mark.parametrize("rows", [
    [],
    [{"id": "a", "headline": "One “quoted”", "n": 1}],
    [{"id": "a", "nested": {"x": [1, 2]}}, {"id": "b", "nested": {}}],
    # Rows of plain values take the fast path: every kind of value, and text that JSON
    # escapes (quotes, backslashes, control characters, line breaks, non-ASCII as it is).
    [{"id": "a\\b\"c", "headline": "Line\nbreak\t\x01 café ☃", "n": 0, "f": 1.5,
      "yes": True, "no": False, "none": None},
     {}, {"id": "b", "word_count": 10**20, "": ""}],
    # A chunk of rows with the same keys is encoded in one call (issue 23): more rows
    # than a chunk, text holding what the split and the template could trip on (line
    # breaks, separators, `%`), keys in another order, a row with a nested value.
    [{"id": f"s{n}", "100%": "a\n: b,\n  %s %d", "n": n, "t": "\u2028\x7f\x1f"}
     for n in range(1100)],
    [{"a": 1, "b": "x"}, {"b": "y", "a": 2}, {"a": 3, "b": ["z"]}, {"a": 4, "b": "w"}],
])
def test_streamed_json_is_what_dumping_the_list_writes(capsys, rows):
    emit_json_rows(iter(rows))
    expected = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    assert capsys.readouterr().out == expected


def test_rows_come_a_page_at_a_time_and_the_cut_is_told(monkeypatch):
    import newsdesk.cli.output as output

    monkeypatch.setattr(output, "PAGE", 10)
    asked: list[tuple[int, int]] = []
    told: list[int] = []

    def fetch(limit: int, offset: int) -> list[int]:
        asked.append((limit, offset))
        return list(range(offset, min(offset + limit, 25)))

    assert list(limited_rows(fetch, 0, told.append)) == list(range(25))
    assert asked == [(11, 0), (11, 10), (11, 20)] and told == []
    asked.clear()
    assert list(limited_rows(fetch, 12, told.append)) == list(range(12))
    assert told == [12]
    with pytest.raises(NewsdeskError, match="--limit -1"):
        list(limited_rows(fetch, -1, told.append))


def trash_row(id: str, slug: str) -> StoryRow:
    return StoryRow(id, slug, slug.title(), "", "draft", "", "", datetime(2026, 1, 1, tzinfo=UTC),
                    0, deleted_at=datetime(2026, 1, 2, tzinfo=UTC))


# The trash, most recently deleted first: two stories once had the slug "bridge".
TRASH = [
    trash_row("0123abcd-0000-4000-8000-000000000001", "bridge"),
    trash_row("0123abce-0000-4000-8000-000000000002", "bridge"),
    trash_row("9f00aa11-0000-4000-8000-000000000003", "ferry"),
]


@pytest.mark.parametrize(
    ("ref", "found"),
    [
        ("0123abce-0000-4000-8000-000000000002", 1),  # an id
        ("0123ABCE-0000-4000-8000-000000000002", 1),  # in capitals
        (" ferry ", 2),  # a slug, as typed
        ("bridge", 0),  # a slug two stories had: the one deleted last
        ("9f00aa", 2),  # a prefix of six characters or more
        ("0123abce", 1),
        ("0123ab", "'0123ab' matches more than one story in the trash; give more of the id"),
        ("9f00a", "no story '9f00a' in the trash"),  # too short for a prefix
        ("tram", "no story 'tram' in the trash"),
        ("", "no story '' in the trash"),
    ],
)
def test_a_reference_names_one_story_in_the_trash(ref, found):
    expected = TRASH[found] if isinstance(found, int) else found
    assert match_trash(TRASH, ref) == expected


def test_the_export_command_offers_the_formats_the_export_writes():
    from newsdesk.cli.commands.export import FORMATS as OFFERED
    from newsdesk.publish.export import FORMATS

    assert OFFERED == FORMATS
