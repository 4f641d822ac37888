"""What the commands print: JSON (a value, or a list a row at a time), and stories as
`newsdesk list`, `search` and `trash` print them, a line or a JSON object each, fetched
a page at a time, with a word on stderr when a limit left some out."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from newsdesk.domain import model, wording
from newsdesk.domain.model import NewsdeskError
from newsdesk.formats import prettyjson

if TYPE_CHECKING:  # the store is loaded when a command runs, not to read the command line
    from newsdesk.store.records import StoryRow


def emit_json(value: object) -> None:
    """`value` as indented JSON on stdout (non-ASCII text as it is)."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


T = TypeVar("T")


def emit_json_rows(rows: Iterable[dict[str, object]]) -> None:
    """A JSON array written a row at a time, the bytes emit_json writes for the whole
    list: a script reading `list --json` on a big desk gets its first rows at once and
    the command never holds every row in memory (only CHUNK rows at a time)."""
    _emit_chunks(_rows_json(chunk) for chunk in _chunks(rows, CHUNK))


def emit_json_values(keys: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """emit_json_rows of the rows dict(zip(keys, values)), without building the dicts."""
    def texts(chunk: list[Sequence[object]]) -> list[str]:
        if all(len(row) == len(keys) for row in chunk):
            fast = _values_json(tuple(keys), [value for row in chunk for value in row])
            if fast is not None:
                return fast
        return [_row_json(dict(zip(keys, row, strict=True))) for row in chunk]

    _emit_chunks(texts(chunk) for chunk in _chunks(rows, CHUNK))


def _emit_chunks(chunks: Iterable[list[str]]) -> None:
    out, first = sys.stdout, True
    for texts in chunks:
        out.write(("[\n  " if first else ",\n  ") + ",\n  ".join(texts))
        first = False
    out.write("[]\n" if first else "\n]\n")


CHUNK = 512
# Values the C encoder writes on one line, as the indenting encoder does (not their
# subclasses: an Enum of str, say, is written by its own rules).
_PLAIN = {str, int, float, bool, type(None)}
_dumps = json.JSONEncoder(ensure_ascii=False).encode  # C-accelerated without indent
# The C encoder with a newline between items: an encoded value never holds a raw
# newline (JSON escapes it), so splitting the list's text at newlines gives each value.
_dumps_lines = json.JSONEncoder(ensure_ascii=False, separators=("\n", ": ")).encode


def _chunks(rows: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows_json(rows: list[dict[str, object]]) -> list[str]:
    """Each row as json.dumps(indent=2) writes it inside a list (one level deeper), byte
    for byte. Rows with the same string keys in the same order (every row the commands
    print) take one call of the C encoder for all their values (_values_json): the
    indenting encoder is pure Python, and a search of tens of thousands of stories spent
    most of its time in it (issue 23)."""
    keys = tuple(rows[0])
    if all(isinstance(k, str) for k in keys) and all(tuple(row) == keys for row in rows):
        fast = _values_json(keys, [value for row in rows for value in row.values()])
        if fast is not None:
            return fast
    return [_row_json(row) for row in rows]


def _values_json(keys: tuple[str, ...], values: list[object]) -> list[str] | None:
    """The rows of len(keys) `values` each, as _row_json writes them; None when a value
    is not a plain one (a list or an object is indented over lines of its own)."""
    if not keys:
        return None
    if not set(map(type, values)) <= _PLAIN:
        return None
    encoded = _dumps_lines(values)[1:-1].split("\n") if values else []
    template = "{\n    " + ",\n    ".join(f"{_dumps(k).replace('%', '%%')}: %s" for k in keys)
    template += "\n  }"
    width = len(keys)
    return [template % tuple(encoded[n : n + width]) for n in range(0, len(encoded), width)]


def _row_json(row: dict[str, object]) -> str:
    """`row` as json.dumps(indent=2) writes it inside a list (one level deeper)."""
    return prettyjson.dumps(row, level=1)


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


def print_printed(keys: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Rows of the values `list --json` prints (store listing.PRINTED, in `keys` order),
    as print_rows prints them: the same bytes, without a StoryRow for each (issue 23)."""
    times = [n for n, key in enumerate(keys) if key in ("created_at", "updated_at")]

    def texts(chunk: list[Sequence[object]]) -> list[str]:
        columns = [list(column) for column in zip(*chunk, strict=True)]
        for n in times:
            columns[n] = _time_texts(columns[n])
        values = [value for row in zip(*columns, strict=True) for value in row]
        fast = _values_json(tuple(keys), values)
        if fast is not None:
            return fast
        return [_row_json(dict(zip(keys, row, strict=True))) for row in zip(*columns, strict=True)]

    _emit_chunks(texts(chunk) for chunk in _chunks(rows, CHUNK))


# A time as the store writes it (codec.utc_text), which is what format_datetime writes of
# it again: passed on as it is once Python has read it (a bad one fails as it would).
_STORED_TIME = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.(?!000000)[0-9]{6})?\\+00:00"
)
_STORED_TIMES = re.compile(f"(?:{_STORED_TIME}\n)*")


def _time_texts(texts: list[object]) -> list[object]:
    """Stored times as row_dict prints them (None stays None): checked a chunk at a time
    by one match of the joined texts (text of a time holds no newline), each value then
    read by Python; anything else is read and written again one by one."""
    present = [text for text in texts if text is not None]
    if all(isinstance(text, str) for text in present):
        joined = "\n".join(present) + "\n"  # type: ignore[arg-type]
        if _STORED_TIMES.fullmatch(joined) and joined.count("\n") == len(present):
            list(map(datetime.fromisoformat, present))  # type: ignore[arg-type]
            return texts
    return [None if text is None else model.format_datetime(model.parse_datetime(text))  # type: ignore[arg-type]
            for text in texts]


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
