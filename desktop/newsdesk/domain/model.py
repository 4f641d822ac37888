"""The Story and its parts: plain dataclasses, validation, word count and content hash.

This module is the one place where the fields of a story are listed
(docs/architecture.md, "The story").
Formats, the store and the window map these fields; they never redefine them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

# Part of the model's vocabulary, kept in their own modules and imported from here.
from newsdesk.domain.signed import ACTION_FIELDS as ACTION_FIELDS
from newsdesk.domain.signed import ORIGIN_FILE as ORIGIN_FILE
from newsdesk.domain.signed import ORIGIN_HERE as ORIGIN_HERE
from newsdesk.domain.signed import ORIGIN_SIGNED as ORIGIN_SIGNED
from newsdesk.domain.signed import VOIDING_ACTIONS as VOIDING_ACTIONS
from newsdesk.domain.signed import Approval as Approval
from newsdesk.domain.signed import WorkflowAction as WorkflowAction
from newsdesk.domain.signed import current_approval
from newsdesk.domain.signed import key_fingerprint as key_fingerprint
from newsdesk.domain.signed import person_label as person_label
from newsdesk.domain.signed import voided_by as voided_by
from newsdesk.domain.times import format_datetime as format_datetime
from newsdesk.domain.times import parse_datetime as parse_datetime
from newsdesk.domain.times import utcnow as utcnow
from newsdesk.domain.wordcount import word_count as word_count

STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "published", "spiked", "killed")

# House defaults (docs/architecture.md, "The workflow"). Hard validation uses the MAX
# values; the copy-desk checks warn at the house limits, which a desk can change in its
# rules file.
SLUG_HOUSE_LIMIT = 24
HEADLINE_HOUSE_LIMIT = 64
DECK_HOUSE_LIMIT = 160
SLUG_MAX = 64
HEADLINE_MAX = 300
WORDS_PER_MINUTE = 250

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A story's type (story_types.py holds their rules): a short lower-case word. "news" is
# the default, and a story of the default type hashes and writes exactly as a story did
# before types existed, so no approval or file changes for it.
DEFAULT_TYPE = "news"
TYPE_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Content fields: what a reader of the published story sees. The content hash covers
# exactly these, so an approval is voided by any change to them and by nothing else.
# ednote is a note to the desk and never published, so editing it does not void approval.
CONTENT_FIELDS: tuple[str, ...] = (
    "slug",
    "headline",
    "deck",
    "byline",
    "dateline",
    "section",
    "editor",
    "source",
    "tags",
    "caption",
    "body",
    "embargo",
    "type",
)
# The extra key holding a story's pictures (newsdesk.media.attached): content too.
PICTURES_KEY = "pictures"
# Fields a person edits; a change to any of them is a new revision.
EDITABLE_FIELDS: tuple[str, ...] = (*CONTENT_FIELDS, "ednote")
# Every field of a story (docs/architecture.md, "The story"), in the order files and
# JSON write them.
ALL_FIELDS: tuple[str, ...] = (
    "id",
    "slug",
    "headline",
    "deck",
    "byline",
    "dateline",
    "section",
    "type",
    "editor",
    "source",
    "tags",
    "caption",
    "embargo",
    "ednote",
    "status",
    "revision",
    "created_at",
    "updated_at",
    "modified_by",
    "modified_key",
    "approvals",
    "actions",
    "body",
)


class NewsdeskError(Exception):
    """Base of every error that carries a message meant for the user."""


class ValidationError(NewsdeskError):
    """A story whose fields break the rules; `problems` maps field name to message."""

    def __init__(self, problems: dict[str, str]):
        self.problems = dict(problems)
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in self.problems.items()))


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Dateline:
    place: str = ""
    date: date | None = None


@dataclass
class Story:
    id: str = field(default_factory=new_id)
    slug: str = ""
    headline: str = ""
    deck: str = ""
    byline: str = ""
    dateline: Dateline = field(default_factory=Dateline)
    section: str = ""
    type: str = DEFAULT_TYPE
    editor: str = ""
    source: str = ""
    tags: tuple[str, ...] = ()
    caption: str = ""
    body: str = ""
    ednote: str = ""
    embargo: datetime | None = None
    status: str = "draft"
    revision: int = 0
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    modified_by: str = ""
    # The key (fingerprint) that saved this revision: this laptop's own, or what the
    # file it came from claims (see README, four eyes).
    modified_key: str = ""
    approvals: tuple[Approval, ...] = ()
    actions: tuple[WorkflowAction, ...] = ()
    # Front-matter keys people added by hand; kept so that a round trip loses nothing.
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tags = normalize_tags(self.tags)
        self.type = (self.type or "").strip().lower() or DEFAULT_TYPE
        self.approvals = tuple(self.approvals)
        self.actions = tuple(self.actions)

    @property
    def word_count(self) -> int:
        return word_count(self.body)

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE)) if self.body.strip() else 0

    @property
    def content_hash(self) -> str:
        return content_hash(self)

    @property
    def current_approval(self) -> Approval | None:
        """The latest approval if it still matches the content and no spike or request
        for changes came after it, else None."""
        return current_approval(self.approvals, self.actions, self.content_hash)

    @property
    def approval_voided(self) -> bool:
        """True when the story was approved but its content changed, or it was spiked or
        sent back, since."""
        return bool(self.approvals) and self.current_approval is None

    def replace(self, **changes: object) -> Story:
        return dataclasses.replace(self, **changes)

    def content(self) -> dict[str, object]:
        """The content fields as plain JSON values (the canonical form that is hashed).

        The type is left out when it is the default: a story of the default type hashes
        exactly as before types existed, so its approvals and signatures stay good. The
        pictures (extra key, newsdesk.media.attached) are published with the text, so an
        approval covers them; a story without any keeps the hash it always had."""
        content = self.editable(hashed=True)
        if self.extra.get(PICTURES_KEY):
            content[PICTURES_KEY] = self.extra[PICTURES_KEY]
        return content

    def editable(self, *, hashed: bool = False) -> dict[str, object]:
        """The editable fields as plain JSON values; `hashed`: the content fields as they
        are hashed (no ednote, and no type when it is the default)."""
        names = CONTENT_FIELDS if hashed else EDITABLE_FIELDS
        values = {name: _plain(name, getattr(self, name)) for name in names}
        if hashed and self.type == DEFAULT_TYPE:
            del values["type"]  # what was hashed before types existed stays the same
        return values


def _plain(name: str, value: object) -> object:
    if name == "tags":
        return sorted(value)  # a set: order never changes the content
    if isinstance(value, Dateline):
        return {"place": value.place, "date": value.date.isoformat() if value.date else None}
    if isinstance(value, datetime):
        return format_datetime(value)
    return value


def content_hash(story: Story) -> str:
    canonical = json.dumps(
        story.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"),
        default=str,  # a hand-edited picture entry may hold a YAML date
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def normalize_tags(tags: object) -> tuple[str, ...]:
    """Tags as a set that keeps the order people typed: trimmed, no empties, no repeats."""
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: dict[str, str] = {}
    for tag in tags or ():
        text = " ".join(str(tag).split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return tuple(seen.values())


def slugify(text: str, limit: int = SLUG_HOUSE_LIMIT) -> str:
    """An ASCII slug from any text: lower case, hyphens, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:limit]
    return slug or "story"


def slug_base(slug: str) -> str:
    """The part of `slug` that free_slug numbers: cut to leave room for "-NN"."""
    return slug[: SLUG_MAX - 4].strip("-") or "story"


def free_slug(slug: str, taken: Callable[[str], bool]) -> str:
    """The base of `slug`, or `base-2`, `base-3`... the first that `taken` says is free."""
    base = slug_base(slug)
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def parse_date(text: str) -> date:
    """An ISO date (YYYY-MM-DD). Raises ValueError with a readable message."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD)") from None


def validate(story: Story) -> dict[str, str]:
    """Problems with a story, by field name; an empty dict means it can be saved."""
    problems: dict[str, str] = {}
    if not ID_RE.match(story.id or ""):
        problems["id"] = f"{story.id!r} is not a story id (a UUID)"
    for name, problem in (("headline", _headline_problem(story.headline)),
                          ("slug", _slug_problem(story.slug))):
        if problem:
            problems[name] = problem
    if story.status not in STATUSES:
        problems["status"] = f"{story.status!r} is not one of {', '.join(STATUSES)}"
    if not TYPE_RE.match(story.type):
        problems["type"] = (
            f"{story.type[:40]!r} is not a story type (a lower-case word such as news, brief)"
        )
    if story.revision < 0:
        problems["revision"] = "cannot be negative"
    problems.update(_text_problems(story))
    return problems


def _headline_problem(headline: str) -> str:
    if not headline.strip():
        return "a headline is required"
    if len(headline) > HEADLINE_MAX:
        return f"longer than {HEADLINE_MAX} characters"
    if "\n" in headline:
        return "a headline is one line"
    return ""


def _slug_problem(slug: str) -> str:
    if not slug:
        return "a slug is required"
    if len(slug) > SLUG_MAX:
        return f"longer than {SLUG_MAX} characters"
    if not SLUG_RE.match(slug):
        return f"{slug!r}: use lower-case ASCII letters, digits and single hyphens"
    return ""


def _text_problems(story: Story) -> dict[str, str]:
    """Times without a zone, NUL characters, tags that are not tags."""
    problems: dict[str, str] = {}
    for name in ("embargo", "created_at", "updated_at"):
        value = getattr(story, name)
        if value is not None and value.tzinfo is None:
            problems[name] = "needs a time zone offset"
    for name in ("deck", "byline", "section", "editor", "source", "caption", "ednote", "body"):
        if "\x00" in getattr(story, name):
            problems[name] = "contains a NUL character"
    for tag in story.tags:
        if len(tag) > 100 or "," in tag:
            problems["tags"] = f"{tag[:40]!r}: a tag is a short word or phrase without commas"
    return problems


def check_valid(story: Story) -> Story:
    """Return the story if valid, else raise ValidationError naming each problem."""
    problems = validate(story)
    if problems:
        raise ValidationError(problems)
    return story


def normalize_section(path: str) -> str:
    """'News / Metro' from any spacing (including non-breaking spaces) around the slashes."""
    parts = [" ".join(part.split()) for part in path.replace("\u00a0", " ").split("/")]
    return " / ".join(part for part in parts if part)


def as_dict(story: Story) -> dict[str, object]:
    """Every field as plain JSON values, plus word_count and content_hash (for --json)."""
    data: dict[str, object] = {}
    for name in ALL_FIELDS:
        value = getattr(story, name)
        if name in ("approvals", "actions"):
            value = [record.as_dict() for record in value]
        elif name == "tags":
            value = list(value)
        else:
            value = _plain(name, value)
        data[name] = value
    data["word_count"] = story.word_count
    data["content_hash"] = story.content_hash
    data["approval_voided"] = story.approval_voided
    if story.extra:
        data["extra"] = story.extra
    return data
