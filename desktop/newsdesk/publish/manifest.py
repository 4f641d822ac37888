"""manifest.json of a publish tree: what was exported, its hashes and signed approvals.

The manifest lists every story in the tree (id, slug, revision, content hash, the signed
approval and each file with its sha256), the files shared by several stories (Hugo
section pages, the HTML index) and the stories withdrawn since they were exported, so a
receiving side sees what changed and can check who approved it with `verify_manifest`.

What verification proves: each file is the one the export wrote, and each story's
approval is an Ed25519 signature by a key in the receiver's keyring over that story's id,
revision and content hash. The manifest itself carries no export-wide signature, so it
vouches for the files only as far as the receiver trusts the folder it came through.
"""

from __future__ import annotations

import binascii
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsdesk.formats import prettyjson
from newsdesk.model import Approval, format_datetime
from newsdesk.publish.files import ExportError, safe_relpath, sha256_hex
from newsdesk.signing import Keyring, signature_valid
from newsdesk.workflow import same_person

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
MANIFEST_MAX_BYTES = 200_000_000
# Bumped whenever a writer's output changes for the same story, so that an upgrade
# rewrites the tree instead of trusting files an older version wrote.
RENDERER = "newsdesk-export/2"
# A path safe_relpath would return unchanged (no '.', '..' or empty part, no ':' or '\\'),
# as every path an export writes is: checked by this regex alone, which is much cheaper.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")


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

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "slug": self.slug,
            "headline": self.headline,
            "section": self.section,
            "revision": self.revision,
            "content_hash": self.content_hash,
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


@dataclass
class Manifest:
    format: str
    renderer: str = RENDERER
    stories: dict[str, StoryEntry] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)  # relative path -> sha256 hex
    withdrawn: dict[str, Withdrawn] = field(default_factory=dict)
    exported_at: str = ""

    def all_files(self) -> dict[str, str]:
        files = dict(self.shared)
        for entry in self.stories.values():
            files.update(entry.files)
        return files

    def as_dict(self) -> dict[str, object]:
        """The manifest as JSON values; stories and files in a stable order."""
        return {
            "manifest_version": MANIFEST_VERSION,
            "renderer": self.renderer,
            "format": self.format,
            "exported_at": self.exported_at,
            "stories": [self.stories[k].as_dict() for k in sorted(self.stories)],
            "shared_files": [{"path": p, "sha256": h} for p, h in sorted(self.shared.items())],
            "withdrawn": [self.withdrawn[k].as_dict() for k in sorted(self.withdrawn)],
        }

    def dumps(self) -> bytes:
        # prettyjson: the text json.dumps(indent=2) writes, several times faster.
        return (prettyjson.dumps(self.as_dict()) + "\n").encode("utf-8")

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
        if not isinstance(raw, dict) or raw.get("manifest_version") != MANIFEST_VERSION:
            raise ValueError(f"not a Newsdesk manifest (version {MANIFEST_VERSION})")
        manifest = Manifest(
            format=str(raw["format"]),
            renderer=str(raw.get("renderer", "")),
            exported_at=str(raw.get("exported_at", "")),
            shared=_files_from(raw.get("shared_files", [])),
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
            )
            manifest.stories[entry.id] = entry
        for item in raw.get("withdrawn", []):
            gone = Withdrawn(
                str(item["id"]), str(item["slug"]), str(item["withdrawn_at"]),
                str(item.get("reason", "")),
            )
            manifest.withdrawn[gone.id] = gone
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


@dataclass
class ManifestCheck:
    """The result of verify_manifest: every problem found, and what was checked."""

    problems: list[str] = field(default_factory=list)
    stories: int = 0
    files: int = 0
    approvers: dict[str, str] = field(default_factory=dict)  # story id -> trusted key name

    @property
    def ok(self) -> bool:
        return not self.problems


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


def verify_manifest(folder: str | Path, keyring: Keyring) -> ManifestCheck:
    """Check a publish tree against its manifest: file hashes and approval signatures.

    Never raises for what it finds; an unreadable or missing manifest is a problem too.
    """
    folder = Path(folder)
    check = ManifestCheck()
    try:
        manifest = read_manifest(folder)
    except ExportError as exc:
        check.problems.append(str(exc))
        return check
    if manifest is None:
        check.problems.append(f"{folder}: no {MANIFEST_NAME}")
        return check
    for path, expected in sorted(manifest.all_files().items()):
        check.files += 1
        try:
            actual = sha256_hex((folder / path).read_bytes())
        except OSError:
            check.problems.append(f"{path}: missing")
            continue
        if actual != expected:
            check.problems.append(f"{path}: changed since export (sha256 does not match)")
    for entry in manifest.stories.values():
        check.stories += 1
        try:
            reason, key_name = approval_problem(
                entry.id, entry.content_hash, entry.revision, entry.approval, keyring
            )
        except (binascii.Error, ValueError) as exc:
            reason, key_name = f"unreadable approval ({exc})", ""
        if reason:
            check.problems.append(f"{entry.slug} ({entry.id}): {reason}")
        else:
            check.approvers[entry.id] = key_name
    return check
