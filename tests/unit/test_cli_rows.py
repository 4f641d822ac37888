"""Rows as `list` and `search` print them: streamed JSON is the JSON of the whole list."""

from __future__ import annotations

import json

import pytest

from newsdesk.cli_rows import emit_json_rows, limited_rows
from newsdesk.model import NewsdeskError


@pytest.mark.parametrize("rows", [
    [],
    [{"id": "a", "headline": "One “quoted”", "n": 1}],
    [{"id": "a", "nested": {"x": [1, 2]}}, {"id": "b", "nested": {}}],
])
def test_streamed_json_is_what_dumping_the_list_writes(capsys, rows):
    emit_json_rows(iter(rows))
    expected = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    assert capsys.readouterr().out == expected


def test_rows_come_a_page_at_a_time_and_the_cut_is_told(monkeypatch):
    import newsdesk.cli_rows as cli_rows

    monkeypatch.setattr(cli_rows, "PAGE", 10)
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
