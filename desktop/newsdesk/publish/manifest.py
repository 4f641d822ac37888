"""manifest.json of a publish tree: what was exported, its hashes and signed approvals.

The manifest lists every story in the tree (id, slug, revision, content hash, the signed
approval, when it was rendered, and each file with its sha256, the record of its
approved content included: publish/record.py), the files shared by several stories
(Hugo section pages, the HTML index) and the stories withdrawn since they were
exported, and the killed stories whose notice it carries, with their signed kill. The
exporting desk chief signs it (publish/trust.py), so a receiver can tell
it is the one the export wrote; publish/verify.py checks a tree against it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsdesk.domain.model import Approval, format_datetime
from newsdesk.domain.workflow import same_person
from newsdesk.formats import prettyjson
from newsdesk.identity.signing import Keyring, signature_valid
from newsdesk.publish.files import ExportError, safe_relpath
from newsdesk.publish.lifecycle import KillNotice
from newsdesk.publish.trust import SIGNATURE_KEY, ManifestSigner

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 2
# Read too, so that the first export after an upgrade knows which files it wrote before.
_READABLE_VERSIONS = (1, MANIFEST_VERSION)
MANIFEST_MAX_BYTES = 200_000_000
# Bumped whenever a writer's output changes for the same story, so that an upgrade
# rewrites the tree instead of trusting files an older version wrote.
RENDERER = "newsdesk-export/4"
# A path safe_relpath would return unchanged (no '.', '..' or empty part, no ':' or '\\'),
# as every path an export writes is (the records of approved content under .newsdesk/
# included): checked by this regex alone, which is much cheaper.
_PLAIN_PATH = re.compile(
    r"(?:\.newsdesk/)?[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*"
)


@dataclass(frozen=True)
class StoryEntry:
    """One exported story: which revision, its content hash, approval and files."""

    id: str
    slug: str
    headline: str
    section: str
    revision: int
    content_hash: str
    approval: Approval
    files: dict[str, str]  # relative path -> sha256 hex
    rendered_at: str = ""  # the clock the files were rendered with (publish/record.py)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "slug": self.slug,
            "headline": self.headline,
            "section": self.section,
            "revision": self.revision,
            "content_hash": self.content_hash,
            "rendered_at": self.rendered_at,
            "approval": self.approval.as_dict(),
            "files": [{"path": p, "sha256": h} for p, h in sorted(self.files.items())],
        }


@dataclass(frozen=True)
class Withdrawn:
    """A story that was in the tree and is no longer exportable (spiked, unapproved...)."""

    id: str
    slug: str
    withdrawn_at: str
    reason: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "slug": self.slug,
            "withdrawn_at": self.withdrawn_at,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class KilledEntry:
    """A killed story in the tree: its notice (with the signed kill) and the files that
    carry it (publish/lifecycle.py)."""

    notice: KillNotice
    files: dict[str, str]  # relative path -> sha256 hex

    @property
    def id(self) -> str:
        return self.notice.id

    def as_dict(self) -> dict[str, object]:
        return {
            **self.notice.as_dict(),
            "files": [{"path": p, "sha256": h} for p, h in sorted(self.files.items())],
        }


@dataclass
class Manifest:
    format: str
    renderer: str = RENDERER
    stories: dict[str, StoryEntry] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 hex
    withdrawn: dict[str, Withdrawn] = field(default_factory=dict)
    killed: dict[str, KilledEntry] = field(default_factory=dict)
    exported_at: str = ""
    version: int = MANIFEST_VERSION
    # As read from a file: its bytes and its parsed signature member (publish/trust.py).
    data: bytes = b""
    signature: object = None

    def all_files(self) -> dict[str, str]:
        files = dict(self.shared)
        for entry in self.stories.values():
            files.update(entry.files)
        for killed in self.killed.values():
            files.update(killed.files)
        return files

    def as_dict(self) -> dict[str, object]:
        """The manifest as JSON values; stories and files in a stable order."""
        data: dict[str, object] = {
            "manifest_version": MANIFEST_VERSION,
            "renderer": self.renderer,
            "format": self.format,
            "exported_at": self.exported_at,
            "stories": [self.stories[k].as_dict() for k in sorted(self.stories)],
            "shared_files": [{"path": p, "sha256": h} for p, h in sorted(self.shared.items())],
            "withdrawn": [self.withdrawn[k].as_dict() for k in sorted(self.withdrawn)],
        }
        if self.killed:  # only then: a tree without kills keeps the bytes it always had
            data["killed"] = [self.killed[k].as_dict() for k in sorted(self.killed)]
        return data

    def canonical(self) -> bytes:
        """The bytes the exporter signs. prettyjson: the text json.dumps(indent=2)
        writes, several times faster."""
        return prettyjson.dumps(self.as_dict()).encode("utf-8")

    def dumps(self, signer: ManifestSigner | None) -> bytes:
        """The file: signed by `signer`, or without a signature (which no receiver
        trusts: `newsdesk export` always signs; the library can be called without)."""
        canonical = self.canonical()
        return signer.sign(canonical) if signer else canonical + b"\n"

    def same_content(self, other: Manifest | None) -> bool:
        """Equal apart from the time of export (which changes only with the content)."""
        if other is None:
            return False
        if (self.format, self.renderer) != (other.format, other.renderer) or (
            self.stories.keys() != other.stories.keys()
        ):
            return False
        # An entry kept from `other` is the very same object: no need to render it.
        if any(
            entry is not other.stories[key] and entry.as_dict() != other.stories[key].as_dict()
            for key, entry in self.stories.items()
        ):
            return False
        if self.shared != other.shared:
            return False
        if {k: v.as_dict() for k, v in self.killed.items()} != {
            k: v.as_dict() for k, v in other.killed.items()
        }:
            return False
        mine = [self.withdrawn[k].as_dict() for k in sorted(self.withdrawn)]
        return mine == [other.withdrawn[k].as_dict() for k in sorted(other.withdrawn)]


def _approval_from(data: object) -> Approval:
    if not isinstance(data, dict):
        raise ValueError("approval is not an object")
    return Approval.from_dict(data)


def _files_from(items: object) -> dict[str, str]:
    if not isinstance(items, list):
        raise ValueError("files is not a list")
    files = {}
    for item in items:
        path = item["path"]
        if not (isinstance(path, str) and _PLAIN_PATH.fullmatch(path)):
            path = safe_relpath(path).as_posix()
        files[path] = str(item["sha256"])
    return files


def parse_manifest(data: bytes, source: str = MANIFEST_NAME) -> Manifest:
    """A manifest from its JSON bytes; ExportError saying what is wrong otherwise."""
    try:
        raw = json.loads(data.decode("utf-8"))
        if not isinstance(raw, dict) or raw.get("manifest_version") not in _READABLE_VERSIONS:
            raise ValueError(f"not a Newsdesk manifest (version {MANIFEST_VERSION})")
        manifest = Manifest(
            format=str(raw["format"]),
            renderer=str(raw.get("renderer", "")),
            exported_at=str(raw.get("exported_at", "")),
            shared=_files_from(raw.get("shared_files", [])),
            version=raw["manifest_version"],
            data=data,
            signature=raw.get(SIGNATURE_KEY),
        )
        for item in raw.get("stories", []):
            entry = StoryEntry(
                id=str(item["id"]),
                slug=str(item["slug"]),
                headline=str(item.get("headline", "")),
                section=str(item.get("section", "")),
                revision=int(item["revision"]),
                content_hash=str(item["content_hash"]),
                approval=_approval_from(item["approval"]),
                files=_files_from(item["files"]),
                rendered_at=str(item.get("rendered_at", "")),
            )
            manifest.stories[entry.id] = entry
        for item in raw.get("withdrawn", []):
            gone = Withdrawn(
                str(item["id"]), str(item["slug"]), str(item["withdrawn_at"]),
                str(item.get("reason", "")),
            )
            manifest.withdrawn[gone.id] = gone
        for item in raw.get("killed", []):
            killed = KilledEntry(KillNotice.from_dict(item), _files_from(item["files"]))
            manifest.killed[killed.id] = killed
    except ExportError as exc:
        raise ExportError(f"{source}: {exc}") from None
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ExportError(f"{source}: not a readable export manifest ({exc})") from None
    return manifest


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest in `folder`, None if there is none; ExportError if it is unreadable."""
    path = folder / MANIFEST_NAME
    try:
        if path.stat().st_size > MANIFEST_MAX_BYTES:
            raise ExportError(f"{path}: too large for an export manifest")
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse_manifest(data, str(path))


def now_text(now: datetime) -> str:
    return format_datetime(now.replace(microsecond=0))


def _who(approval: Approval) -> str:
    return f"{approval.approver}'s approval of revision {approval.revision}"


def bad_signature(approval: Approval) -> str:
    """Why an approval whose signature does not verify against its key is refused."""
    return f"bad signature: {_who(approval)} was altered after signing"


def approval_problem(
    story_id: str,
    entry_hash: str,
    revision: int,
    approval: Approval,
    keyring: Keyring,
    *,
    check_signature: bool = True,
) -> tuple[str | None, str]:
    """(None, key name) if the approval is a trusted signature over this content hash,
    else (the reason, key name or ""). `check_signature=False` skips only the Ed25519
    check, for an approval already verified (the trust checks always run)."""
    who = _who(approval)
    if approval.content_hash != entry_hash or approval.revision != revision:
        return f"{who} is for other content than the exported revision {revision}", ""
    if not approval.signature or not approval.public_key:
        return f"{who} is not signed", ""
    key_name = keyring.name_for(approval.public_key)
    if key_name is None:
        return f"{who} was signed with a key that is not in the keyring", ""
    if check_signature and not signature_valid(story_id, approval):
        return bad_signature(approval), key_name
    if not same_person(key_name, approval.approver):
        return f"{who} was signed with the key trusted as {key_name}", key_name
    return None, key_name


