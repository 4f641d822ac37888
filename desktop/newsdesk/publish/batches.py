"""The stories of an export in batches: read what each needs, render it, claim its paths.

Each story of a batch is checked (find_candidate: its approval, signature and content),
the batch's stored revisions (and Hugo's former names) are read in one go and the batch
goes to the renderer (publish/render.py); while it renders, the next batches are checked
and read. Then each story of the rendered batch, in order, claims its paths (the earlier
approval wins a clash) and its changed files go to the writer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from types import ModuleType

from newsdesk.domain.model import Approval, Story, parse_datetime
from newsdesk.identity.signing import Keyring
from newsdesk.publish import hugo
from newsdesk.publish.files import sha256_hex
from newsdesk.publish.lifecycle import KillNotice
from newsdesk.publish.light import Kept, reusable
from newsdesk.publish.manifest import MANIFEST_NAME, StoryEntry, now_text
from newsdesk.publish.pictures import ExportPicture, Renditions, export_pictures
from newsdesk.publish.render import Job, Renderer, Rendering, body_renderer
from newsdesk.publish.report import ExportReport
from newsdesk.publish.selection import (
    Candidate,
    StoryHead,
    fetch_from,
    find_candidate,
    hold_reason,
    signature_failure,
    wanted_revision,
)
from newsdesk.publish.source import ExportSource, RenderCache
from newsdesk.publish.writer import Writer

Progress = Callable[[int, int, str], None]

# Stories a batch: enough for one query to pay, few enough to keep the workers fed.
BATCH = 256
# Batches handed to the renderer before the oldest is placed: the workers keep busy while
# this thread waits on the disk (each few hundred files written end in a flush).
AHEAD = 4


@dataclass(frozen=True)
class Context:
    """What every batch of one export reads: where the stories come from, the layout of
    the format (publish/hugo.py, ninjs.py, html.py), the export's clock, the trusted
    keys, the previous manifest's entries (when trusted), the tree's files as the export
    found them, whether every story is rendered again (`full`: the render cache is not
    read, only filled), what a picture goes out as, and the render cache."""

    source: ExportSource
    layout: ModuleType
    now: datetime
    keyring: Keyring | None
    old_entries: dict[str, StoryEntry]
    present: Set[str]
    full: bool = False
    renditions: Renditions | None = None
    cache: RenderCache | None = None


@dataclass
class _Work:
    """One story of a batch (still to check, a candidate, or kept from the manifest): its
    entry (kept, or once rendered), its files, or why it stays out."""

    candidate: StoryHead | Candidate | Kept
    entry: StoryEntry | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    reason: str = ""
    unverified: str = ""  # what to say if its signature, checked by the renderer, fails
    media: dict[str, bytes] = field(default_factory=dict)  # picture files, by name

    @property
    def ids(self) -> tuple[str, str]:
        if isinstance(self.candidate, Kept):
            return self.candidate.entry.id, self.candidate.entry.slug
        story = _story_of(self.candidate)
        return story.id, story.slug


def place(
    queue: list[StoryHead | Kept],
    context: Context,
    out: Writer,
    report: ExportReport,
    reasons: dict[str, str],
    progress: Progress | None,
    notices: Sequence[KillNotice] = (),
) -> tuple[dict[str, StoryEntry], dict[str, bytes]]:
    """Render what changed and write it: the manifest entries and the shared files (which
    list the kill `notices` too: publish/kills.py).

    Works in batches, in order: the stories of a batch are checked, their stored
    revisions (and Hugo's former names) read in one go and the batch goes to the
    renderer; while it renders, the next batches are checked and read; then each story
    of the rendered batch is claimed and written in turn.
    """
    layout = context.layout
    placer = _Placer(layout, out, report, reasons, len(queue), progress, context.cache)
    to_render = sum(not isinstance(item, Kept) for item in queue)
    renderer = Renderer(layout.FORMAT, context.now, expected=to_render)
    in_flight: deque[tuple[list[_Work], list[tuple[_Work, Job]], Rendering]] = deque()
    try:
        for start in range(0, len(queue), BATCH):
            batch = [_Work(item) for item in queue[start : start + BATCH]]
            jobs = _jobs(batch, context)
            rendering = renderer.submit([job for _work, job in jobs])
            in_flight.append((batch, jobs, rendering))
            if len(in_flight) > AHEAD:
                placer.place(*in_flight.popleft())
        while in_flight:
            placer.place(*in_flight.popleft())
    finally:
        renderer.close()
    shared = layout.shared_files(placer.entries.values(), notices)
    out.add(shared)
    out.flush()
    return placer.entries, shared


def _jobs(batch: list[_Work], context: Context) -> list[tuple[_Work, Job]]:
    """The works of the batch to render, each with its job (the revision, its approval,
    former names). Each other work gets its entry (kept from the manifest) or why it
    stays out (approval voided or untrusted, unreadable, embargoed...)."""
    todo = [(work, found) for work in batch if (found := _to_render(work, context))]
    if not todo:
        return []
    versions = context.source.revisions([wanted_revision(candidate) for _work, candidate in todo])
    ready = [
        found for work, candidate in todo
        if (found := _ready(work, candidate, versions, context)) is not None
    ]
    # Only Hugo pages carry aliases; the other formats need no revision history.
    former: Mapping[str, Iterable[tuple[str, str]]] = {}
    if context.layout is hugo and ready:
        pairs = [(version.id, version.revision) for _w, version, *_ in ready]
        former = context.source.former_names(pairs)
    bodies = _cached_bodies(context, [approval for _w, _v, approval, _t, placed in ready
                                      if not placed])
    return [
        (work, Job(version, approval, tuple(former.get(version.id, ())), work.unverified, when,
                   placed, None if placed else bodies.get(approval.content_hash)))
        for work, version, approval, when, placed in ready
    ]


def _ready(
    work: _Work, candidate: Candidate, versions: Mapping[tuple[str, int], Story],
    context: Context,
) -> tuple[_Work, Story, Approval, datetime, tuple[ExportPicture, ...]] | None:
    """The approved revision of a work with its render time and pictures, or None when
    it stays out (the work then says why: unreadable, embargoed, a picture missing)."""
    version = fetch_from(candidate, versions)
    if not isinstance(version, str):
        version = hold_reason(version, context.now) or version
    if isinstance(version, str):
        work.reason = version
        return None
    pictures = export_pictures(version, context.renditions)  # made here, cached
    if isinstance(pictures, str):
        work.reason = pictures
        return None
    when = render_time(context.old_entries.get(version.id), candidate, context.now)
    placed, work.media = pictures
    return work, version, candidate.approval, when, placed


def _cached_bodies(context: Context, approvals: list[Approval]) -> Mapping[str, str]:
    """The bodies the render cache holds for these approved texts (none with `full`,
    which renders every body again and writes the cache afresh)."""
    if context.cache is None or context.full or not approvals:
        return {}
    return context.cache.bodies([a.content_hash for a in approvals], body_renderer())


def _to_render(work: _Work, context: Context) -> Candidate | None:
    """The candidate of a work that needs rendering, or None: the work then has its
    entry (kept from the manifest) or the reason it stays out."""
    candidate = work.candidate
    if isinstance(candidate, Kept):
        work.entry = candidate.entry
        return None
    old = context.old_entries.get(_story_of(candidate).id)
    if not isinstance(candidate, Candidate):
        # An approval this manifest holds was verified when it was written; any other
        # signature is checked by the renderer, on a worker (publish/render.py).
        verified = old is not None and old.approval == candidate.approvals[-1]
        found = find_candidate(candidate, context.keyring, verified=True)
        if isinstance(found, str):
            work.reason = found
            return None
        work.candidate = candidate = found
        if not verified:
            work.unverified = signature_failure(found.approval, context.keyring)
    work.entry = None if context.full else reusable(old, candidate, context.present)
    return candidate if work.entry is None else None


def render_time(old: StoryEntry | None, candidate: Candidate, now: datetime) -> datetime:
    """The clock a story is rendered with: when the manifest's entry for this very
    approved revision was rendered, so that rendering it again (`full`, a file to
    repair) gives the same bytes and the same record; else the export's."""
    if (old is None or not old.rendered_at or old.revision != candidate.revision
            or old.approval != candidate.approval):
        return now
    try:
        return parse_datetime(old.rendered_at)
    except ValueError:
        return now


class _Placer:
    """Claims the rendered stories' paths in order (the earlier approval wins a clash)
    and queues their files."""

    def __init__(self, layout: ModuleType, out: Writer, report: ExportReport,
                 reasons: dict[str, str], total: int, progress: Progress | None,
                 cache: RenderCache | None = None) -> None:
        self.layout = layout
        self.cache = cache
        self.out = out
        self.report = report
        self.reasons = reasons
        self.reserved = {MANIFEST_NAME, *getattr(layout, "RESERVED", ())}
        self.claimed: set[str] = set()
        self.entries: dict[str, StoryEntry] = {}
        self.total = total
        self.done = 0
        self.progress = progress

    def place(
        self, batch: list[_Work], jobs: list[tuple[_Work, Job]], rendering: Rendering
    ) -> None:
        for (work, job), outcome in zip(jobs, rendering.result(), strict=True):
            if isinstance(outcome, str):
                work.reason = outcome
            else:
                media = {self.layout.media_path(job.story, name): data
                         for name, data in work.media.items()}
                work.files = {**outcome, **media}
                work.entry = _entry(job, work.files)
        if self.cache is not None:
            # Kept before its files are written: a body is the approved text's, whether
            # or not this export places the story (a clash, a failed write).
            self.cache.keep(rendering.bodies(), body_renderer())
        for work in batch:
            self.done += 1
            story_id, slug = work.ids
            if self.progress:
                self.progress(self.done, self.total, slug)
            if work.entry is None:
                self.skip(story_id, slug, work.reason)
                continue
            clash = next(
                (p for p in work.entry.files if p in self.reserved or p in self.claimed), None
            )
            if clash is not None:
                self.skip(story_id, slug, f"{clash} belongs to another story in this export")
                continue
            self.claimed.update(work.entry.files)
            self.entries[story_id] = work.entry
            if work.files and self.out.add(work.files):
                self.report.changed.append(story_id)

    def skip(self, story_id: str, slug: str, reason: str) -> None:
        self.reasons[story_id] = reason
        self.report.skipped.append((story_id, slug, reason))


def _story_of(item: StoryHead | Candidate) -> StoryHead:
    return item.story if isinstance(item, Candidate) else item


def _entry(job: Job, files: dict[str, bytes]) -> StoryEntry:
    version, approval = job.story, job.approval
    assert job.now is not None  # _jobs gives every job its clock
    return StoryEntry(
        id=version.id,
        slug=version.slug,
        headline=version.headline,
        section=version.section,
        revision=version.revision,
        content_hash=approval.content_hash,
        approval=approval,
        files={path: sha256_hex(data) for path, data in files.items()},
        rendered_at=now_text(job.now),
    )
