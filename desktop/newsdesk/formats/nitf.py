"""NITF 3.x documents: head/docdata for the agency's metadata, body.head and body.content.

The agency's guid is docdata's doc-id id-string and its version du-key's version (1, with
a note, when there is none). The body is body.content (p, hl2, block, bq, lists, tables;
media are listed, not fetched) followed by body.end (the tagline). Unmapped elements and
attributes are kept in `extra` (README, "Wire formats").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from newsdesk.formats.errors import FormatError
from newsdesk.formats.wire_body import Body, xml_body
from newsdesk.formats.wire_extra import XmlLeftovers, element_text
from newsdesk.formats.wire_item import Subject, WireItem, checked
from newsdesk.formats.wire_values import (
    dateline_place,
    local_day,
    one_line,
    parse_day,
    parse_time,
    parse_urgency,
    parse_version,
)
from newsdesk.formats.xmlsafe import local_name, namespace, strip_namespaces

NITF_NAMESPACE = "http://iptc.org/std/NITF/"
_VERSION_RE = re.compile(r"NITF\s+(\d+)\.", re.IGNORECASE)
# NITF's management-status, as the three public statuses ninjs and NewsML-G2 use.
_STATUSES = {"usable": "usable", "embargoed": "withheld", "withheld": "withheld",
             "canceled": "canceled", "cancelled": "canceled"}


def parse_nitf(root: Element, source_name: str | Path = "") -> list[WireItem]:
    """The one story of a NITF 3.x document, or FormatError saying why not."""
    take = _opened(root, source_name)
    notes: list[str] = []
    head = _child(root, "head")
    docdata = _child(head, "docdata")
    doc_id = _child(docdata, "doc-id")
    guid = _guid(take, doc_id, source_name)
    du_key = _child(docdata, "du-key")
    version_text = take.attr(du_key, "version")
    if not version_text:
        notes.append("no du-key version; read as version 1")
    times = _times(take, docdata, source_name, notes)
    body = _child(root, "body")
    urgency = _urgency(take, docdata, notes)
    converted = _converted(take, body)
    heading = _body_head(take, _child(body, "body.head"))
    provider = take.attr(doc_id, "regsrc")
    item = WireItem(
        format="nitf",
        guid=guid,
        version=parse_version(version_text or "1", source_name),
        body=converted.markdown,
        media=tuple(converted.media),
        caption=next((m["caption"] for m in converted.media if m.get("caption")), ""),
        provider=provider,
        copyright=take.attr(_child(docdata, "doc.copyright"), "holder"),
        language=take.attr(root, "xml:lang") or take.attr(body, "xml:lang"),
        urgency=urgency,
        pubstatus=_status(take, docdata),
        embargo=times["date.release"],
        sent=times["date.issue"],
        ednote=take.attr(_child(docdata, "ed-msg"), "info"),
        section=take.attr(_child(head, "pubdata"), "position.section"),
        source_editor=_editor(take, head),
        keywords=_keywords(take, docdata),
        subjects=tuple(_subjects(take, head)),
        slugline=take.attr(du_key, "key"),  # the key that ties the versions of a story
        notes=tuple(notes),
        **heading,  # type: ignore[arg-type]
    )
    item = item.replace(
        source=item.source or provider,
        dateline_date=item.dateline_date or local_day(item.sent),
        extra=take.extra(),
    )
    return [checked(item, source_name)]


def _opened(root: Element, source_name: str | Path) -> XmlLeftovers:
    """A NITF 3.x root, its namespace stripped, ready to be read (FormatError if not)."""
    uri = namespace(root.tag)
    if local_name(root.tag) != "nitf" or (uri and not uri.startswith(NITF_NAMESPACE)):
        raise FormatError(f"<{local_name(root.tag)}> is not a NITF document", source_name)
    strip_namespaces(root, (NITF_NAMESPACE,))
    take = XmlLeftovers(root)
    declared = take.attr(root, "version")
    if (found := _VERSION_RE.search(declared)) and found[1] != "3":
        raise FormatError(f"NITF version {declared!r}: only NITF 3.x is read", source_name)
    return take


def _guid(take: XmlLeftovers, doc_id: Element | None, source_name: str | Path) -> str:
    guid = take.attr(doc_id, "id-string").strip()
    if not guid:
        raise FormatError("no guid: docdata has no doc-id with an id-string (the agency's "
                          "identifier), so its versions and duplicates cannot be told apart",
                          source_name)
    return guid


def _times(take: XmlLeftovers, docdata: Element | None, source_name: str | Path,
           notes: list[str]) -> dict[str, datetime | None]:
    """date.issue (sent) and date.release (the embargo), each taken when it was read."""
    times = {name: parse_time(_get(_child(docdata, name), "norm"), what, source_name, notes)
             for name, what in (("date.issue", "date.issue"), ("date.release", "embargo"))}
    for name, value in times.items():
        if value is not None:
            take.attr(_child(docdata, name), "norm")
    return times


def _urgency(take: XmlLeftovers, docdata: Element | None, notes: list[str]) -> int | None:
    element = _child(docdata, "urgency")
    urgency = parse_urgency(_get(element, "ed-urg"), notes)
    if urgency is not None:
        take.attr(element, "ed-urg")
    return urgency


def _converted(take: XmlLeftovers, body: Element | None) -> Body:
    """body.content then body.end (the tagline), as Markdown and a list of media."""
    parts = [part for name in ("body.content", "body.end")
             if (part := _child(body, name)) is not None]
    return xml_body(*(take.take(part) for part in parts))


def _keywords(take: XmlLeftovers, docdata: Element | None) -> tuple[str, ...]:
    return tuple(word for keyword in _children(_child(docdata, "key-list"), "keyword")
                 if (word := take.attr(keyword, "key")))


def _body_head(take: XmlLeftovers, head: Element | None) -> dict[str, object]:
    """Headline, deck, byline, dateline and distributor from body.head."""
    hedline = _child(head, "hedline")
    abstract = _child(head, "abstract")
    if abstract is not None and element_text(abstract):
        paragraphs = [element_text(p) for p in abstract.iter("p")]
        deck = " ".join(paragraphs) if paragraphs else element_text(abstract)
        take.take(abstract)
    else:  # no abstract: the subheadline is the standfirst
        deck = take.text(_child(hedline, "hl2"))
    dateline = _child(head, "dateline")
    fields: dict[str, object] = {
        "headline": take.text(_child(hedline, "hl1")),
        "deck": deck,
        "byline": take.text(_child(head, "byline")),
        "source": take.text(_child(head, "distributor")),
    }
    if dateline is not None:
        text = element_text(dateline)
        location = _child(dateline, "location")
        city = _child(location, "city")
        place = one_line(element_text(city if city is not None else location)
                         if location is not None else "")
        story_date = _child(dateline, "story.date")
        day = parse_day(_get(story_date, "norm"))
        fields.update(dateline_text=text, dateline_place=place or dateline_place(text),
                      dateline_date=day)
        take.take(dateline)
    return fields


def _status(take: XmlLeftovers, docdata: Element | None) -> str:
    value = take.attr(docdata, "management-status").strip().lower()
    return _STATUSES.get(value, value) if value else "usable"


def _editor(take: XmlLeftovers, head: Element | None) -> str:
    """The agency's editor: a revision-history entry whose function is an editor's."""
    for entry in _children(head, "revision-history"):
        if "editor" in entry.get("function", "").lower() and entry.get("name"):
            take.attr(entry, "function")
            return take.attr(entry, "name")
    return ""


def _subjects(take: XmlLeftovers, head: Element | None) -> list[Subject]:
    subjects = []
    for tobject in _children(head, "tobject"):
        for element in _children(tobject, "tobject.subject"):
            name_attr = next((a for a in ("tobject.subject.detail", "tobject.subject.matter",
                                          "tobject.subject.type") if element.get(a)), "")
            code = take.attr(element, "tobject.subject.refnum")
            if name_attr or code:
                subjects.append(Subject(name=take.attr(element, name_attr) if name_attr else "",
                                        code=code,
                                        kind=take.attr(element, "tobject.subject.ipr")))
    return subjects


def _child(element: Element | None, tag: str) -> Element | None:
    return next(_children(element, tag), None)


def _children(element: Element | None, tag: str) -> Iterator[Element]:
    return (child for child in (element if element is not None else ()) if child.tag == tag)


def _get(element: Element | None, name: str) -> str | None:
    return element.get(name) if element is not None else None
