"""What a wire reader did not map: kept as `extra`, path -> value, so nothing is lost.

A reader takes the elements, attributes and keys it maps; `XmlLeftovers.extra()` and
`json_leftovers()` return everything else. Paths read like XPath: "itemMeta/service/@qcode",
"contentMeta/subject[2]/broader" (a position when a name repeats among siblings), and
"subjects[3]/relevance" for JSON. Values are text, or nested maps and lists of text
("@name" for an attribute, "#text" for text beside child elements), bounded in depth so
that a story's front matter can always hold them; deeper parts are kept as XML or JSON text.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterable
from xml.etree.ElementTree import Element, tostring

from newsdesk.formats.wire_values import one_line

# Levels of elements written as maps; below, a subtree is kept as its XML text. Each
# level is a map and maybe a list: front matter takes 20 levels, "wire" and
# "unmapped" take two.
MAX_DATA_DEPTH = 6


def element_text(element: Element) -> str:
    """All the text inside an element, on one line."""
    return one_line("".join(element.itertext()))


def element_data(element: Element, depth: int = 0) -> object:
    """An element as text, or a map of its attributes ('@name'), text and children."""
    children = list(element)
    own_text = one_line(element.text)
    tails = any(one_line(child.tail) for child in children)
    if depth >= MAX_DATA_DEPTH or (children and (own_text or tails)):
        return xml_text(element)  # mixed content or deep: the XML itself says it exactly
    if not children and not element.attrib:
        return own_text
    data: dict[str, object] = {f"@{key}": value for key, value in element.attrib.items()}
    if own_text:
        data["#text"] = own_text
    grouped: dict[str, list[object]] = {}
    for child in children:
        if isinstance(child.tag, str):  # not a comment or processing instruction
            grouped.setdefault(child.tag, []).append(element_data(child, depth + 1))
    data.update((tag, values[0] if len(values) == 1 else values)
                for tag, values in grouped.items())
    return data


def xml_text(element: Element) -> str:
    """The element's XML, without the text that follows it."""
    alone = copy.copy(element)
    alone.tail = None
    return tostring(alone, encoding="unicode")


def json_data(value: object, depth: int = 0) -> object:
    """A JSON value with nesting below MAX_DATA_DEPTH levels kept as JSON text."""
    if isinstance(value, dict | list) and depth >= MAX_DATA_DEPTH * 2:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return {str(key): json_data(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [json_data(item, depth + 1) for item in value]
    return value


class XmlLeftovers:
    """Records what a reader takes from an element tree; `extra()` is the rest."""

    def __init__(self, root: Element):
        self.root = root
        self._whole: set[int] = set()
        self._attrs: dict[int, set[str]] = {}
        self._touched: set[int] = set()
        self._parents = {id(child): parent for parent in root.iter() for child in parent}

    def take(self, element: Element) -> Element:
        """Mark the element and all inside it as mapped."""
        self._whole.add(id(element))
        self._touch(element)
        return element

    def text(self, element: Element | None) -> str:
        """The element's text on one line, the element marked as mapped ("" for None)."""
        if element is None:
            return ""
        self.take(element)
        return element_text(element)

    def attr(self, element: Element | None, name: str) -> str:
        """An attribute's value, marked as mapped ("" when absent)."""
        if element is None or name not in element.attrib:
            return ""
        self._attrs.setdefault(id(element), set()).add(name)
        self._touch(element)
        return element.attrib[name]

    def _touch(self, element: Element) -> None:
        key: int | None = id(element)
        while key is not None and key not in self._touched:
            self._touched.add(key)
            parent = self._parents.get(key)
            key = id(parent) if parent is not None else None

    def extra(self) -> dict[str, object]:
        """Everything not taken, by path from the root (the root's own name left out)."""
        found: dict[str, object] = {}
        self._walk(self.root, "", found)
        return found

    def _walk(self, element: Element, path: str, found: dict[str, object]) -> None:
        if id(element) in self._whole:
            return
        if id(element) not in self._touched:
            found[path or "."] = element_data(element)
            return
        taken = self._attrs.get(id(element), set())
        for key, value in element.attrib.items():
            if key not in taken:
                found[_joined(path, f"@{key}")] = value
        texts = [one_line(element.text), *(one_line(child.tail) for child in element)]
        if any(texts):
            found[_joined(path, "#text")] = " ".join(t for t in texts if t)
        for child, step in _steps(element):
            self._walk(child, _joined(path, step), found)


def _joined(path: str, step: str) -> str:
    return f"{path}/{step}" if path else step


def _steps(element: Element) -> list[tuple[Element, str]]:
    """Each child element with its step in a path: its name, numbered when repeated."""
    children = [child for child in element if isinstance(child.tag, str)]
    counts = Counter(child.tag for child in children)
    seen: Counter[str] = Counter()
    steps = []
    for child in children:
        seen[child.tag] += 1
        steps.append((child, child.tag if counts[child.tag] == 1
                      else f"{child.tag}[{seen[child.tag]}]"))
    return steps


def json_leftovers(doc: dict[str, object], taken: Iterable[str]) -> dict[str, object]:
    """The keys of a JSON object not in `taken`; "key[n]" in `taken` takes one list entry,
    "key[n]/sub" one key of it."""
    taken = set(taken)
    found: dict[str, object] = {}
    for key, value in doc.items():
        if key in taken:
            continue
        if isinstance(value, list) and any(t.startswith(f"{key}[") for t in taken):
            for index, entry in enumerate(value, start=1):
                _entry_leftovers(f"{key}[{index}]", entry, taken, found)
        else:
            found[key] = json_data(value)
    return found


def _entry_leftovers(step: str, entry: object, taken: set[str],
                     found: dict[str, object]) -> None:
    """One entry of a list whose other entries were (partly) taken: what is left of it."""
    if step in taken:
        return
    if isinstance(entry, dict) and any(t.startswith(f"{step}/") for t in taken):
        inner = {t[len(step) + 1:] for t in taken if t.startswith(f"{step}/")}
        for sub, item in entry.items():
            if sub not in inner:
                found[f"{step}/{sub}"] = json_data(item)
    else:
        found[step] = json_data(entry)
