"""What the commands print: JSON (a value, or a list a row at a time), and stories as
`newsdesk list`, `search` and `trash` print them, a line or a JSON object each, fetched
a page at a time, with a word on stderr when a limit left some out."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from newsdesk.domain import model, wording
from newsdesk.domain.model import NewsdeskError

if TYPE_CHECKING:  # the store is loaded when a command runs, not to read the command line
    from newsdesk.store.records import StoryRow


def emit_json(value: object) -> None:
    """`value` as indented JSON on stdout (non-ASCII text as it is)."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def emit_json_rows(rows: Iterable[dict[str, object]]) -> None:
    """A JSON array written a row at a time, the bytes emit_json writes for the whole
    list: a script reading `list --json` on a big desk gets its first rows at once and
    the command never holds every row in memory."""
    out, first = sys.stdout, True
    for row in rows:
        out.write(("[\n  " if first else ",\n  ") + _row_json(row))
        first = False
    out.write("[]\n" if first else "\n]\n")


_SCALARS = (str, int, float, bool, type(None))
_dumps = json.JSONEncoder(ensure_ascii=False).encode  # C-accelerated without indent


def _row_json(row: dict[str, object]) -> str:
    """`row` as json.dumps(indent=2) writes it inside a list (one level deeper), byte for
    byte. A row of plain values (every row the commands print) is joined from the C
    encoder's pieces: the indenting encoder is pure Python, and a search or list of
    tens of thousands of stories spent most of its time in it (issue 23)."""
    plain = all(isinstance(k, str) and isinstance(v, _SCALARS) for k, v in row.items())
    if not row or not plain:
        return json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    fields = ",\n    ".join(f"{_dumps(key)}: {_dumps(value)}" for key, value in row.items())
    return "{\n    " + fields + "\n  }"


def row_dict(row: StoryRow) -> dict[str, object]:
    return {
        "id": row.id,
        "slug": row.slug,
        "headline": row.headline,
        "section": row.section,
        "status": row.status,
        "type": row.type,
        "editor": row.editor,
        "created_at": model.format_datetime(row.created_at) if row.created_at else None,
        "updated_at": model.format_datetime(row.updated_at),
        "word_count": row.word_count,
    }


def print_trash(rows: Iterable[StoryRow], as_json: bool) -> None:
    """The trash as `newsdesk trash` prints it: as the list, with when each was deleted."""
    if as_json:
        emit_json_rows({**row_dict(r), "deleted_at": _when(r.deleted_at)} for r in rows)
        return
    for r in rows:
        print(f"{r.id[:8]}  {_when(r.deleted_at):<20}  {r.slug:<24}  {r.headline}")


def _when(moment: datetime | None) -> str:
    return model.format_datetime(moment) if moment else ""


_PREFIX_RE = re.compile(r"[0-9a-f-]{6,36}")


def match_trash(rows: Sequence[StoryRow], ref: str) -> StoryRow | str:
    """The story in the trash `ref` names (as `newsdesk show` reads a reference: its id,
    its slug, or a prefix of its id of six characters or more), or why none: `rows` are
    the trash, most recently deleted first (that one wins when several share a slug)."""
    ref = ref.strip()
    by_id = [r for r in rows if r.id == ref.lower()]
    by_slug = [r for r in rows if r.slug == ref]
    by_prefix = (
        [r for r in rows if r.id.startswith(ref.lower())]
        if _PREFIX_RE.fullmatch(ref.lower()) else []
    )
    if by_id or by_slug:
        return (by_id or by_slug)[0]
    if len(by_prefix) > 1:
        return f"{ref!r} matches more than one story in the trash; give more of the id"
    return by_prefix[0] if by_prefix else f"no story {ref!r} in the trash"


def print_rows(rows: Iterable[StoryRow], as_json: bool) -> None:
    if as_json:
        emit_json_rows(row_dict(r) for r in rows)
        return
    for r in rows:
        print(f"{r.id[:8]}  {r.status:<9}  {r.slug:<24}  {r.section or '-':<16}  {r.headline}")


PAGE = 1000  # rows fetched at a time when listing


def limited_rows(fetch: Callable[[int, int], list[StoryRow]], limit: int,
                 cut: Callable[[int], None]) -> Iterator[StoryRow]:
    """Rows from `fetch(limit, offset)` a page at a time, at most `limit` (0: all); when
    the limit leaves rows out, `cut(shown)` is told once the shown ones are out."""
    if limit < 0:
        raise NewsdeskError(f"--limit {limit}: give a number of stories, or 0 for all")
    shown = 0
    while True:
        want = PAGE if not limit else min(PAGE, limit - shown)
        page = fetch(want + 1, shown)  # one more than wanted: are there more?
        yield from page[:want]
        shown += len(page[:want])
        if len(page) <= want:
            return
        if limit and shown >= limit:
            cut(shown)
            return


def note_cut(total: int, command: str) -> Callable[[int], None]:
    def say(shown: int) -> None:
        print(f"newsdesk {command}: showing {shown:,} of {wording.count(total, 'story')}; "
              "--limit N shows more, --limit 0 all of them", file=sys.stderr)

    return say
