"""WireItem: one agency item as read from any wire format, and the draft a take makes of it.

Every reader (NewsML-G2, NITF, ninjs, plain text) gives WireItems, so what comes later
(the incoming queue, agency updates, duplicates) deals with one shape. The Story fields
map one to one; the agency's own metadata (guid, version, urgency, copyright...) rides in
the draft's `extra` under "wire", and whatever a format carries that has no field here is
kept in `extra` ("unmapped") so that nothing the agency sent is lost.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from newsdesk.domain.model import (
    Dateline,
    Story,
    format_datetime,
    normalize_section,
    slugify,
    validate,
)
from newsdesk.formats.errors import FormatError

FORMAT_NAMES = {
    "newsml-g2": "NewsML-G2",
    "nitf": "NITF 3.x",
    "ninjs-1": "ninjs 1.x",
    "ninjs-2": "ninjs 2.x",
    "text": "plain-text wire copy",
}
PUBSTATUSES = ("usable", "withheld", "canceled")
_WORD_RE = re.compile(r"\w+")
# The "](address)" of a Markdown link or image whose "]" is not escaped.
_LINK_TARGET_RE = re.compile(r"(?<!\\)\]\((?:[^()\s\\]|\\.)*\)")
_TAG_MAX = 100


@dataclass(frozen=True)
class Subject:
    """A subject the agency classified the item under: its name, code and kind of code."""

    name: str
    code: str = ""
    kind: str = ""  # the scheme or relation: "cpnat:abstract", "medtop", "keyword"...

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in dataclasses.asdict(self).items() if value}


@dataclass(frozen=True)
class WireItem:
    """One agency item, its Story fields mapped, its wire metadata and what was unmapped."""

    format: str  # a key of FORMAT_NAMES
    guid: str  # the agency's identity of the item, the same in every version
    version: int  # higher is later
    headline: str
    deck: str = ""
    byline: str = ""
    dateline_place: str = ""
    dateline_date: date | None = None
    dateline_text: str = ""  # the dateline as the agency wrote it
    section: str = ""
    body: str = ""  # Markdown
    caption: str = ""
    source: str = ""  # the credit a reader sees (Story.source)
    # The agency's editor, not the desk's (docs/architecture.md, "The story").
    source_editor: str = ""
    provider: str = ""  # the agency that delivered the item
    copyright: str = ""
    language: str = ""  # BCP 47
    urgency: int | None = None  # 1 most urgent to 9
    pubstatus: str = "usable"  # usable, withheld or canceled (a kill)
    embargo: datetime | None = None
    sent: datetime | None = None  # when this version was issued
    first_created: datetime | None = None
    slugline: str = ""
    ednote: str = ""  # the agency's note to editors, never published
    subjects: tuple[Subject, ...] = ()
    keywords: tuple[str, ...] = ()
    media: tuple[dict[str, str], ...] = ()  # pictures the body referred to, not fetched
    package: dict[str, object] = field(default_factory=dict)  # the package it came in
    extra: dict[str, object] = field(default_factory=dict)  # unmapped, path -> value
    notes: tuple[str, ...] = ()  # what the reader noticed or repaired

    @cached_property
    def fingerprint(self) -> str:
        """The same text from two feeds gives the same fingerprint (see `fingerprint`)."""
        return fingerprint(self.headline, self.body)

    def to_story(self) -> Story:
        """The draft a take makes: Story fields from the item, wire metadata in extra."""
        return Story(
            slug=slugify(self.slugline or self.headline),
            headline=self.headline,
            deck=self.deck,
            byline=self.byline,
            dateline=Dateline(self.dateline_place, self.dateline_date),
            section=normalize_section(self.section),
            source=self.source,
            # A keyword with a comma cannot be a tag; every keyword stays in extra.
            tags=tuple(word for word in self.keywords if _is_tag(word)),
            caption=self.caption,
            body=self.body,
            ednote=self.ednote,
            embargo=self.embargo,
            status="draft",
            extra=self.story_extra(),
        )

    def story_extra(self) -> dict[str, object]:
        """The draft's extra: the language where story_language() finds it, and "wire"."""
        wire: dict[str, object] = {
            "format": self.format,
            "guid": self.guid,
            "version": self.version,
            "fingerprint": self.fingerprint,
        }
        optional: dict[str, object] = {
            "provider": self.provider,
            "copyright": self.copyright,
            "urgency": self.urgency,
            "pubstatus": self.pubstatus if self.pubstatus != "usable" else "",
            "sent": format_datetime(self.sent) if self.sent else "",
            "first_created": format_datetime(self.first_created) if self.first_created else "",
            "source_editor": self.source_editor,
            "dateline": self.dateline_text,
            "slugline": self.slugline,
            "subjects": [subject.as_dict() for subject in self.subjects],
            "keywords": list(self.keywords),
            "media": [dict(entry) for entry in self.media],
            "package": dict(self.package),
            "unmapped": dict(self.extra),
        }
        wire.update((key, value) for key, value in optional.items() if value not in ("", None)
                    and value != [] and value != {})
        extra: dict[str, object] = {"wire": wire}
        if self.language:
            extra["language"] = self.language
        return extra

    def replace(self, **changes: object) -> WireItem:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def fingerprint(headline: str, body: str) -> str:
    """A hash of the words of the headline and of the Markdown body's text.

    Only words count: markup, escapes, punctuation, case, spacing and Unicode compatibility
    forms do not, and neither do link addresses, so one story delivered as NITF by one feed
    and as ninjs by another matches. Cheap on purpose (no rendering): a burst of
    thousands of items is fingerprinted as it arrives.
    """
    text = html.unescape(_LINK_TARGET_RE.sub(" ", body))  # &#45; is "-", &amp; is "&"
    normal = unicodedata.normalize("NFKC", f"{headline}\n{text}").casefold()
    words = " ".join(_WORD_RE.findall(normal))
    return "sha256:" + hashlib.sha256(words.encode("utf-8")).hexdigest()


def checked(item: WireItem, source_name: str | Path = "") -> WireItem:
    """The item if a take can make a valid draft of it, else FormatError saying why."""
    if not item.guid.strip():
        raise FormatError("the item has no guid (the agency's identifier): cannot tell its "
                          "versions or duplicates apart", source_name)
    if len(item.guid) > 1000:
        raise FormatError("the guid is longer than 1000 characters", source_name)
    if not item.headline.strip():
        raise FormatError(f"item {item.guid!r} has no headline", source_name)
    if item.pubstatus not in PUBSTATUSES:
        raise FormatError(f"item {item.guid!r}: publishing status {item.pubstatus!r} is not "
                          f"one of {', '.join(PUBSTATUSES)}", source_name)
    problems = validate(item.to_story())
    if problems:
        raise FormatError(
            f"item {item.guid!r}: "
            + "; ".join(f"{name}: {message}" for name, message in problems.items()),
            source_name,
        )
    return item


def _is_tag(word: str) -> bool:
    return "," not in word and 0 < len(word) <= _TAG_MAX
