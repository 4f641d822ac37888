"""NewsML-G2 text items: a newsItem, or a newsMessage holding newsItems and packageItems.

A newsItem maps field by field (README, "Wire formats"); its body is the first inline
rendition: XHTML or NITF in inlineXML, or text in inlineData (remoteContent is never
fetched and stays in `extra`). A newsMessage gives every text newsItem it holds, those a
packageItem refers to first, in the package's order, each knowing its package; pictures
and other non-text items are skipped with a note. A packageItem alone only refers to
items delivered elsewhere, so it is refused with that reason.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from newsdesk.formats.errors import FormatError
from newsdesk.formats.wire_body import Body, text_body, xml_body
from newsdesk.formats.wire_extra import XmlLeftovers, element_data, element_text
from newsdesk.formats.wire_html import html_body
from newsdesk.formats.wire_item import Subject, WireItem, checked
from newsdesk.formats.wire_values import (
    dateline_place,
    local_day,
    parse_time,
    parse_urgency,
    parse_version,
    scheme_code,
)
from newsdesk.formats.xmlsafe import local_name, namespace, strip_namespaces

NAR = "http://iptc.org/std/nar/2006-10-01/"
KNOWN_NAMESPACES = (NAR, "http://www.w3.org/1999/xhtml", "http://iptc.org/std/NITF/")
ROOTS = ("newsItem", "packageItem", "newsMessage")


class _NotText(Exception):
    """A newsItem that is not text (a picture, a video...): its itemClass."""


def parse_newsml(root: Element, source_name: str | Path = "") -> list[WireItem]:
    """The text items of a NewsML-G2 document, or FormatError saying why there are none."""
    if local_name(root.tag) not in ROOTS or namespace(root.tag) not in (NAR, ""):
        raise FormatError(f"<{local_name(root.tag)}> in {namespace(root.tag) or 'no namespace'}"
                          f" is not a NewsML-G2 {', '.join(ROOTS)}", source_name)
    strip_namespaces(root, KNOWN_NAMESPACES)
    if root.tag == "newsItem":
        try:
            return [news_item(root, source_name)]
        except _NotText as exc:
            raise FormatError(f"not a text item (itemClass {exc}): only text items are read",
                              source_name) from None
    if root.tag == "packageItem":
        refs = [ref.get("residref", "") for ref in root.iter("itemRef")]
        raise FormatError(f"a packageItem on its own only refers to its {len(refs)} items "
                          "(they come in their own files or in a newsMessage)", source_name)
    return _message(root, source_name)


def _message(root: Element, source_name: str | Path) -> list[WireItem]:
    header = _child(root, "header")
    context = {"newsMessage/header": element_data(header)} if header is not None else {}
    item_set = _child(root, "itemSet")
    members = list(item_set) if item_set is not None else []
    notes: list[str] = []
    skipped: set[str] = set()
    items = _text_items(members, source_name, context, skipped, notes)
    ordered: list[WireItem] = []
    for package in (member for member in members if member.tag == "packageItem"):
        ordered += _package_members(package, items, skipped, notes)
    listed = {item.guid for item in ordered}
    ordered += [item for guid, item in items.items() if guid not in listed]
    if not ordered:
        raise FormatError("the newsMessage holds no text newsItem"
                          + (f" ({'; '.join(notes)})" if notes else ""), source_name)
    return [item.replace(notes=(*item.notes, *notes)) for item in ordered]


def _text_items(members: list[Element], source_name: str | Path, context: dict[str, object],
                skipped: set[str], notes: list[str]) -> dict[str, WireItem]:
    """The message's text newsItems by guid (the later of two versions); the others are
    added to `skipped` with a note."""
    items: dict[str, WireItem] = {}
    for element in (member for member in members if member.tag == "newsItem"):
        try:
            item = news_item(element, source_name, context)
        except _NotText as exc:
            skipped.add(element.get("guid", ""))
            notes.append(f"skipped newsItem {element.get('guid', '')!r}: not text ({exc})")
            continue
        if item.guid not in items or item.version > items[item.guid].version:
            items[item.guid] = item  # two versions in one message: the later counts
    return items


def _package_members(package: Element, items: dict[str, WireItem], skipped: set[str],
                     notes: list[str]) -> list[WireItem]:
    """The items a package refers to, in its order, each told which package it is in."""
    take = XmlLeftovers(package)
    refs = [ref for ref in package.iter("itemRef")]
    about: dict[str, object] = {
        "guid": take.attr(package, "guid"),
        "version": take.attr(package, "version") or "1",
        "headline": take.text(_child(_child(package, "contentMeta"), "headline"))
        or take.text(_child(_child(package, "itemMeta"), "title")),
    }
    members = []
    for position, ref in enumerate(refs, start=1):
        guid = take.attr(ref, "residref")
        if guid not in items:
            if guid not in skipped:
                notes.append(f"package {about['guid']!r} refers to {guid!r}, which is not here")
            continue
        members.append((position, items[guid]))
    about["unmapped"] = take.extra()
    about = {key: value for key, value in about.items() if value}
    return [item.replace(package={**about, "position": position, "of": len(refs)})
            for position, item in members]


def news_item(element: Element, source_name: str | Path = "",
              context: dict[str, object] | None = None) -> WireItem:
    """One newsItem (namespaces already stripped) as a WireItem."""
    take = XmlLeftovers(element)
    notes: list[str] = []
    item_meta = _child(element, "itemMeta")
    content_meta = _child(element, "contentMeta")
    _only_text(take, item_meta)
    guid = _guid(take, element, source_name)
    version = parse_version(take.attr(element, "version") or "1", source_name)
    times = _times(take, item_meta, source_name, notes)
    created = parse_time(_text(_child(content_meta, "contentCreated")), "contentCreated",
                         source_name, notes)
    body = _body(take, _child(element, "contentSet"))
    dateline = take.text(_child(content_meta, "dateline"))
    meta = _content_meta(take, content_meta, notes)
    item = WireItem(
        format="newsml-g2",
        guid=guid,
        version=version,
        dateline_place=meta.pop("place") or dateline_place(dateline),
        dateline_date=_day(created, times),
        dateline_text=dateline,
        section=take.text(_child(_child(item_meta, "service"), "name")),
        body=body.markdown,
        caption=meta.pop("caption") or _first_caption(body),
        media=tuple(body.media),
        provider=_provider(take, _child(item_meta, "provider")),
        copyright=_copyright(take, _child(element, "rightsInfo")),
        language=meta.pop("language") or take.attr(element, "xml:lang"),
        pubstatus=_pubstatus(take, item_meta),
        embargo=times["embargoed"],
        sent=times["versionCreated"],
        first_created=times["firstCreated"],
        ednote=take.text(_child(item_meta, "edNote")),
        notes=tuple(notes),
        **meta,  # type: ignore[arg-type]
    )
    item = item.replace(source=item.source or item.provider,
                        extra={**(context or {}), **take.extra()})
    return checked(item, source_name)


def _only_text(take: XmlLeftovers, item_meta: Element | None) -> None:
    """_NotText unless the item is text (an item without a class is read as text)."""
    item_class = take.attr(_child(item_meta, "itemClass"), "qcode")
    if item_class and scheme_code(item_class, "ninat") != "text":
        raise _NotText(item_class)


def _guid(take: XmlLeftovers, element: Element, source_name: str | Path) -> str:
    guid = take.attr(element, "guid").strip()
    if not guid:
        raise FormatError("a newsItem without a guid (the agency's identifier): cannot tell "
                          "its versions or duplicates apart", source_name)
    return guid


def _times(take: XmlLeftovers, item_meta: Element | None, source_name: str | Path,
           notes: list[str]) -> dict[str, datetime | None]:
    """versionCreated, firstCreated and embargoed, each taken when it was read."""
    times = {name: parse_time(_text(_child(item_meta, name)), what, source_name, notes)
             for name, what in (("versionCreated", "versionCreated"),
                                ("firstCreated", "firstCreated"), ("embargoed", "embargo"))}
    for name, value in times.items():
        if value is not None:
            take.take(_child(item_meta, name))
    return times


def _day(created: datetime | None, times: dict[str, datetime | None]) -> date | None:
    """The dateline's day: when the content was made, else first sent, else this version."""
    return local_day(created or times["firstCreated"] or times["versionCreated"])


def _pubstatus(take: XmlLeftovers, item_meta: Element | None) -> str:
    code = scheme_code(take.attr(_child(item_meta, "pubStatus"), "qcode"), "stat")
    return code or "usable"


def _content_meta(take: XmlLeftovers, meta: Element | None, notes: list[str]
                  ) -> dict[str, object]:
    """The WireItem fields contentMeta gives (place and language popped by the caller)."""
    urgency = _urgency(take, meta, notes)
    children = list(meta) if meta is not None else []
    by = _byline(take, meta, children)
    editor = _editor(take, children)
    descriptions = {c.get("role", ""): c for c in reversed(children) if c.tag == "description"}
    credit = _child(meta, "creditline")
    source = take.text(credit) or take.text(_child(_child(meta, "infoSource"), "name"))
    return {
        "headline": take.text(_main_headline(children)),
        "deck": take.text(descriptions.get("drol:summary")),
        "caption": take.text(descriptions.get("drol:caption")),
        "byline": by,
        "source_editor": take.text(_child(editor, "name")),
        "source": source,
        "urgency": urgency,
        "place": take.text(_child(_child(meta, "located"), "name")),
        "language": take.attr(_child(meta, "language"), "tag"),
        "slugline": take.text(_child(meta, "slugline")),
        "keywords": _keywords(take, children),
        "subjects": _subjects(take, children),
    }


def _urgency(take: XmlLeftovers, meta: Element | None, notes: list[str]) -> int | None:
    element = _child(meta, "urgency")
    urgency = parse_urgency(_text(element), notes)
    if urgency is not None:
        take.take(element)
    return urgency


def _byline(take: XmlLeftovers, meta: Element | None, children: list[Element]) -> str:
    """Without a printed byline, the creators' names make one; with it they stay in extra."""
    return take.text(_child(meta, "by")) or " and ".join(
        name for c in children if c.tag == "creator" and (name := take.text(_child(c, "name"))))


def _editor(take: XmlLeftovers, children: list[Element]) -> Element | None:
    """The contributor whose role is an editor's (the agency's editor), if any."""
    editor = next((c for c in children if c.tag == "contributor"
                   and "editor" in c.get("role", "").lower()), None)
    if editor is not None:
        take.attr(editor, "role")
    return editor


def _keywords(take: XmlLeftovers, children: list[Element]) -> tuple[str, ...]:
    return tuple(word for c in children if c.tag == "keyword" and (word := take.text(c)))


def _subjects(take: XmlLeftovers, children: list[Element]) -> tuple[Subject, ...]:
    return tuple(subject for c in children if c.tag == "subject"
                 and (subject := _subject(take, c)))


def _main_headline(children: list[Element]) -> Element | None:
    headlines = [child for child in children if child.tag == "headline"]
    plain = [h for h in headlines if h.get("role", "main").split(":")[-1] == "main"]
    return (plain or headlines or [None])[0]


def _subject(take: XmlLeftovers, element: Element) -> Subject | None:
    code_attr = next((a for a in ("qcode", "uri", "literal") if element.get(a)), "")
    name = _text(_child(element, "name"))
    if not name and not code_attr:
        return None  # nothing to show; stays in extra
    if name:
        take.take(_child(element, "name"))
    return Subject(name=name, code=take.attr(element, code_attr) if code_attr else "",
                   kind=take.attr(element, "type"))


def _provider(take: XmlLeftovers, provider: Element | None) -> str:
    return (take.text(_child(provider, "name")) or take.attr(provider, "literal")
            or take.attr(provider, "qcode") or take.attr(provider, "uri"))


def _copyright(take: XmlLeftovers, rights: Element | None) -> str:
    holder = _child(rights, "copyrightHolder")
    return (take.text(_child(rights, "copyrightNotice")) or take.text(_child(holder, "name"))
            or take.attr(holder, "literal"))


def _body(take: XmlLeftovers, content_set: Element | None) -> Body:
    """The first inline rendition that is text: XHTML or NITF inlineXML, or inlineData."""
    for rendition in list(content_set) if content_set is not None else []:
        kind = rendition.get("contenttype", "").lower()
        if rendition.tag == "inlineXML":
            nitf = _child(rendition, "nitf")
            if nitf is None:
                return xml_body(take.take(rendition))
            parts = [part for name in ("body.content", "body.end")
                     if (part := _child(_child(nitf, "body"), name)) is not None]
            take.attr(rendition, "contenttype")
            return xml_body(*(take.take(part) for part in parts))
        if rendition.tag == "inlineData" and (not kind or kind.startswith("text/")):
            take.take(rendition)
            text = "".join(rendition.itertext())
            return html_body(text) if "html" in kind else Body(text_body(text))
    return Body("")


def _first_caption(body: Body) -> str:
    return next((entry["caption"] for entry in body.media if entry.get("caption")), "")


def _child(element: Element | None, tag: str) -> Element | None:
    """The first child named `tag` (ElementPath is not needed, nor wanted, for names)."""
    if element is None:
        return None
    return next((child for child in element if child.tag == tag), None)


def _text(element: Element | None) -> str:
    return element_text(element) if element is not None else ""
