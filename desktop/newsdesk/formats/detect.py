"""parse_wire_file(): any agency file into WireItems, its format told by its content.

A file that opens with `<` is XML (NewsML-G2 or NITF, told by the root element), one that
opens with `{` or `[` is ninjs JSON, anything else is today's plain-text layout. The
extension is only a cross-check: a `.xml` or `.json` file whose content is something else
is refused with that reason rather than read as plain text. Every refusal is one
FormatError naming the file and why; reading changes nothing anywhere.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

from newsdesk.formats.errors import FormatError
from newsdesk.formats.newsml import ROOTS as NEWSML_ROOTS
from newsdesk.formats.newsml import parse_newsml
from newsdesk.formats.ninjs_in import parse_ninjs
from newsdesk.formats.nitf import parse_nitf
from newsdesk.formats.textfile import decode
from newsdesk.formats.wire_item import WireItem
from newsdesk.formats.wire_text import parse_text
from newsdesk.formats.xmlsafe import MAX_XML_BYTES, local_name, parse_xml

MAX_WIRE_BYTES = MAX_XML_BYTES
XML_SUFFIXES = frozenset({".xml", ".nitf", ".newsml", ".g2", ".nml"})
JSON_SUFFIXES = frozenset({".json", ".ninjs"})
TEXT_SUFFIXES = frozenset({".txt"})
WIRE_SUFFIXES = XML_SUFFIXES | JSON_SUFFIXES | TEXT_SUFFIXES
_KINDS = {"xml": "XML", "json": "JSON"}


def parse_wire_file(path: str | Path) -> list[WireItem]:
    """The items of a wire file in any format Newsdesk reads, or FormatError saying why."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_WIRE_BYTES + 1)  # one byte more tells a file too big
    except OSError as exc:
        raise FormatError(f"cannot read the file ({exc.strerror or exc})", path) from None
    return parse_wire_bytes(data, path)


def parse_wire_bytes(data: bytes, source_name: str | Path = "") -> list[WireItem]:
    """The items of a wire file's bytes; `source_name` names it in messages."""
    if len(data) > MAX_WIRE_BYTES:
        raise FormatError(f"larger than {MAX_WIRE_BYTES // (1024 * 1024)} MB; too big to be "
                          "a wire file", source_name)
    kind = detect_kind(data, source_name)
    if kind == "xml":
        root = parse_xml(data, source_name)
        name = local_name(root.tag)
        if name in NEWSML_ROOTS:
            return parse_newsml(root, source_name)
        if name == "nitf":
            return parse_nitf(root, source_name)
        raise FormatError(f"XML whose root element is <{name[:40]}>: expected a NewsML-G2 "
                          f"{', '.join(NEWSML_ROOTS)} or a NITF nitf", source_name)
    if kind == "json":
        return parse_ninjs(load_json(data, source_name), source_name)
    text, notes = decode(data, source_name, windows_fallback=True)
    return parse_text(text, source_name, notes)


def detect_kind(data: bytes, source_name: str | Path = "") -> str:
    """'xml', 'json' or 'text', from the first character that is not white space."""
    first = _first_character(data)
    if not first:
        raise FormatError("empty: no wire item in the file", source_name)
    kind = "xml" if first == "<" else "json" if first in "{[" else "text"
    suffix = Path(str(source_name)).suffix.lower()
    expected = "xml" if suffix in XML_SUFFIXES else "json" if suffix in JSON_SUFFIXES else ""
    if expected and kind != expected:
        raise FormatError(f"named {suffix!r} but does not start like {_KINDS[expected]} (its "
                          f"first character is {first!r})", source_name)
    return kind


def load_json(data: bytes, source_name: str | Path = "") -> object:
    """JSON (UTF-8, or UTF-16 with a BOM) as Python values, or FormatError naming the line."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(f"not valid UTF-8 text: byte 0x{data[exc.start]:02X} cannot be "
                          "decoded (JSON is UTF-8)", source_name, line) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                          source_name, exc.lineno) from None
    except ValueError as exc:  # a number of more digits than Python converts
        raise FormatError(f"not valid JSON: {exc}", source_name) from None
    except RecursionError:
        raise FormatError("not valid JSON: nested too deeply", source_name) from None


def _first_character(data: bytes) -> str:
    """The first character that is not white space, whatever the BOM says ("" if none)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"),
                       (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return codecs.decode(data, codec, "replace").lstrip("\ufeff").strip()[:1]
    if data[:2] in (b"<\x00", b"\x00<"):
        return "<"
    return data.lstrip()[:1].decode("latin-1")
