"""Hardened XML reading for wire files: no entities, no DTD fetched, no network, bounded.

Wire files are untrusted input. defusedxml refuses every entity declaration (billion
laughs, quadratic blowup, external entities such as `file:///etc/passwd`) and every
external reference; on top of that a DOCTYPE naming a DTD anywhere but a bare file name
is refused (nothing is ever fetched, and a wire file has no business pointing at a URL or
a path), the declared encoding is checked before parsing so that a bad byte is named
plainly, and files and nesting are bounded. Every refusal is a FormatError naming the
file and the reason.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from newsdesk.formats.errors import FormatError

MAX_XML_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 100
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Attribute namespaces shown with their usual prefix once namespaces are taken off.
_ATTRIBUTE_PREFIXES = {
    XML_NS: "xml",
    "http://www.w3.org/2001/XMLSchema-instance": "xsi",
    "http://www.w3.org/1999/xlink": "xlink",
}
_DECLARATION_RE = re.compile(rb"^<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([^\"']{1,40})[\"']")
_DTD_FILE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


class _TooDeep(Exception):
    pass


class _DepthLimitedBuilder:
    """A TreeBuilder that stops at MAX_DEPTH open elements (a deep tree exhausts readers)."""

    def __init__(self) -> None:
        self._builder = TreeBuilder()
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep
        return self._builder.start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return self._builder.end(tag)

    def data(self, data: str) -> None:
        self._builder.data(data)

    def close(self) -> Element:
        return self._builder.close()


def parse_xml(data: bytes, source_name: str | Path = "") -> Element:
    """The root element of an XML document, or FormatError naming the file and why not."""
    if len(data) > MAX_XML_BYTES:
        raise FormatError(f"larger than {MAX_XML_BYTES // (1024 * 1024)} MB; too big to be "
                          "a wire file", source_name)
    text = decode_xml(data, source_name)
    parser = DefusedXMLParser(target=_DepthLimitedBuilder(), forbid_dtd=False,
                              forbid_entities=True, forbid_external=True)
    expat = parser.parser

    def doctype(name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        # Expat never fetches a DTD here; one named by URL or path is refused all the same.
        if sysid and not _DTD_FILE_RE.match(sysid):
            raise FormatError(
                f"the DOCTYPE points at a DTD to fetch ({sysid[:80]!r}): refused, Newsdesk "
                "never fetches DTDs or reads what a wire file points at",
                source_name, expat.CurrentLineNumber,
            )

    expat.StartDoctypeDeclHandler = doctype
    try:
        parser.feed(text)
        return parser.close()
    except EntitiesForbidden as exc:
        raise _entity_error(exc, source_name, expat.CurrentLineNumber) from None
    except ExternalReferenceForbidden as exc:
        raise FormatError(
            f"refers to an external resource ({str(exc.sysid or '')[:80]!r}): refused, "
            "Newsdesk never reads what a wire file points at", source_name,
            expat.CurrentLineNumber,
        ) from None
    except DTDForbidden:  # not raised with forbid_dtd off; kept should that change
        raise FormatError("has a DOCTYPE: refused", source_name) from None
    except _TooDeep:
        raise FormatError(f"elements nested more than {MAX_DEPTH} deep: refused",
                          source_name, expat.CurrentLineNumber) from None
    except ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise FormatError(f"malformed XML: {reason} (column {column + 1})",
                          source_name, line) from None


def _entity_error(exc: EntitiesForbidden, source_name: str | Path, line: int) -> FormatError:
    if exc.sysid or exc.pubid:
        return FormatError(
            f"declares the external entity {exc.name!r} ({str(exc.sysid or exc.pubid)[:80]!r}): "
            "refused, Newsdesk never reads files or URLs that a wire file names",
            source_name, line,
        )
    return FormatError(
        f"declares the entity {exc.name!r}: entities are refused (they make XML bombs "
        "such as billion laughs and quadratic blowup)", source_name, line,
    )


def decode_xml(data: bytes, source_name: str | Path = "") -> str:
    """The document as text in the encoding its BOM or XML declaration gives (else UTF-8).

    Decoding first lets a bad byte be named ("not valid UTF-8 text: byte 0xE9 at line
    3") instead of expat's "not well-formed (invalid token)".
    """
    encoding = _declared_encoding(data, source_name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(
            f"not valid {_display(encoding)} text: byte 0x{data[exc.start]:02X} cannot be "
            "decoded",
            source_name, line,
        ) from None
    except LookupError:  # a codec that is not a text encoding, such as base64
        raise FormatError(f"declares the encoding {encoding!r}, which is not a text encoding",
                          source_name, 1) from None
    return text.removeprefix("\ufeff")


def _declared_encoding(data: bytes, source_name: str | Path) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.startswith(b"<\x00"):
        return "utf-16-le"
    if data.startswith(b"\x00<"):
        return "utf-16-be"
    match = _DECLARATION_RE.match(data.lstrip())
    if not match:
        return "utf-8"
    name = match[1].decode("ascii", "replace")
    try:
        codec = codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        raise FormatError(f"declares the encoding {name!r}, which is not one Newsdesk knows",
                          source_name, 1) from None
    if codec.name.startswith(("utf-16", "utf-32")):
        # Declared UTF-16 without a BOM above: the bytes so far were read as ASCII.
        raise FormatError(f"declares {name} but its bytes are not {name}", source_name, 1)
    return codec.name


def _display(encoding: str) -> str:
    return encoding.upper() if encoding.startswith("utf") else encoding


def local_name(tag: object) -> str:
    """'{namespace}name' -> 'name' (comments and processing instructions give '')."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def strip_namespaces(root: Element, known: tuple[str, ...]) -> Element:
    """Take the namespaces in `known` (prefixes of namespace URIs) off every tag, in place.

    Elements of other namespaces (an agency's extensions) keep '{namespace}name', so they
    never pass for a standard element of the same local name. Attributes of the xml, xsi
    and xlink namespaces become 'xml:lang' and the like.
    """
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and tag.startswith("{"):
            uri = namespace(tag)
            if any(uri.startswith(prefix) for prefix in known):
                element.tag = local_name(tag)
        if any(key.startswith("{") for key in element.attrib):
            element.attrib = {_attribute_name(key): value for key, value in element.attrib.items()}
    return root


def _attribute_name(key: str) -> str:
    if not key.startswith("{"):
        return key
    prefix = _ATTRIBUTE_PREFIXES.get(namespace(key))
    return f"{prefix}:{local_name(key)}" if prefix else key
