"""verify-export: is a publish tree exactly what Newsdesk wrote from approved content?

What a receiver learns from a tree that passes (publish/export.py writes what is checked):
- the manifest is the one a desk chief in the receiver's keyring signed (trust.py);
- every file in the tree is listed in it, with the hash it has; nothing is missing,
  nothing was added (apart from paths the receiver chose to ignore: the publishing
  system's own files), and no file is a symbolic link;
- each story's record of approved content (record.py) hashes to the content hash its
  approval signs, and that approval is a valid signature by a trusted key;
- each story's files, and the files shared by the stories, are byte for byte what this
  Newsdesk renders from those records: so every page says what its approver approved;
  the correction and update notes a record carries are signed actions that verify;
- each kill notice's kill is signed by a trusted desk chief, and its files are what
  Newsdesk renders from it.
Every problem is one line naming the file or the story, and why.
"""

from __future__ import annotations

import binascii
import fnmatch
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.identity.signing import Keyring, action_signature_valid
from newsdesk.publish.files import TMP_DIR, TREE_DIR, ExportError, is_debris, sha256_hex
from newsdesk.publish.lifecycle import kill_problem
from newsdesk.publish.manifest import (
    MANIFEST_NAME,
    RENDERER,
    Manifest,
    StoryEntry,
    approval_problem,
    bad_signature,
    read_manifest,
)
from newsdesk.publish.record import Record, read_record, record_path
from newsdesk.publish.render import WRITERS, Job, Outcome, Renderer, Rendering
from newsdesk.publish.trust import signature_problem

# Stories a batch handed to the renderer, and batches in flight (as publish/batches.py).
BATCH = 256
AHEAD = 4


@dataclass
class ExportCheck:
    """The result of verify_export: every problem found, and what was checked."""

    problems: list[str] = field(default_factory=list)
    stories: int = 0
    files: int = 0
    approvers: dict[str, str] = field(default_factory=dict)  # story id -> trusted key name
    signer: str = ""  # the trusted key name the manifest is signed with

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_export(
    folder: str | Path, keyring: Keyring, *, ignore: Sequence[str] = ()
) -> ExportCheck:
    """Check a publish tree against its signed manifest and its stories' approved content.

    `ignore`: glob patterns of unlisted paths that belong to the publishing system
    (`config.toml`, `themes/`); they never cover Newsdesk's own files. Never raises for
    what it finds; an unreadable or missing manifest is a problem too.
    """
    folder = Path(folder)
    check = ExportCheck()
    try:
        manifest = read_manifest(folder)
    except ExportError as exc:
        check.problems.append(str(exc))
        return check
    if manifest is None:
        check.problems.append(f"{folder}: no {MANIFEST_NAME}")
        return check
    problem, signer = signature_problem(manifest.data, manifest.signature, keyring)
    if problem:
        check.problems.append(f"{MANIFEST_NAME}: {problem}")
    check.signer = signer
    _check_unlisted(folder, manifest, ignore, check)
    digests = _check_listed(folder, manifest, check)
    if manifest.renderer != RENDERER or manifest.format not in WRITERS:
        check.problems.append(
            f"{MANIFEST_NAME}: written by {manifest.renderer or 'an unknown renderer'} "
            f"({manifest.format}); this Newsdesk renders {RENDERER}: export the tree again "
            "to check what its pages say"
        )
        check.stories = len(manifest.stories)
        return check
    _check_stories(folder, manifest, keyring, digests, check)
    _check_shared(manifest, digests, check)
    _check_kills(manifest, keyring, digests, check)
    return check


def _check_kills(
    manifest: Manifest, keyring: Keyring, digests: dict[str, str], check: ExportCheck
) -> None:
    """Each kill notice: its kill signed by a trusted desk chief, its files what Newsdesk
    renders from it."""
    layout = WRITERS[manifest.format]
    for story_id in sorted(manifest.killed):
        entry = manifest.killed[story_id]
        notice = entry.notice
        problem = kill_problem(story_id, notice.action, keyring)
        if problem:
            check.problems.append(f"{notice.slug} ({story_id}): {problem}")
            continue
        _same_files(f"kill notice of {notice.slug}", entry.files, layout.kill_files(notice),
                    digests, check)


def _walk(root: Path, check: ExportCheck) -> Iterator[str]:
    """Every regular file of the tree (relative paths); a link or a device is a problem."""
    pending = [""]
    while pending:
        rel = pending.pop()
        try:
            entries = list(os.scandir(root / rel if rel else root))
        except OSError as exc:
            check.problems.append(f"{rel or '.'}: cannot be read ({exc.strerror or exc})")
            continue
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_symlink():
                check.problems.append(f"{path}: a symbolic link (an export writes none)")
            elif entry.is_dir():
                pending.append(path)
            elif entry.is_file():
                yield path
            else:
                check.problems.append(f"{path}: not a regular file")


def _ignored(path: str, patterns: Sequence[str]) -> bool:
    if path.startswith(TREE_DIR + "/") or is_debris(path):
        return False  # Newsdesk's own: never the publishing system's
    return any(
        path.startswith(pattern) if pattern.endswith("/") else fnmatch.fnmatchcase(path, pattern)
        for pattern in patterns
    )


def _check_unlisted(
    folder: Path, manifest: Manifest, ignore: Sequence[str], check: ExportCheck
) -> None:
    listed = manifest.all_files()
    for path in sorted(_walk(folder, check)):
        if path == MANIFEST_NAME or path in listed or _ignored(path, ignore):
            continue
        if is_debris(path):
            where = "in " + TMP_DIR if path.startswith(TMP_DIR + "/") else "beside its target"
            check.problems.append(f"{path}: a temporary file ({where}) left by an export "
                                  "that did not finish: export again to clear it")
        else:
            check.problems.append(f"{path}: not listed in the manifest (added after the "
                                  "export)")


def _check_listed(folder: Path, manifest: Manifest, check: ExportCheck) -> dict[str, str]:
    """Each listed file's hash against the manifest's: the hashes of the files that are
    there."""
    owner = {path: entry.slug for entry in manifest.stories.values() for path in entry.files}
    digests: dict[str, str] = {}
    for path, expected in sorted(manifest.all_files().items()):
        check.files += 1
        story = f" (story {owner[path]})" if path in owner else ""
        try:
            data = (folder / path).read_bytes()
        except OSError:
            check.problems.append(f"{path}{story}: missing")
            continue
        digests[path] = actual = sha256_hex(data)
        if actual != expected:
            check.problems.append(f"{path}{story}: changed since export (sha256 does not "
                                  "match the manifest)")
    return digests


def _check_stories(
    folder: Path,
    manifest: Manifest,
    keyring: Keyring,
    digests: dict[str, str],
    check: ExportCheck,
) -> None:
    """Each story's approval and record, then its files rendered again, in batches on
    the export's renderer (worker processes for a large tree)."""
    entries = [manifest.stories[key] for key in sorted(manifest.stories)]
    check.stories = len(entries)
    renderer = Renderer(manifest.format, datetime.now(UTC), expected=len(entries))
    in_flight: deque[tuple[list[tuple[StoryEntry, Job]], Rendering]] = deque()
    try:
        for start in range(0, len(entries), BATCH):
            jobs = []
            for entry in entries[start : start + BATCH]:
                job = _job(folder, entry, keyring, digests, check)
                if job is not None:
                    jobs.append((entry, job))
            in_flight.append((jobs, renderer.submit([job for _entry, job in jobs])))
            if len(in_flight) > AHEAD:
                _compare(*in_flight.popleft(), digests, check)
        while in_flight:
            _compare(*in_flight.popleft(), digests, check)
    finally:
        renderer.close()


def _who(entry: StoryEntry) -> str:
    return f"{entry.slug} ({entry.id})"


def _job(
    folder: Path,
    entry: StoryEntry,
    keyring: Keyring,
    digests: dict[str, str],
    check: ExportCheck,
) -> Job | None:
    """The story rebuilt from its record, to render again; None (and the problem noted)
    if its record or approval does not hold."""
    reason = _record_problem(folder, entry, digests)
    if isinstance(reason, str):
        if reason:
            check.problems.append(f"{_who(entry)}: {reason}")
        return None
    record = reason
    try:
        problem, key_name = approval_problem(
            entry.id, entry.content_hash, entry.revision, entry.approval, keyring,
            check_signature=False,  # on the renderer's workers, with the rendering
        )
    except (binascii.Error, ValueError) as exc:
        problem, key_name = f"unreadable approval ({exc})", ""
    if problem:
        check.problems.append(f"{_who(entry)}: {problem}")
        return None
    forged = [a for a in record.story.actions if not action_signature_valid(entry.id, a)]
    if forged:
        check.problems.append(f"{_who(entry)}: the {forged[0].action} note by "
                              f"{forged[0].actor} in its record does not verify")
        return None
    check.approvers[entry.id] = key_name
    return Job(record.story, entry.approval, record.former, bad_signature(entry.approval),
               record.rendered_at, record.pictures)


def _record_problem(folder: Path, entry: StoryEntry, digests: dict[str, str]) -> Record | str:
    """The story's record if it is the approved content the entry names; else why not
    ("" when the record's file was already reported missing or changed)."""
    path = record_path(entry.id)
    if path not in entry.files:
        return f"the manifest lists no record of its approved content ({path})"
    if digests.get(path) != entry.files[path]:
        return ""
    try:
        data = (folder / path).read_bytes()  # read again: ten thousand are not kept
        if sha256_hex(data) != digests[path]:
            return f"{path} changed while it was being checked"
        record = read_record(data, path)
    except OSError as exc:
        return f"{path} cannot be read ({exc.strerror or exc})"
    except ExportError as exc:
        return str(exc)
    story = record.story
    if (story.id, story.revision) != (entry.id, entry.revision):
        return f"{path} holds revision {story.revision} of {story.id}, not the exported one"
    if story.content_hash != entry.content_hash:
        return (f"the approved content in {path} does not hash to {entry.content_hash}, "
                "the content the approval covers")
    if not story.approvals or story.approvals[-1] != entry.approval:
        return f"{path} does not end with the approval the manifest lists"
    if (story.slug, story.headline, story.section) != (entry.slug, entry.headline,
                                                       entry.section):
        return "the manifest's slug, headline or section differ from the approved content"
    return record


def _compare(
    jobs: list[tuple[StoryEntry, Job]],
    rendering: Rendering,
    digests: dict[str, str],
    check: ExportCheck,
) -> None:
    outcomes: list[Outcome] = rendering.result()
    for (entry, job), outcome in zip(jobs, outcomes, strict=True):
        if isinstance(outcome, str):  # the approval's signature does not verify
            check.problems.append(f"{_who(entry)}: {outcome}")
            check.approvers.pop(entry.id, None)
            continue
        # Picture files are not rendered from text: the record names them, and each is
        # checked against the hash the manifest lists (publish/pictures.py).
        layout = WRITERS[rendering.renderer.fmt]
        pictures = {layout.media_path(job.story, p.name) for p in job.pictures}
        for path in sorted(pictures - set(entry.files)):
            check.problems.append(f"{path} (story {entry.slug}): a picture of the approved "
                                  "content the manifest does not list")
        listed = {p: h for p, h in entry.files.items() if p not in pictures}
        _same_files(f"story {entry.slug}", listed, outcome, digests, check)


def _same_files(
    owner: str, listed: dict[str, str], rendered: dict[str, bytes], digests: dict[str, str],
    check: ExportCheck,
) -> None:
    """The files the manifest lists for `owner` against what Newsdesk renders for it."""
    for path in sorted(set(listed) - set(rendered)):
        check.problems.append(f"{path} ({owner}): listed, but not a file Newsdesk writes for "
                              "it")
    for path in sorted(set(rendered) - set(listed)):
        check.problems.append(f"{path} ({owner}): not listed, but a file Newsdesk writes for "
                              "it")
    for path in sorted(set(rendered) & set(listed)):
        if digests.get(path) != listed[path]:
            continue  # reported already: missing, or changed since export
        if sha256_hex(rendered[path]) != digests[path]:
            check.problems.append(f"{path} ({owner}): not what Newsdesk renders from the "
                                  "approved content")


def _check_shared(manifest: Manifest, digests: dict[str, str], check: ExportCheck) -> None:
    notices = [entry.notice for entry in manifest.killed.values()]  # listed too
    rendered = WRITERS[manifest.format].shared_files(manifest.stories.values(), notices)
    _same_files("shared by the stories", manifest.shared, rendered, digests, check)
