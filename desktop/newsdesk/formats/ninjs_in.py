"""ninjs 1.x and 2.x JSON items (IPTC News in JSON) read into WireItems.

The two schemas differ: 1.x has `headline`, `byline`, `body_html`/`body_text`,
`description_*`, `subject`, `person`, `infosource`; 2.x has `headlines`, `by`, `bodies`,
`descriptions`, `subjects`, `people`, `infosources`. The version comes from `standard`
(`$standard` in 1.x) or, without one, from which of these keys the item uses. A file may
hold one item or a list of them. Keys not mapped are kept in `extra` (README, "Wire
formats"); a string with a lone surrogate is refused, control characters are removed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from newsdesk.formats.errors import FormatError
from newsdesk.formats.html import html_to_text
from newsdesk.formats.wire_body import Body, text_body
from newsdesk.formats.wire_extra import json_leftovers
from newsdesk.formats.wire_html import html_body
from newsdesk.formats.wire_item import Subject, WireItem, checked
from newsdesk.formats.wire_values import (
    dateline_place,
    has_surrogate,
    local_day,
    one_line,
    parse_day,
    parse_time,
    parse_urgency,
    parse_version,
    strip_controls,
)

MAX_JSON_DEPTH = 64
MAX_ITEMS = 1000
_V2_KEYS = frozenset({"headlines", "bodies", "descriptions", "subjects", "people",
                      "organisations", "places", "infosources", "by", "standard", "genres"})
_V1_KEYS = frozenset({"headline", "byline", "subject", "person", "organisation", "place",
                      "infosource", "$standard", "genre", "mimetype"})
_V1_PREFIXES = ("body_", "description_", "headline_")
_ISO_DAY_RE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def parse_ninjs(doc: object, source_name: str | Path = "") -> list[WireItem]:
    """The items of a ninjs document (one object, or a list of them)."""
    if isinstance(doc, list):
        if not doc or len(doc) > MAX_ITEMS:
            raise FormatError(f"a list of {len(doc)} items; expected 1 to {MAX_ITEMS} ninjs "
                              "items", source_name)
        return [item for entry in doc for item in parse_ninjs(entry, source_name)]
    if not isinstance(doc, dict):
        raise FormatError(f"not a ninjs item: the JSON holds {type(doc).__name__}, not an "
                          "object", source_name)
    removed = [0]
    doc = _clean(doc, source_name, removed, 0)
    notes = [f"removed {removed[0]} control characters"] if removed[0] else []
    major = ninjs_major(doc, source_name)
    reader = _Reader(doc, source_name, notes)
    return [checked(reader.item(major), source_name)]


def ninjs_major(doc: dict, source_name: str | Path = "") -> int:
    """1 or 2: the declared major version, else the one whose keys the item uses."""
    standard = doc.get("standard") or doc.get("$standard")
    declared = str(standard.get("version", "")) if isinstance(standard, dict) else ""
    if declared[:1] in ("1", "2") and declared[1:2] in ("", "."):
        return int(declared[0])
    if declared:
        raise FormatError(f"ninjs {one_line(declared)[:20]}: only ninjs 1.x and 2.x are read",
                          source_name)
    keys = set(doc)
    v1 = len(keys & _V1_KEYS) + sum(key.startswith(_V1_PREFIXES) for key in keys)
    v2 = len(keys & _V2_KEYS)
    if not v1 and not v2:
        raise FormatError("not a ninjs item: neither a headline (1.x) nor headlines (2.x)",
                          source_name)
    return 2 if v2 >= v1 else 1


def _clean(value: object, source_name: str | Path, removed: list[int], depth: int) -> object:
    """The document with control characters taken out of its strings; FormatError for a
    lone surrogate or nesting deeper than MAX_JSON_DEPTH."""
    if depth > MAX_JSON_DEPTH:
        raise FormatError(f"nested more than {MAX_JSON_DEPTH} levels deep", source_name)
    if isinstance(value, str):
        if has_surrogate(value):
            raise FormatError("a string holds a lone surrogate (a broken \\ud800 escape), "
                              "which is not text", source_name)
        text, count = strip_controls(value)
        removed[0] += count
        return text
    if isinstance(value, list):
        return [_clean(item, source_name, removed, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_clean(key, source_name, removed, depth + 1): _clean(item, source_name,
                                                                     removed, depth + 1)
                for key, item in value.items()}
    return value


class _Reader:
    """Takes keys from one ninjs object; `taken` lets the rest be kept as extra."""

    def __init__(self, doc: dict, source_name: str | Path, notes: list[str]):
        self.doc = doc
        self.source = source_name
        self.notes = notes
        self.taken: set[str] = set()

    def text(self, key: str, entry: dict | None = None, path: str = "") -> str:
        """A string value on one line, taken ("" when absent or not a string)."""
        value = (self.doc if entry is None else entry).get(key)
        if not isinstance(value, str) or not value.strip():
            return ""
        self.taken.add(f"{path}/{key}" if path else key)
        return one_line(value)

    def entries(self, key: str) -> list[tuple[str, dict]]:
        """(path, object) for each object in a list value."""
        value = self.doc.get(key)
        if not isinstance(value, list):
            return []
        return [(f"{key}[{n}]", entry) for n, entry in enumerate(value, start=1)
                if isinstance(entry, dict)]

    def item(self, major: int) -> WireItem:
        self.only_text()
        guid = self.guid()
        version = self.version()
        fields = self.fields_v2() if major == 2 else self.fields_v1()
        dateline = str(fields.pop("dateline_text", ""))
        times = self.times()
        urgency = self.urgency()
        item = WireItem(
            format=f"ninjs-{major}",
            guid=guid,
            version=parse_version(version, self.source),
            dateline_text=dateline,
            dateline_date=_dateline_day(dateline, times),
            urgency=urgency,
            embargo=times["embargoed"],
            sent=times["versioncreated"],
            first_created=times["firstcreated"],
            language=self.text("language"),
            copyright=self.text("copyrightnotice") or self.text("copyrightholder"),
            ednote=self.text("ednote"),
            slugline=self.text("slugline"),
            pubstatus=self.text("pubstatus") or "usable",
            keywords=(*fields.pop("keywords", ()), *self.keywords()),  # type: ignore[misc]
            notes=tuple(self.notes),
            **fields,  # type: ignore[arg-type]
        )
        return item.replace(dateline_place=item.dateline_place or dateline_place(dateline),
                            source=item.source or item.provider,
                            extra=json_leftovers(self.doc, self.taken))

    def only_text(self) -> None:
        kind = self.doc.get("type", "text")
        if kind != "text":
            raise FormatError(f"not a text item (type {str(kind)[:20]!r}): only text items "
                              "are read", self.source)
        self.taken.add("type")

    def guid(self) -> str:
        guid = self.text("uri")
        if not guid:
            raise FormatError("no uri (the agency's guid): cannot tell the item's versions "
                              "or duplicates apart", self.source)
        return guid

    def version(self) -> object:
        """The version as sent ("1", with a note, when there is none); parsed last."""
        version = self.doc.get("version")
        if version is None:
            self.notes.append("no version; read as version 1")
        self.taken.add("version")
        return "1" if version is None else version

    def times(self) -> dict[str, datetime | None]:
        """The item's times, each taken when it was read."""
        times = {key: parse_time(self.doc.get(key), what, self.source, self.notes)
                 for key, what in (("versioncreated", "versioncreated"),
                                   ("firstcreated", "firstcreated"),
                                   ("contentcreated", "contentcreated"),
                                   ("embargoed", "embargo"))}
        self.taken.update(key for key, value in times.items() if value is not None)
        return times

    def urgency(self) -> int | None:
        urgency = parse_urgency(self.doc.get("urgency"), self.notes)
        if urgency is not None:
            self.taken.add("urgency")
        return urgency

    def keywords(self) -> tuple[str, ...]:
        """A top-level list of keywords: not in either schema, but feeds send it."""
        value = self.doc.get("keywords")
        if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
            return ()
        self.taken.add("keywords")
        return tuple(one_line(word) for word in value if word.strip())

    def fields_v1(self) -> dict[str, object]:
        body = self.body_v1()
        source = self.named("infosource", "")
        return {
            "headline": self.text("headline"),
            "deck": self.text("description_text") or self.text("description_summary")
            or self.html_text("description_html"),
            "caption": self.text("description_caption"),
            "dateline_text": self.text("description_dateline"),
            "byline": self.text("byline"),
            "dateline_place": self.text("located"),
            "source": source,
            "provider": source,
            "source_editor": self.named("person", "editor"),
            "body": body.markdown,
            "media": tuple(body.media),
            **self.subjects("subject", "code"),
        }

    def fields_v2(self) -> dict[str, object]:
        body = self.body_v2()
        roles = self.by_role("descriptions")
        byline = self.text("by")
        source = self.named("infosources", "")
        return {
            "headline": self.role_text("headlines", self.by_role("headlines"), "main", ""),
            "deck": self.role_text("descriptions", roles, "summary", "abstract"),
            "caption": self.role_text("descriptions", roles, "caption", ""),
            "dateline_text": self.role_text("descriptions", roles, "dateline", ""),
            "byline": byline,
            "dateline_place": self.text("located"),
            "source": source,
            "provider": source,
            "source_editor": self.named("people", "editor"),
            "body": body.markdown,
            "media": tuple(body.media),
            **self.subjects("subjects", "uri"),
        }

    def html_text(self, key: str) -> str:
        value = self.doc.get(key)
        if not isinstance(value, str):
            return ""
        self.taken.add(key)
        return one_line(html_to_text(value))

    def body_v1(self) -> Body:
        if isinstance(html := self.doc.get("body_html"), str):
            self.taken.add("body_html")
            return html_body(html)
        if isinstance(text := self.doc.get("body_text"), str):
            self.taken.add("body_text")
            return Body(text_body(text))
        return Body("")

    def body_v2(self) -> Body:
        bodies = [(path, entry) for path, entry in self.entries("bodies")
                  if entry.get("role", "main") == "main" and isinstance(entry.get("value"), str)]
        for wanted in ("html", "plain", ""):
            for path, entry in bodies:
                kind = str(entry.get("contenttype", ""))
                if wanted in kind or (not wanted and not kind):
                    self.taken.add(path)
                    text = entry["value"]
                    return html_body(text) if "html" in kind else Body(text_body(text))
        return Body("")

    def by_role(self, key: str) -> dict[str, tuple[str, dict]]:
        """The first entry of each role in a list of {role, value} objects ("" no role)."""
        found: dict[str, tuple[str, dict]] = {}
        for path, entry in self.entries(key):
            if isinstance(entry.get("value"), str):
                found.setdefault(str(entry.get("role", "")), (path, entry))
        return found

    def role_text(self, key: str, found: dict[str, tuple[str, dict]], *roles: str) -> str:
        for role in roles:
            if role in found:
                path, entry = found[role]
                self.taken.add(path)
                value = entry["value"]
                html = "html" in str(entry.get("contenttype", ""))
                return one_line(html_to_text(value) if html else value)
        return ""

    def named(self, key: str, rel: str) -> str:
        """The name of the first entry of `key` with that rel (or role); "" takes any."""
        for path, entry in self.entries(key):
            relation = str(entry.get("rel", entry.get("role", "")))
            if (not rel or relation == rel) and (name := self.text("name", entry, path)):
                if rel:
                    self.taken.add(f"{path}/rel" if "rel" in entry else f"{path}/role")
                return name
        return ""

    def subjects(self, key: str, code_key: str) -> dict[str, object]:
        """Section (rel section), keywords (rel keyword) and the other subjects."""
        section, keywords, subjects = "", [], []
        for path, entry in self.entries(key):
            rel = str(entry.get("rel", ""))
            name = self.text("name", entry, path)
            if name and (rel == "keyword" or (rel == "section" and not section)):
                self.taken.add(f"{path}/rel")
                if rel == "keyword":
                    keywords.append(name)
                else:
                    section = name
            elif name or entry.get(code_key) or entry.get("literal"):
                code_name = code_key if entry.get(code_key) else "literal"
                subjects.append(Subject(name=name, code=self.text(code_name, entry, path),
                                        kind=self.text("rel", entry, path)
                                        or self.text("scheme", entry, path)))
        return {"section": section, "keywords": tuple(keywords), "subjects": tuple(subjects)}


def _dateline_day(dateline: str, times: dict[str, datetime | None]) -> date | None:
    """The day the dateline names, else when the content was made, first sent, or this
    version was."""
    day = _ISO_DAY_RE.search(dateline)
    return (parse_day(day[0]) if day else None) or local_day(
        times["contentcreated"] or times["firstcreated"] or times["versioncreated"])
