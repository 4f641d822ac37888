"""A story as Markdown with YAML front matter, and back, losslessly.

The file, as `dumps` writes it::

    ---
    id: "…"                 one key per field of model.ALL_FIELDS except body, in that
    …                       order, then the extra keys sorted; every string double-quoted
    ---
    body                    the body, verbatim

`modified_key` and `actions` (the signed workflow actions, model.WorkflowAction) are
written only when the story has them, and `type` only when it is not the default
("news"), so a story without them is the same file it was before Newsdesk signed its
actions or had story types.

The body is delimited exactly: it is every character after the line end of the closing
`---` line, so leading blank lines, trailing newlines (or their absence), `---` lines and
CRLF inside the body come back as written. The opening line is the first line that is not
blank (after an optional BOM); the closing line is the next line that is `---` at the start
of the line, optionally followed by spaces or tabs. The writer never writes a line break
inside a front-matter value, so no front-matter line can look like the closing line.
A file whose opening line ends in CRLF was re-saved by a Windows editor: its body's CRLFs
are read as LF (the writer's own files always have an LF opening line).

The YAML is read by the strict safe loader of `formats.frontmatter` (plain scalars stay
text: a tag `NO` comes back as "NO"), and every problem is a FormatError naming the file
line. Missing optional keys take defaults; unknown keys are kept in `Story.extra`, written
back after the fields. Surrogates (lone, or JSON-style escaped pairs) are refused both ways.
See docs/architecture.md, "The two Markdown trees".
"""

from __future__ import annotations

import operator
import re
from datetime import UTC, date, datetime
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from newsdesk.domain.model import (
    ACTION_FIELDS,
    ALL_FIELDS,
    DEFAULT_TYPE,
    Approval,
    Dateline,
    Story,
    WorkflowAction,
    format_datetime,
    new_id,
    parse_date,
    slugify,
    validate,
)
from newsdesk.formats.errors import FormatError
from newsdesk.formats.frontmatter import (
    INT,
    MAP,
    NULL,
    STR,
    all_plain,
    compose,
    has_surrogate,
    quoted,
    serialize,
    text_node,
    typed_scalar,
    value_node,
)
from newsdesk.formats.textfile import decode, read_bytes

FRONT_MATTER_FIELDS: tuple[str, ...] = tuple(name for name in ALL_FIELDS if name != "body")
APPROVAL_FIELDS: tuple[str, ...] = (
    "approver", "revision", "content_hash", "approved_at", "public_key", "signature",
)
MAX_FRONT_MATTER_CHARS = 1024 * 1024
_TEXT_FIELDS = frozenset(
    {"slug", "headline", "deck", "byline", "section", "editor", "source", "caption",
     "ednote", "modified_by", "modified_key", "type"}
)
# The list fields, and what to say when one is not a list.
_LIST_FIELDS = {"tags": 'expected a list such as ["politics", "Shanghai"]',
                "approvals": "expected a list", "actions": "expected a list"}
# Written only when the story has them (see the module docstring).
_OPTIONAL = ("modified_key", "actions", "type")

# Fields written `name: "text"`, and the others (their own shape, see _field).
_SPECIAL = (
    "dateline", "tags", "embargo", "created_at", "updated_at", "revision", "approvals",
    *_OPTIONAL,
)
_SPECIAL_NOT_TAGS = tuple(name for name in _SPECIAL if name != "tags")
_PLAIN = tuple(name for name in FRONT_MATTER_FIELDS if name not in _SPECIAL)
_plain_values = operator.attrgetter(*_PLAIN)

_CLOSE_RE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_DIGITS_RE = re.compile(r"^[0-9]{1,18}$")


# Writing


def dumps(story: Story) -> str:
    """The story as a Markdown file (str; encode as UTF-8). Same story, same text."""
    for key in story.extra:
        if not isinstance(key, str) or key in ALL_FIELDS:
            raise FormatError(f"extra key {key!r} clashes with a field or is not text")
    if has_surrogate(story.body):
        raise FormatError("body: contains a lone surrogate, which has no UTF-8 form")
    lines = ["---", *_front_matter(story)]
    if story.extra:
        pairs = [(text_node(key, "extra key"), value_node(story.extra[key], key, 0))
                 for key in sorted(story.extra)]
        lines.append(serialize(MappingNode(MAP, pairs, flow_style=False)))
    return "\n".join(lines) + "\n---\n" + story.body


def _front_matter(story: Story) -> list[str]:
    """The line (or lines) of each field, in FRONT_MATTER_FIELDS order."""
    values = _plain_values(story)
    tags = story.tags
    special = _SPECIAL
    # The usual story: no value needs escaping, one check for all (tags included).
    if all_plain((*values, *tags)):
        lines = {name: f'{name}: "{value}"' for name, value in zip(_PLAIN, values, strict=True)}
        lines["tags"] = 'tags: ["' + '", "'.join(tags) + '"]' if tags else "tags: []"
        special = _SPECIAL_NOT_TAGS
    else:
        lines = {name: f"{name}: {quoted(v, name)}" for name, v in zip(_PLAIN, values, strict=True)}
    for name in special:
        if name not in _OPTIONAL or _has(story, name):
            lines[name] = _field(story, name)
    return [lines[name] for name in FRONT_MATTER_FIELDS if name in lines]


def _has(story: Story, name: str) -> bool:
    """Whether an optional field is written: it has a value other than its default."""
    return story.type != DEFAULT_TYPE if name == "type" else bool(getattr(story, name))


def _field(story: Story, name: str) -> str:
    value = getattr(story, name)
    if name == "dateline":
        day = value.date.isoformat() if value.date else None
        return (f"dateline:\n  place: {quoted(value.place, 'dateline place')}\n"
                f"  date: {quoted(day, 'dateline date')}")
    if name == "tags":
        return f"tags: [{', '.join(quoted(tag, name) for tag in value)}]"
    if name in ("embargo", "created_at", "updated_at"):
        # An ISO date and time has nothing to escape: quoted() would add the quotes only.
        return f'{name}: "{format_datetime(value)}"' if value else f"{name}: null"
    if name == "revision":
        return f"revision: {int(value)}"
    if name == "approvals":
        return "approvals:" + "".join(_approval(approval) for approval in value) if value \
            else "approvals: []"
    if name == "actions":
        return "actions:" + "".join(_action(action) for action in value)
    return f"{name}: {quoted(value, name)}"


def _approval(approval: Approval) -> str:
    lines = []
    for name in APPROVAL_FIELDS:
        value = getattr(approval, name)
        if name == "revision":
            text = str(int(value))
        elif name == "approved_at":
            text = quoted(format_datetime(value) if value else None, "approval approved_at")
        else:
            text = quoted(value, f"approval {name}")
        lines.append(f"{'- ' if name == 'approver' else '  '}{name}: {text}")
    return "\n" + "\n".join(lines)


def _action(action: WorkflowAction) -> str:
    lines = []
    for name in ACTION_FIELDS:
        value = getattr(action, name)
        if name == "revision":
            text = str(int(value))
        elif name == "at":
            text = quoted(format_datetime(value), "action at")
        else:
            text = quoted(value, f"action {name}")
        lines.append(f"{'- ' if name == ACTION_FIELDS[0] else '  '}{name}: {text}")
    return "\n" + "\n".join(lines)


# Reading


def read_markdown(path: str | Path) -> Story:
    """The story in a Markdown file (UTF-8, BOM and CRLF allowed), or FormatError."""
    text, _notes = decode(read_bytes(path), path)
    return loads(text, path)


def loads(text: str, source_name: str | Path = "") -> Story:
    """The story in Markdown text with front matter, or FormatError naming the line.

    Missing optional keys take their defaults (a missing id a new one, a missing slug one
    made from the headline); unknown keys are kept in `extra`.
    """
    front, body, opening = split_front_matter(text, source_name)
    return _Reader(source_name, opening).story(front, body)


def split_front_matter(text: str, source_name: str | Path = "") -> tuple[str, str, int]:
    """(front matter YAML, body, line number of the opening `---`) of a Markdown file."""
    text = text.removeprefix("\ufeff")
    start, line_no = 0, 1
    while (end := text.find("\n", start)) != -1 and not text[start:end].strip(" \t\r"):
        start, line_no = end + 1, line_no + 1
    first = text[start:] if end == -1 else text[start:end]
    if first.rstrip(" \t\r") != "---":
        raise FormatError("expected a '---' line to open the front matter", source_name, line_no)
    closing = _CLOSE_RE.search(text, end + 1) if end != -1 else None
    if closing is None:
        raise FormatError("the front matter has no closing '---' line", source_name, line_no)
    front = text[end + 1 : closing.start()]
    body = text[closing.end() + 1 :]
    if first.endswith("\r"):
        body = body.replace("\r\n", "\n")
    return front, body, line_no


class _Reader:
    """Turns composed front-matter nodes into a Story, naming the line of every problem."""

    def __init__(self, source_name: str | Path, opening: int):
        self.source = source_name
        self.opening = opening

    def fail(self, reason: str, node: Node | None = None) -> FormatError:
        line = node.start_mark.line + self.opening + 1 if node is not None else self.opening
        return FormatError(reason, self.source, line)

    def story(self, front: str, body: str) -> Story:
        if len(front) > MAX_FRONT_MATTER_CHARS:
            raise self.fail("the front matter is larger than 1 MB")
        if has_surrogate(front):  # the YAML parser would fail on it with no line to name
            raise self.fail("the front matter contains a lone surrogate (not a character)")
        root = compose(front, self.source, self.opening + 1)
        if root is None:
            raise self.fail("the front matter is empty")
        if not isinstance(root, MappingNode):
            raise self.fail("the front matter must be keys and values", root)
        return self._build(root, body)

    def _build(self, root: MappingNode, body: str) -> Story:
        nodes = {key.value: value for key, value in root.value}
        lines = {key.value: key for key, _value in root.value}
        if "body" in nodes:
            raise self.fail("the body goes after the closing '---' line", lines["body"])
        fields: dict[str, object] = {}
        for name in FRONT_MATTER_FIELDS:
            if name in nodes and not _is_null(nodes[name]):
                fields[name] = self._field(name, nodes[name])
        fields.setdefault("id", new_id())
        headline = fields.get("headline", "")
        if not fields.get("slug") and isinstance(headline, str):
            fields["slug"] = slugify(headline)
        extra = {
            key: self._value(node) for key, node in nodes.items() if key not in FRONT_MATTER_FIELDS
        }
        story = Story(**fields, body=body, extra=extra)  # type: ignore[arg-type]
        problems = validate(story)
        if problems:
            first = next(iter(problems))
            raise self.fail(
                "; ".join(f"{name}: {message}" for name, message in problems.items()),
                lines.get(first),
            )
        return story

    def _field(self, name: str, node: Node) -> object:
        if name in _TEXT_FIELDS or name in ("id", "status"):
            return self._string(node, name)
        if name == "dateline":
            return self._dateline(node)
        if name == "revision":
            return self._int(node, name)
        if name in _LIST_FIELDS:
            return self._list(name, node)
        return self._datetime(node, name)

    def _list(self, name: str, node: Node) -> tuple[object, ...]:
        """tags, approvals or actions: a YAML list, each item read by its own reader."""
        if not isinstance(node, SequenceNode):
            raise self.fail(f"{name}: {_LIST_FIELDS[name]}", node)
        if name == "tags":
            return tuple(self._string(item, "tags") for item in node.value if not _is_null(item))
        read = self._approval if name == "approvals" else self._action
        return tuple(read(item) for item in node.value)

    def _string(self, node: Node, name: str) -> str:
        if _is_null(node):
            return ""
        if not isinstance(node, ScalarNode) or node.tag != STR:
            raise self.fail(f"{name}: expected text", node)
        if has_surrogate(node.value):
            raise self.fail(f"{name}: contains a lone surrogate (not a character)", node)
        return node.value

    def _int(self, node: Node, name: str) -> int:
        text = node.value.strip() if isinstance(node, ScalarNode) else ""
        if not _DIGITS_RE.match(text) or node.tag not in (STR, INT):
            raise self.fail(f"{name}: expected a whole number such as 3", node)
        return int(text)

    def _datetime(self, node: Node, name: str) -> datetime | None:
        text = self._string(node, name).strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text[:-1] + "+00:00" if text[-1] in "Zz" else text)
        except ValueError:
            value = None
        if value is None or (value.tzinfo is None and name == "embargo"):
            raise self.fail(
                f"{name}: {text!r} is not a date and time with an offset, "
                "such as 2023-11-06T09:30:00+08:00", node,
            )
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    def _dateline(self, node: Node) -> Dateline:
        if not isinstance(node, MappingNode):
            raise self.fail('dateline: expected place and date, e.g. {place: "Shanghai", '
                            'date: "2023-11-06"}', node)
        place, day = "", None
        for key, value in node.value:
            if key.value == "place":
                place = self._string(value, "dateline place")
            elif key.value == "date":
                day = self._date(value)
            else:
                raise self.fail(f"dateline: unknown key {key.value!r} (place, date)", key)
        return Dateline(place, day)

    def _date(self, node: Node) -> date | None:
        text = self._string(node, "dateline date")
        if not text.strip():
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise self.fail(f"dateline date: {exc}", node) from None

    def _approval(self, node: Node) -> Approval:
        if not isinstance(node, MappingNode):
            raise self.fail("approvals: each approval is keys and values", node)
        values: dict[str, object] = {}
        for key, value in node.value:
            if key.value not in APPROVAL_FIELDS:
                raise self.fail(f"approval: unknown key {key.value!r}", key)
            if key.value == "revision":
                values["revision"] = self._int(value, "approval revision")
            elif key.value == "approved_at":
                values["approved_at"] = self._datetime(value, "approval approved_at")
            else:
                values[key.value] = self._string(value, f"approval {key.value}")
        missing = [n for n in APPROVAL_FIELDS[:4] if values.get(n) is None]
        if missing:
            raise self.fail(f"approval: missing {', '.join(missing)}", node)
        return Approval(**values)  # type: ignore[arg-type]

    def _action(self, node: Node) -> WorkflowAction:
        if not isinstance(node, MappingNode):
            raise self.fail("actions: each action is keys and values", node)
        values: dict[str, object] = {}
        for key, value in node.value:
            if key.value not in ACTION_FIELDS:
                raise self.fail(f"action: unknown key {key.value!r}", key)
            if key.value == "revision":
                values["revision"] = self._int(value, "action revision")
            elif key.value == "at":
                values["at"] = self._datetime(value, "action at")
            else:
                values[key.value] = self._string(value, f"action {key.value}")
        missing = [n for n in ACTION_FIELDS[:8] if values.get(n) is None]
        if missing:
            raise self.fail(f"action: missing {', '.join(missing)}", node)
        return WorkflowAction(**values)  # type: ignore[arg-type]

    def _value(self, node: Node) -> object:
        if isinstance(node, SequenceNode):
            return [self._value(item) for item in node.value]
        if isinstance(node, MappingNode):
            return {key.value: self._value(value) for key, value in node.value}
        if node.tag == STR:
            return self._string(node, "value")
        if node.tag == NULL:
            return None
        try:
            return typed_scalar(node)
        except ValueError as exc:
            raise self.fail(str(exc), node) from None


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == NULL
