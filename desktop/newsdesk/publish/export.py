"""Export orchestrator: approved stories out to a publish tree (Hugo, ninjs or HTML).

What it reads of the desk comes through an ExportSource (publish/source.py): an index of
the stories without their text, then the approved revisions it needs. An export makes
the folder show the current publish state:
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
- Killed: a killed story's files are replaced by its notice, rendered from its signed
  kill (publish/kills.py, publish/lifecycle.py); the manifest lists it under `killed`.
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
  story is rendered again. The index decides which stories still match the manifest
  (publish/light.py): no story's current text is read at all, only the approved
  revision of each story that needs rendering. So re-exporting an unchanged desk
  touches no file, the manifest included, and costs little.
- Safe: every write is atomic, through a temporary file in `.newsdesk/tmp/`, which is
  cleared when an export starts (a killed export left files there) and when it ends;
  the manifest is written last, and only files an earlier manifest listed are ever
  deleted. An export that stops half way leaves the previous manifest, and the next
  export completes the tree.
- Fast at scale: the stories go through in batches (publish/batches.py), each checked and
  read in a few queries, rendered on worker processes when there are many
  (publish/render.py) and written in batches made durable together (publish/writer.py).
- Rendered once: an approved text's Markdown body is rendered by the first export that
  needs it and kept in the render cache by its content hash (store/render_cache.py);
  later exports, to any folder or format, read it. verify-export renders every page
  again from the approved text, so the cache is checked, never trusted.
One folder holds one format; `manifest.json` says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.disk.durable import fsync_dir
from newsdesk.domain.lifecycle import KILLED
from newsdesk.identity.signing import Keyring
from newsdesk.publish.batches import Context, Progress, place
from newsdesk.publish.files import (
    ExportError,
    clear_debris,
    clear_tmp,
    prune_empty_dirs,
    sha256_hex,
)
from newsdesk.publish.kills import kill_notices, listed_again, place_kills
from newsdesk.publish.light import Kept, hold_conflicts, light_pass
from newsdesk.publish.manifest import (
    MANIFEST_NAME,
    RENDERER,
    Manifest,
    Withdrawn,
    now_text,
    read_manifest,
)
from newsdesk.publish.pictures import Renditions
from newsdesk.publish.render import WRITERS
from newsdesk.publish.report import ExportReport, plural
from newsdesk.publish.selection import StoryHead, first_reason
from newsdesk.publish.source import ExportSource, RenderCache
from newsdesk.publish.trust import ManifestSigner, untrusted
from newsdesk.publish.writer import Writer

__all__ = ["FORMATS", "ExportReport", "ExportSource", "export"]

FORMATS: tuple[str, ...] = tuple(WRITERS)
_GONE = "no longer approved or published (spiked, sent back or deleted)"


def export(
    source: ExportSource,
    fmt: str,
    out_dir: str | Path,
    now: datetime,
    *,
    keyring: Keyring | None = None,
    signer: ManifestSigner | None = None,
    progress: Progress | None = None,
    full: bool = False,
    hugo_kill: str = "notice",
    renditions: Renditions | None = None,
    cache: RenderCache | None = None,
) -> ExportReport:
    """Bring `out_dir` to the current publish state of the desk `source` reads, in
    format `fmt` (see the module docstring for what goes out and what stays).

    `keyring`: only approvals signed by its keys go out (None: any valid signature).
    `signer` signs the manifest (and its own key joins `keyring` in deciding whether
    the previous manifest can be trusted). `progress(done, total, slug)` is told of
    each story. `full` renders every story again. `hugo_kill` is the house rule for a
    killed story's Hugo page ("notice", or "draft": draft: true). Raises ExportError if the folder
    cannot be used or a file cannot be written; the returned report lists what went out
    and what did not. `renditions` makes a picture's exported rendition (a story with
    pictures is held back without it; publish/pictures.py). `cache` keeps each approved
    text's rendered body by content hash (store/render_cache.py): read, and filled with
    what this export rendered (with `full`, only filled).
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
                            f"{plural(len(cleared), 'file', 'files')} left by an export "
                            "that did not finish")
    trusted = _trusted(previous, keyring, signer, report)
    context = Context(
        source, WRITERS[fmt], now, keyring,
        old_entries=previous.stories if trusted and previous else {}, present=present, full=full,
        renditions=renditions, cache=cache,
    )
    try:
        queue, reasons = _plan(context, report)
        _write_tree(root, context, queue, report, previous, trusted, reasons,
                    progress=progress, signer=signer, hugo_kill=hugo_kill)
    finally:
        clear_tmp(root)
    return report


def _plan(context: Context, report: ExportReport) -> tuple[list[StoryHead | Kept], dict[str, str]]:
    """The stories to go through, in order (see _select), and why each other one stays
    out: a story with an open sync conflict is held (an earlier entry kept as it is);
    a story whose row still matches its manifest entry keeps it, unread (light.py)."""
    rows = list(context.source.index())
    # A conflict holds earlier files as they were; a killed story's are replaced by its
    # notice whatever the conflict (the kill is final, and signed).
    killed = {row.id for row in rows if row.status == KILLED}
    conflicts = {k: v for k, v in context.source.conflicts().items() if k not in killed}
    held, conflict_reasons, skipped = hold_conflicts(conflicts, rows, context.old_entries)
    report.skipped += skipped
    report.conflicted += [story_id for story_id, _slug, _reason in skipped]
    rows = [row for row in rows if row.id not in conflict_reasons]
    kept, others = light_pass(
        rows, context.old_entries, context.keyring, context.present, context.full
    )
    queue, reasons = _select(others, report, [*held, *kept])
    reasons.update(conflict_reasons)
    return queue, reasons


def _write_tree(
    root: Path,
    context: Context,
    queue: list[StoryHead | Kept],
    report: ExportReport,
    previous: Manifest | None,
    trusted: bool,
    reasons: dict[str, str],
    *,
    progress: Progress | None,
    signer: ManifestSigner | None,
    hugo_kill: str = "notice",
) -> None:
    """Render and write the queue and the kill notices, remove what left the tree, then
    write the manifest."""
    out = Writer(root, report.written)
    try:
        killed_rows = [row for row in context.source.index() if row.status == KILLED]
        notices = kill_notices(killed_rows, context, report, hugo_kill)
        entries, shared = place(queue, context, out, report, reasons, progress,
                                list(notices.values()))
        report.exported = [entries[k] for k in sorted(entries)]
        taken = {path for entry in entries.values() for path in entry.files} | set(shared)
        killed = place_kills(notices, context, out, report, taken)
        shared = listed_again(context, entries.values(), notices, killed, shared, out)
        manifest = Manifest(
            format=report.format,
            stories=entries,
            shared={path: sha256_hex(data) for path, data in shared.items()},
            withdrawn=_withdrawn(previous, {**entries, **killed}, reasons, context.now, report),
            killed=killed,
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
            manifest.exported_at = now_text(context.now)
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
    entries: Mapping[str, object],
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
