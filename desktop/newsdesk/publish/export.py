"""Export orchestrator: approved stories out to a publish tree (Hugo, ninjs or HTML).

An export makes the folder show the current publish state:
- In: approved and published stories, each from the revision its latest approval
  covers, once any embargo has passed (publish/selection.py has the rules); with a
  `keyring`, only approvals signed by a trusted key. Two stories that would write the
  same file: the earlier approved one wins, the other is held back and reported.
- Not while in conflict: a story with an open sync conflict does not leave the desk.
  Nothing of it is written; one exported before keeps its files and entry as they were
  (they match an approval that was valid) until the conflict is resolved.
- Out: a story that was exported before and is no longer exportable (spiked, deleted,
  sent back) is withdrawn: its files are removed and the manifest lists it under
  `withdrawn` with when and why, so the receiving side can take it down too.
- Tied to what was approved: beside its pages each story gets the record of the
  approved content they were rendered from (publish/record.py), and the manifest, which
  lists every file with its hash, is signed by the exporting desk chief
  (publish/trust.py); publish/verify.py checks a tree against both.
- Incremental: a file is written only when its bytes change, and a story whose approved
  revision, hash and approval match the manifest is not even rendered again (`full=True`
  re-renders everything and repairs files changed by hand), nor is the signature of an
  approval the manifest already holds checked again (the keyring's trust is). That needs
  a manifest signed by a trusted key: any other (changed by hand, unsigned, from an
  older version) is used only to know which files the export wrote before, and every
  story is rendered again. Given an index of the stories (publish/light.py), no story's
  current text is read at all: only the approved revision of each story that needs
  rendering. So re-exporting an unchanged desk touches no file, the manifest included,
  and costs little.
- Safe: every write is atomic, through a temporary file in `.newsdesk/tmp/`, which is
  cleared when an export starts (a killed export left files there) and when it ends;
  the manifest is written last, and only files an earlier manifest listed are ever
  deleted. An export that stops half way leaves the previous manifest, and the next
  export completes the tree.
- Fast at scale: the stories go through in batches (publish/batches.py), each checked and
  read in a few queries, rendered on worker processes when there are many (publish/render.py) and
  written in batches made durable together (publish/writer.py).
One folder holds one format; `manifest.json` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.disk.durable import fsync_dir
from newsdesk.model import Story
from newsdesk.publish.batches import (
    FormerNames,
    FormerNamesOf,
    Progress,
    one_by_one_names,
    place,
)
from newsdesk.publish.files import (
    ExportError,
    clear_debris,
    clear_tmp,
    prune_empty_dirs,
    sha256_hex,
)
from newsdesk.publish.light import Kept, hold_conflicts, light_pass
from newsdesk.publish.manifest import (
    MANIFEST_NAME,
    RENDERER,
    Manifest,
    StoryEntry,
    Withdrawn,
    now_text,
    read_manifest,
)
from newsdesk.publish.record import record_path
from newsdesk.publish.render import WRITERS
from newsdesk.publish.selection import (
    RevisionOf,
    RevisionsOf,
    StoryHead,
    first_reason,
    one_by_one,
)
from newsdesk.publish.trust import ManifestSigner, untrusted
from newsdesk.publish.writer import Writer
from newsdesk.signing import Keyring

FORMATS: tuple[str, ...] = tuple(WRITERS)
_GONE = "no longer approved or published (spiked, sent back or deleted)"


@dataclass
class ExportReport:
    """What an export did. `exported` is every story now in the tree."""

    format: str
    out_dir: Path
    exported: list[StoryEntry] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # ids whose files were written
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # id, slug, reason
    withdrawn: list[Withdrawn] = field(default_factory=list)  # removed by this export
    written: list[str] = field(default_factory=list)  # relative paths
    removed: list[str] = field(default_factory=list)
    manifest_written: bool = False
    conflicted: list[str] = field(default_factory=list)  # ids held for a sync conflict
    published: list[str] = field(default_factory=list)  # ids the desk then marked published
    notes: list[str] = field(default_factory=list)  # what the desk could not do afterwards

    @property
    def exported_ids(self) -> list[str]:
        return [entry.id for entry in self.exported]

    def summary(self) -> str:
        text = (
            f"{len(self.exported)} {_plural(len(self.exported), 'story', 'stories')} in "
            f"{self.out_dir} ({self.format}): {len(self.changed)} changed, "
            f"{len(self.skipped)} skipped, {len(self.withdrawn)} withdrawn; "
            f"{len(self.written)} {_plural(len(self.written), 'file', 'files')} written, "
            f"{len(self.removed)} removed"
        )
        if self.published:
            text += f"; {len(self.published)} marked published"
        return text

    def as_dict(self) -> dict[str, object]:
        """The report as JSON values (for `newsdesk export --json`)."""
        return {
            "format": self.format,
            "out_dir": str(self.out_dir),
            "exported": [
                {"id": e.id, "slug": e.slug, "revision": e.revision,
                 "files": sorted(p for p in e.files if p != record_path(e.id)),
                 "record": record_path(e.id)}
                for e in self.exported
            ],
            "changed": self.changed,
            "skipped": [{"id": i, "slug": s, "reason": r} for i, s, r in self.skipped],
            "withdrawn": [w.as_dict() for w in self.withdrawn],
            "written": self.written,
            "removed": self.removed,
            "manifest_written": self.manifest_written,
            "conflicted": self.conflicted,
            "published": self.published,
            "notes": self.notes,
        }


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def export(
    stories: Iterable[Story],
    fmt: str,
    out_dir: str | Path,
    now: datetime,
    *,
    revision_of: RevisionOf | None = None,
    former_names: FormerNames | None = None,
    keyring: Keyring | None = None,
    progress: Progress | None = None,
    full: bool = False,
    index: Iterable[StoryHead] | None = None,
    revisions_of: RevisionsOf | None = None,
    former_names_of: FormerNamesOf | None = None,
    signer: ManifestSigner | None = None,
    conflicts: Mapping[str, str] | None = None,
) -> ExportReport:
    """Bring `out_dir` to the current publish state of `stories` in format `fmt`.

    `stories` are the desk's live stories (at least every approved and published one).
    Or, lighter, `index` rows of them (store/publish_index.py: no text), with
    `revision_of(id, revision)` to read the stored revision that goes out (NewsdeskError
    if it cannot be read). With `stories`, `revision_of` is optional: without it the
    story itself goes out when its latest approval covers it. `former_names(id,
    revision)` gives the (section, slug) pairs a story had before that revision, for
    Hugo aliases. `revisions_of` and `former_names_of` do the same as `revision_of` and
    `former_names` for many stories at once (an export works through its stories in
    batches), and are used instead when given. `signer` signs the manifest (and its own
    key joins `keyring` in deciding whether the previous manifest can be trusted);
    `conflicts` maps the id of each story with an open sync conflict to what clashed:
    such a story does not go out (publish/export.py's docstring says what stays).
    Raises ExportError if the folder cannot be used or a file cannot be written; the
    returned report lists what went out and what did not.
    """
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")
    now = (now if now.tzinfo else now.replace(tzinfo=UTC)).replace(microsecond=0)
    root = _prepare(Path(out_dir))
    previous = read_manifest(root)
    if previous is not None and previous.format != fmt:
        raise ExportError(
            f"{root} holds a {previous.format} export; export {fmt} to another folder"
        )
    report = ExportReport(format=fmt, out_dir=root)
    cleared, present = clear_debris(root)
    if cleared:
        report.notes.append(f"removed {len(cleared)} temporary "
                            f"{_plural(len(cleared), 'file', 'files')} left by an export "
                            "that did not finish")
    trusted = _trusted(previous, keyring, signer, report)
    old_entries = previous.stories if trusted and previous else {}
    try:
        stories = list(stories)
        rows = None if index is None else list(index)
        held, conflict_reasons, skipped = hold_conflicts(
            conflicts or {}, [*stories, *(rows or ())], old_entries
        )
        report.skipped += skipped
        report.conflicted += [story_id for story_id, _slug, _reason in skipped]
        stories = [story for story in stories if story.id not in conflict_reasons]
        kept: list[Kept] = held
        heads: list[StoryHead] = stories
        if rows is not None:
            if revision_of is None and revisions_of is None:
                raise ValueError("an export from an index needs `revision_of` or `revisions_of`")
            rows = [row for row in rows if row.id not in conflict_reasons]
            light_kept, others = light_pass(rows, old_entries, keyring, present, full)
            kept += light_kept
            heads = [*stories, *others]
        queue, reasons = _select(heads, report, kept)
        reasons.update(conflict_reasons)
        if revisions_of is None and revision_of is not None:
            revisions_of = one_by_one(revision_of)
        if former_names_of is None and former_names is not None:
            former_names_of = one_by_one_names(former_names)
        _write_tree(root, fmt, queue, report, previous, trusted, old_entries, reasons, now,
                    keyring=keyring, revisions_of=revisions_of,
                    former_names_of=former_names_of, progress=progress, full=full,
                    signer=signer, present=present)
    finally:
        clear_tmp(root)
    return report


def _write_tree(
    root: Path,
    fmt: str,
    queue: list[StoryHead | Kept],
    report: ExportReport,
    previous: Manifest | None,
    trusted: bool,
    old_entries: dict[str, StoryEntry],
    reasons: dict[str, str],
    now: datetime,
    *,
    keyring: Keyring | None,
    revisions_of: RevisionsOf | None,
    former_names_of: FormerNamesOf | None,
    progress: Progress | None,
    full: bool,
    signer: ManifestSigner | None,
    present: set[str],
) -> None:
    """Render and write the queue, remove what left the tree, then write the manifest.
    `present`: the files in the tree when the export started."""
    out = Writer(root, report.written)
    try:
        entries, shared = place(
            queue, WRITERS[fmt], out, report, old_entries, reasons, now, keyring=keyring,
            revisions_of=revisions_of, former_names_of=former_names_of, progress=progress,
            full=full, present=present,
        )
        report.exported = [entries[k] for k in sorted(entries)]
        manifest = Manifest(
            format=fmt,
            stories=entries,
            shared={path: sha256_hex(data) for path, data in shared.items()},
            withdrawn=_withdrawn(previous, entries, reasons, now, report),
        )
        keep = set(manifest.all_files())
        emptied: set[Path] = set()
        for path in sorted(set(previous.all_files()) - keep if previous else ()):
            _remove(root, path, report, emptied)
        # Folders written to were flushed with their batch (Writer); these lost files.
        for folder in sorted(emptied):
            if folder.is_dir():
                fsync_dir(folder, strict=False)
        if trusted and manifest.same_content(previous):
            manifest.exported_at = previous.exported_at if previous else ""
        else:
            manifest.exported_at = now_text(now)
            out.write_now(MANIFEST_NAME, manifest.dumps(signer))
            report.manifest_written = True
    finally:
        out.close()


def _trusted(
    previous: Manifest | None, keyring: Keyring | None, signer: ManifestSigner | None,
    report: ExportReport,
) -> bool:
    """Whether the folder's manifest is one this export can build on: written by this
    renderer and signed by a trusted key (the signer's own, or one in `keyring`). Only
    then are its entries reused; otherwise every story is rendered again and its files
    compared with what is on disk (as `full`)."""
    if previous is None or previous.renderer != RENDERER:
        return False
    problem = untrusted(previous.data, previous.signature, keyring, signer)
    if problem:
        report.notes.append(f"{MANIFEST_NAME}: {problem}; every story was rendered again "
                            "and its files checked")
        return False
    return True


def _prepare(root: Path) -> Path:
    try:
        root.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ExportError(f"{root} is a file, not a folder") from None
    except OSError as exc:
        raise ExportError(f"cannot create {root} ({exc.strerror or exc})") from None
    if not root.is_dir():
        raise ExportError(f"{root} is not a folder")
    return root


def _select(
    stories: Iterable[StoryHead],
    report: ExportReport,
    kept: Iterable[Kept] = (),
) -> tuple[list[StoryHead | Kept], dict[str, str]]:
    """The stories that may go out, earliest approval first (it wins a clash of paths),
    and why each other story may not. A story's approval and content are checked when
    its batch comes (find_candidate, in publish/batches.py), so the checks of the first
    batches overlap the rendering of the first; the order does not depend on them, as
    only the latest approval ever lets a story out."""
    queue: dict[str, StoryHead | Kept] = {k.entry.id: k for k in kept}
    reasons: dict[str, str] = {}
    for story in stories:
        if story.id in queue or story.id in reasons:
            continue
        reason = first_reason(story)
        if reason is None:
            queue[story.id] = story
            continue
        reasons[story.id] = reason
        if story.status in ("approved", "published"):
            report.skipped.append((story.id, story.slug, reason))
    ordered = sorted(queue.items(), key=lambda item: (_approved_at(item[1]), item[0]))
    return [item for _id, item in ordered], reasons


def _approved_at(item: StoryHead | Kept) -> datetime:
    return item.approval.approved_at if isinstance(item, Kept) else item.approvals[-1].approved_at


def _remove(root: Path, path: str, report: ExportReport, emptied: set[Path]) -> None:
    target = root / path
    try:
        target.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportError(f"cannot remove {target} ({exc.strerror or exc})") from None
    report.removed.append(path)
    emptied.add(target.parent)
    prune_empty_dirs(target.parent, root)


def _withdrawn(
    previous: Manifest | None,
    entries: dict[str, StoryEntry],
    reasons: dict[str, str],
    now: datetime,
    report: ExportReport,
) -> dict[str, Withdrawn]:
    """Earlier withdrawals still in force, plus the stories this export takes down."""
    if previous is None:
        return {}
    withdrawn = {k: v for k, v in previous.withdrawn.items() if k not in entries}
    for story_id, old in previous.stories.items():
        if story_id in entries:
            continue
        reason = reasons.get(story_id, _GONE)
        gone = Withdrawn(story_id, old.slug, now_text(now), reason)
        withdrawn[story_id] = gone
        report.withdrawn.append(gone)
    return withdrawn
