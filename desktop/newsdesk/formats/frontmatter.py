"""Strict YAML for front matter: a safe loader that keeps plain scalars as text, and quoting.

The loader is PyYAML's (libyaml's parser where available, PyYAML's composer and safe
constructor) with every implicit type except null switched off, so a plain scalar typed
by a person (`NO`, `yes`, `1:30`, `0777`, `2023-11-06`) stays the text it looks like;
`~`, `null` and an empty value are null. It refuses anchors and aliases (no alias bombs),
tags other than str/null/bool/int/float/seq/map (no `!!python/...`), keys that are not
text, duplicate keys and nesting deeper than MAX_DEPTH.

The writer side double-quotes every string the way PyYAML's emitter does (allow_unicode,
no line folding), except that characters beyond U+FFFF are written as themselves.
Extra values keep their Python type through explicit tags (`!!int '3'`, `!!bool 'true'`).
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from newsdesk.formats.errors import FormatError

MAX_DEPTH = 20

_TAG = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT = (_TAG + name for name in ("str", "null", "bool", "int", "float"))
SEQ, MAP = _TAG + "seq", _TAG + "map"
_ALLOWED_TAGS = frozenset({STR, NULL, BOOL, INT, FLOAT, SEQ, MAP})
# Null is the only implicit type kept, in the loader and the dumper alike, so the dumper
# tags exactly what the loader would otherwise read as text.
_NULL_ONLY = {
    first: kept
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if (kept := [(tag, regexp) for tag, regexp in resolvers if tag == NULL])
}
_ASTRAL_ESCAPE_RE = re.compile(r"\\\\|\\U([0-9A-F]{8})")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Characters PyYAML's emitter writes as themselves in a double-quoted scalar (allow_unicode).
_RAW_RE = re.compile('[^"\\\\\x00-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\u2028\u2029]*')


class _Dumper(yaml.SafeDumper):
    yaml_implicit_resolvers = _NULL_ONLY


try:  # libyaml scans and parses in C; composing stays in Python, where the checks live
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class Loader(yaml.composer.Composer, _Parser, yaml.resolver.BaseResolver):
    """PyYAML's safe composer, minus implicit types, anchors, unknown tags, deep nesting.

    It builds nodes only; nothing is constructed from a tag, so no tag can run code.
    """

    yaml_implicit_resolvers = _NULL_ONLY

    def __init__(self, stream: str):
        _Parser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if event.anchor is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (& and *) are not allowed", event.start_mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if node.tag not in _ALLOWED_TAGS:
            raise yaml.composer.ComposerError(
                None, None, f"the tag {node.tag!r} is not allowed", node.start_mark
            )
        return node

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        node = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key, _value in node.value:
            if not isinstance(key, ScalarNode) or key.tag != STR:
                raise yaml.composer.ComposerError(
                    None, None, "a key must be text", key.start_mark
                )
            if key.value in seen:
                raise yaml.composer.ComposerError(
                    None, None, f"the key {key.value!r} appears twice", key.start_mark
                )
            seen.add(key.value)
        return node


def serialize(node: Node) -> str:
    text = yaml.serialize(node, Dumper=_Dumper, allow_unicode=True, width=2**31, indent=2,
                          line_break="\n")
    return _ASTRAL_ESCAPE_RE.sub(_unescape_astral, text).removesuffix("\n")


def _unescape_astral(match: re.Match[str]) -> str:
    # PyYAML escapes characters beyond U+FFFF even with allow_unicode; YAML allows them raw.
    return chr(int(match[1], 16)) if match[1] else match[0]


def quoted(value: str | None, name: str) -> str:
    """A double-quoted scalar (or null): as PyYAML's emitter writes it, which does any escaping."""
    if value is None:
        return "null"
    if isinstance(value, str) and _RAW_RE.fullmatch(value):
        return f'"{value}"'  # what the emitter would write, without the cost of running it
    return serialize(text_node(value, name))


def all_plain(values: tuple[object, ...]) -> bool:
    """True when every value is text that `quoted` writes as itself between quotes (one
    check for all of them: the allowed characters of a joined text are those of each)."""
    try:
        joined = "".join(values)  # type: ignore[arg-type]
    except TypeError:
        return False
    return _RAW_RE.fullmatch(joined) is not None


def text_node(value: str, name: str) -> ScalarNode:
    if not isinstance(value, str):
        raise FormatError(f"{name}: expected text, not {type(value).__name__}")
    if _SURROGATE_RE.search(value):
        raise FormatError(f"{name}: contains a lone surrogate, which has no UTF-8 form")
    return ScalarNode(STR, value, style='"')


def null_node() -> ScalarNode:
    return ScalarNode(NULL, "null", style=None)


def value_node(value: object, key: str, depth: int) -> Node:
    """An extra value: text, null, bool, int, float, and lists and maps of them."""
    if depth > MAX_DEPTH:
        raise FormatError(f"extra key {key!r}: nested more than {MAX_DEPTH} levels deep")
    if value is None:
        return null_node()
    if isinstance(value, str):
        return text_node(value, f"extra key {key!r}")
    if isinstance(value, bool):
        return ScalarNode(BOOL, "true" if value else "false", style=None)
    if isinstance(value, int):
        return ScalarNode(INT, str(value), style=None)
    if isinstance(value, float):
        return ScalarNode(FLOAT, repr(value), style=None)
    if isinstance(value, list | tuple):
        items = [value_node(item, key, depth + 1) for item in value]
        return SequenceNode(SEQ, items, flow_style=False)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        pairs = [(text_node(k, f"extra key {key!r}"), value_node(value[k], key, depth + 1))
                 for k in sorted(value)]
        return MappingNode(MAP, pairs, flow_style=False)
    raise FormatError(f"extra key {key!r}: cannot write a {type(value).__name__}")


def has_surrogate(text: str) -> bool:
    # isascii() is a flag of the string: a whole body is checked without a scan.
    return not text.isascii() and _SURROGATE_RE.search(text) is not None


def compose(front: str, source_name: object = "", first_line: int = 1) -> Node | None:
    """The node tree of front-matter YAML, or FormatError naming the file line.

    `first_line` is the file line number of the YAML's first line.
    """
    loader: Loader | None = None
    try:
        loader = Loader(front)
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        problem = exc.problem or exc.context or "cannot be read"
        raise FormatError(f"front matter: {problem}", str(source_name), line) from None
    except yaml.reader.ReaderError:
        bad = yaml.reader.Reader.NON_PRINTABLE.search(front)
        raise FormatError(
            f"front matter: character U+{ord(bad[0]) if bad else 0:04X} is not allowed",
            str(source_name), front[: bad.start() if bad else 0].count("\n") + first_line,
        ) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise FormatError(f"front matter: cannot be read ({exc})", str(source_name),
                          first_line) from None
    finally:
        if loader is not None:
            loader.dispose()


def typed_scalar(node: ScalarNode) -> object:
    """The bool, int or float of an explicitly tagged scalar; ValueError if it is not one."""
    try:
        return yaml.constructor.SafeConstructor().construct_object(node)
    except (ValueError, KeyError, IndexError, OverflowError):
        raise ValueError(f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}") from None
