"""Differences between two versions of a story: fields by name, the body by paragraph."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime

from newsdesk.domain.model import EDITABLE_FIELDS, Dateline, Story, format_datetime

# The body is compared paragraph by paragraph (what an editor reads and moves), every other
# editable field as one value. ednote is included: it is not content, but people edit it.
FIELDS: tuple[str, ...] = tuple(name for name in EDITABLE_FIELDS if name != "body")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class BodyChange:
    """A run of paragraphs: op is 'equal', 'insert', 'delete' or 'replace'.

    `old_start`/`new_start` are 1-based paragraph numbers in each version.
    """

    op: str
    old_start: int
    new_start: int
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class StoryDiff:
    old_revision: int
    new_revision: int
    fields: tuple[FieldChange, ...]
    body: tuple[BodyChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fields) or any(part.op != "equal" for part in self.body)

    def as_dict(self) -> dict[str, object]:
        return {
            "from_revision": self.old_revision,
            "to_revision": self.new_revision,
            "fields": [{"name": f.name, "old": f.old, "new": f.new} for f in self.fields],
            "body": [
                {
                    "op": part.op,
                    "old_start": part.old_start,
                    "new_start": part.new_start,
                    "old": list(part.old),
                    "new": list(part.new),
                }
                for part in self.body
                if part.op != "equal"
            ],
        }

    def text(self) -> str:
        """A readable report: each changed field, then each changed run of paragraphs."""
        lines = [f"revision {self.old_revision} -> {self.new_revision}"]
        if not self.changed:
            return lines[0] + ": no changes\n"
        for change in self.fields:
            lines.append(f"{change.name}:")
            lines.extend(_marked("-", change.old))
            lines.extend(_marked("+", change.new))
        for part in self.body:
            if part.op == "equal":
                continue
            lines.append(f"body {_where(part)}:")
            for text in part.old:
                lines.extend(_marked("-", text))
            for text in part.new:
                lines.extend(_marked("+", text))
        return "\n".join(lines) + "\n"


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs: split at blank lines, line ends normalised, empties dropped."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip("\n") for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def field_text(story: Story, name: str) -> str:
    """A field as one line of text, the way the diff shows it."""
    value = getattr(story, name)
    if isinstance(value, Dateline):
        when = value.date.isoformat() if value.date else ""
        return ", ".join(part for part in (value.place, when) if part)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return "" if value is None else str(value)


def diff_stories(old: Story, new: Story) -> StoryDiff:
    fields = []
    for name in FIELDS:
        if name == "tags":
            changed = {t.casefold() for t in old.tags} != {t.casefold() for t in new.tags}
        else:
            changed = getattr(old, name) != getattr(new, name)
        if changed:
            fields.append(FieldChange(name, field_text(old, name), field_text(new, name)))
    a, b = paragraphs(old.body), paragraphs(new.body)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    body = tuple(
        BodyChange(op, i1 + 1, j1 + 1, tuple(a[i1:i2]), tuple(b[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )
    return StoryDiff(old.revision, new.revision, tuple(fields), body)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Inline changes within a paragraph: (op, text) with op 'equal', 'delete' or 'insert'."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", "".join(b[j1:j2])))
    return out


def _where(part: BodyChange) -> str:
    def span(start: int, count: int) -> str:
        return f"¶{start}" if count == 1 else f"¶{start}-{start + count - 1}"

    if part.op == "insert":
        return f"{span(part.new_start, len(part.new))} added"
    if part.op == "delete":
        return f"{span(part.old_start, len(part.old))} removed"
    return f"{span(part.old_start, len(part.old))} changed"


def _marked(mark: str, text: str) -> list[str]:
    return [f"  {mark} {line}" for line in (text.split("\n") if text else [""])]
