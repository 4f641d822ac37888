"""The first export of stories a folder has never had, in bulk: most of a first sync.

A story with no base, no file and no open conflict needs no merge and no savepoint: the
pass writes its file and records its base. In chunks of a few thousand, this thread:

1. reads the chunk's stories (one query per few hundred), writes each as Markdown,
   hashes it and writes it to a temporary file;
2. hands the chunk to a helper thread, which packs the snapshots (zlib works without
   the GIL) and then flushes the file system (atomic.flush: one os.sync() on Linux),
   and goes on with the next chunk while the disk works;
3. then waits for the helper, turns the pending bases of the files whose renames that
   flush made durable into bases (one transaction), records the pending bases of the
   files it made durable, with their snapshots (one transaction, state.save_fresh), and
   renames those files into place unless a file appeared there meanwhile (never
   clobbered: FileChangedError, retried next pass); the next flush makes the renames
   durable.

So no file is renamed before its bytes are durable and its pending base is recorded, a
base is recorded only for a file whose rename is durable, and a pass killed anywhere
leaves pending bases that the next pass settles by looking at the files (engine). Files
are written here, not on the helper: a file system call made from Python hands the GIL
over when two threads take turns, and with the files written on a second thread the
pass took longer than with none (measured at 100,000 stories). The database stays with
the thread that opened it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from newsdesk.formats.markdown import dumps
from newsdesk.model import NewsdeskError, Story
from newsdesk.store import Store
from newsdesk.store.codec import row_to_story
from newsdesk.sync import cache, state
from newsdesk.sync.atomic import StagedWrite, file_hash, flush, replace_staged, stage
from newsdesk.sync.layout import group_of, no_collection, story_relpath
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import Base, Folder

# Stories per chunk: per chunk, two transactions and one flush of the file system (the
# files of two chunks are in memory at a time).
CHUNK = 5000
# Stories read per query.
READ = 250


@dataclass
class Fresh:
    base: Base
    data: bytes  # until its snapshot is stored
    staged: StagedWrite | None = None


Placed = tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]
Packed = tuple[list[bytes], OSError | None]


class FreshExport:
    store: Store
    db: Database
    root: Path
    folder: Folder
    report: SyncReport
    taken: object
    retry_seqs: list[int]
    owner: str
    changed_groups: set[str]

    def _export_fresh(self, story_ids: list[str], tick: Callable[[str], None]) -> None:
        if not story_ids:
            return
        made: set[Path] = set()
        chunk: list[Fresh] = []  # being written
        staged: list[Fresh] = []  # written; the flush in flight makes them durable
        renamed: Placed | None = None  # renamed; the flush in flight makes that durable
        flushing: Future[Packed] | None = None
        with (
            no_collection(),
            ThreadPoolExecutor(1, thread_name_prefix="newsdesk-sync-flush") as helper,
        ):
            try:
                for start in range(0, len(story_ids), CHUNK):
                    chunk = []
                    self._stage_chunk(story_ids[start : start + CHUNK], tick, made, chunk)
                    if flushing is not None:
                        done, flushing = flushing, None
                        renamed = self._after_flush(done, renamed, staged)
                    staged, chunk = chunk, []
                    flushing = helper.submit(_pack_and_flush, staged, _folders(renamed))
                while flushing is not None:
                    done, flushing = flushing, None
                    renamed = self._after_flush(done, renamed, staged)
                    staged = []
                    if renamed is not None:
                        flushing = helper.submit(_pack_and_flush, [], _folders(renamed))
            except BaseException:
                # Stopped (a progress callback may cancel): settle the renames a finished
                # flush made durable, drop the temporary files not renamed.
                helper.shutdown(wait=True)
                if (
                    flushing is not None
                    and renamed is not None
                    and flushing.exception() is None
                    and flushing.result()[1] is None
                ):
                    self._settle_fresh(*renamed)
                for item in (*staged, *chunk):
                    if item.staged is not None:
                        with contextlib.suppress(OSError):
                            item.staged.tmp.unlink()
                raise

    def _after_flush(
        self, flushing: Future[Packed], renamed: Placed | None, staged: list[Fresh]
    ) -> Placed | None:
        """Once the flush is done: bases for the renames it made durable; pending bases
        for the files it made durable, then their renames (returned, for the next
        flush)."""
        packed, error = flushing.result()
        if error is not None and renamed is not None:
            # Renamed, perhaps not durably: not done, so no base claims them.
            renamed = ([], [*renamed[1], *((item, error) for item in renamed[0])])
        if renamed is not None:
            self._settle_fresh(*renamed)
        if error is not None:
            # Written, perhaps not durably: not renamed, retried next pass.
            for item in staged:
                if item.staged is not None:
                    with contextlib.suppress(OSError):
                        item.staged.tmp.unlink()
                base = item.base
                self._failed(base.story_id, base.local_seq, f"not synced: {error}", base.path)
            return None
        if not staged:
            return None
        with self.store.transaction():
            state.save_fresh(
                self.db, self.folder.id, [(i.base, p) for i, p in zip(staged, packed, strict=True)]
            )
        return replace_staged([item.staged for item in staged if item.staged is not None])

    def _stage_chunk(
        self, story_ids: list[str], tick: Callable[[str], None], made: set[Path], chunk: list[Fresh]
    ) -> None:
        """The chunk's live stories, each written to a temporary file, into `chunk`; a
        story that cannot be written is reported and retried next pass."""
        root, owner = self.root, self.owner
        for start in range(0, len(story_ids), READ):
            for story, seq in self._read(story_ids[start : start + READ]):
                tick(story.id)
                try:
                    text = dumps(story)
                    path = story_relpath(story, taken=self.taken)  # type: ignore[arg-type]
                except NewsdeskError as exc:
                    self._failed(story.id, seq, f"not synced: {exc}")
                    continue
                self.taken.add(path)  # type: ignore[attr-defined]
                # No sync hash: most stories never change again (see state.Base).
                data = text.encode("utf-8")
                item = Fresh(Base(story.id, "", False, seq, path, file_hash(data)), data)
                try:
                    item.staged = stage(root / path, data, "", item, made=made, owner=owner)
                except OSError as exc:
                    self._failed(story.id, seq, f"not synced: {exc}")
                    continue
                chunk.append(item)

    def _read(self, story_ids: list[str]) -> list[tuple[Story, int]]:
        """Live stories with their change counter, read in one query (trash that never
        left this laptop needs no file)."""
        marks = ", ".join("?" * len(story_ids))
        cursor = self.db.execute(
            f"SELECT * FROM stories WHERE id IN ({marks}) AND deleted_at IS NULL", story_ids
        )
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor]
        return [(row_to_story(row), row["change_seq"]) for row in rows]

    def _settle_fresh(
        self, done: list[StagedWrite], failed: list[tuple[StagedWrite, OSError]]
    ) -> None:
        """After the renames: bases for the files in place, nothing for the others."""
        db, folder_id = self.db, self.folder.id
        placed: list[Base] = [item.tag.base for item in done]  # type: ignore[attr-defined]
        with self.store.transaction():
            state.settle_fresh(db, folder_id, placed)
            state.settle_pending_many(
                db,
                folder_id,
                [item.tag.base.story_id for item, _ in failed],  # type: ignore[attr-defined]
                written=False,
            )
            # A file written now is read again by the next pass (racy, see cache.py).
            unknown = cache.UNKNOWN_STAT
            cache.save_cache(
                db,
                folder_id,
                (
                    cache.CachedFile(b.path, *unknown, b.file_hash, b.story_id, False, None)
                    for b in placed
                ),
            )
            cache.unsettle(db, folder_id, [b.path for b in placed])
        self.changed_groups.update(group_of(b.path) for b in placed)
        for base in placed:
            self.report.add("exported", base.path, base.story_id, base.path)
        for item, exc in failed:
            base = item.tag.base  # type: ignore[attr-defined]
            self._failed(base.story_id, base.local_seq, str(exc), base.path)

    def _failed(self, story_id: str, seq: int, message: str, path: str = "") -> None:
        self.retry_seqs.append(seq)
        self.report.add("skipped", message, story_id, path)


def _folders(renamed: Placed | None) -> set[Path]:
    return {item.path.parent for item in renamed[0]} if renamed is not None else set()


def _pack_and_flush(staged: list[Fresh], folders: set[Path]) -> Packed:
    """On the helper thread: the snapshots of the staged files, packed (zlib works
    without the GIL), then the flush; its error, if any, is returned with them."""
    packed = [state.pack(item.data) for item in staged]
    for item in staged:
        item.data = b""
    try:
        flush([item.staged.tmp for item in staged if item.staged is not None], folders)
    except OSError as exc:
        return packed, exc
    return packed, None
