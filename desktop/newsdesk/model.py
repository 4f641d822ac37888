"""The Story and its parts: plain dataclasses, validation, word count and content hash.

This module is the one place where the fields of a story are listed (DESIGN section 3).
Formats, the store and the window map these fields; they never redefine them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

STATUSES: tuple[str, ...] = ("draft", "in_review", "approved", "published", "spiked")

# House defaults (DESIGN section 4). Hard validation uses the MAX values; the copy-desk
# checks warn at the house limits, which a desk can change in its rules file.
SLUG_HOUSE_LIMIT = 24
HEADLINE_HOUSE_LIMIT = 64
DECK_HOUSE_LIMIT = 160
SLUG_MAX = 64
HEADLINE_MAX = 300
WORDS_PER_MINUTE = 250

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
)
# Fields a person edits; a change to any of them is a new revision.
EDITABLE_FIELDS: tuple[str, ...] = (*CONTENT_FIELDS, "ednote")
# Every field of DESIGN section 3, in the order files and JSON write them.
ALL_FIELDS: tuple[str, ...] = (
    "id",
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
    "embargo",
    "ednote",
    "status",
    "revision",
    "created_at",
    "updated_at",
    "modified_by",
    "approvals",
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


def utcnow() -> datetime:
    """Now in UTC, to the second: what the store and the files can hold exactly."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Dateline:
    place: str = ""
    date: date | None = None


@dataclass(frozen=True)
class Approval:
    """Who approved which revision, when, and the content hash they approved (signed)."""

    approver: str
    revision: int
    content_hash: str
    approved_at: datetime
    public_key: str = ""
    signature: str = ""

    def as_dict(self) -> dict[str, object]:
        """Plain JSON values, as the store, the --json output and the manifest hold them."""
        return {
            "approver": self.approver,
            "revision": self.revision,
            "content_hash": self.content_hash,
            "approved_at": format_datetime(self.approved_at),
            "public_key": self.public_key,
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Approval:
        """The inverse of as_dict; KeyError or ValueError when a value is missing or bad."""
        return cls(
            approver=str(data["approver"]),
            revision=int(data["revision"]),  # type: ignore[call-overload]
            content_hash=str(data["content_hash"]),
            approved_at=parse_datetime(str(data["approved_at"])),
            public_key=str(data.get("public_key", "")),
            signature=str(data.get("signature", "")),
        )


@dataclass
class Story:
    id: str = field(default_factory=new_id)
    slug: str = ""
    headline: str = ""
    deck: str = ""
    byline: str = ""
    dateline: Dateline = field(default_factory=Dateline)
    section: str = ""
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
    approvals: tuple[Approval, ...] = ()
    # Front-matter keys people added by hand; kept so that a round trip loses nothing.
    extra: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tags = normalize_tags(self.tags)
        self.approvals = tuple(self.approvals)

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
        """The latest approval if it still matches the content, else None."""
        if not self.approvals:
            return None
        latest = self.approvals[-1]
        return latest if latest.content_hash == self.content_hash else None

    @property
    def approval_voided(self) -> bool:
        """True when the story was approved but its content changed since."""
        return bool(self.approvals) and self.current_approval is None

    def replace(self, **changes: object) -> Story:
        return dataclasses.replace(self, **changes)

    def content(self) -> dict[str, object]:
        """The content fields as plain JSON values (the canonical form that is hashed)."""
        return {name: _plain(name, getattr(self, name)) for name in CONTENT_FIELDS}

    def editable(self) -> dict[str, object]:
        return {name: _plain(name, getattr(self, name)) for name in EDITABLE_FIELDS}


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
        story.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
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


_WORD_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_MD_NOISE_RE = re.compile(
    r"(^|\n)\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s)|\]\([^)]*\)|[*_`~\[\]]"
)


# Only link targets and numbered-list markers hold word characters among the markup; any
# other markup is punctuation that splits words just as the space replacing it would, so
# text without them is counted as it stands. (A line that starts with a digit after
# blanks is all it takes to be careful.)
def _has_wordy_markup(text: str) -> bool:
    return "](" in text or any(line.lstrip()[:1].isdigit() for line in text.split("\n"))


# ASCII text is counted with str methods at C speed: letters and digits become "a", the
# joiners of _WORD_RE become "j", everything else a space.
_ASCII_CLASSES = str.maketrans(
    {chr(c): "a" if chr(c).isalnum() else "j" if chr(c) in "'.-" else " " for c in range(128)}
)


def word_count(text: str) -> int:
    """Words in Markdown text, markup aside; each CJK character counts as a word."""
    if _has_wordy_markup(text):
        text = _MD_NOISE_RE.sub(" ", text)
    if not text.isascii():
        return len(_WORD_RE.findall(text))
    # A word starts where a run of "a" does, unless a joiner ties that run to the one
    # before it (a joiner with an "a" on both sides).
    classes = text.translate(_ASCII_CLASSES)
    starts = classes.count(" a") + classes.count("ja") + classes.startswith("a")
    tied = (
        classes.count("aj")
        - classes.count("aj ")
        - classes.count("ajj")
        - classes.endswith("aj")
    )
    return starts - tied


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


def format_datetime(value: datetime) -> str:
    """RFC 3339 with an explicit offset; naive values are taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def parse_datetime(text: str) -> datetime:
    """Parse RFC 3339 / ISO 8601; a value without offset is UTC. Raises ValueError."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


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
    if not story.headline.strip():
        problems["headline"] = "a headline is required"
    elif len(story.headline) > HEADLINE_MAX:
        problems["headline"] = f"longer than {HEADLINE_MAX} characters"
    elif "\n" in story.headline:
        problems["headline"] = "a headline is one line"
    if not story.slug:
        problems["slug"] = "a slug is required"
    elif len(story.slug) > SLUG_MAX:
        problems["slug"] = f"longer than {SLUG_MAX} characters"
    elif not SLUG_RE.match(story.slug):
        problems["slug"] = (
            f"{story.slug!r}: use lower-case ASCII letters, digits and single hyphens"
        )
    if story.status not in STATUSES:
        problems["status"] = f"{story.status!r} is not one of {', '.join(STATUSES)}"
    if story.revision < 0:
        problems["revision"] = "cannot be negative"
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
        if name == "approvals":
            value = [approval.as_dict() for approval in value]
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
