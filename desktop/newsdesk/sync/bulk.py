"""The first export of stories a folder has never had, in bulk: most of a first sync.

A story with no base, no file and no open conflict needs no merge and no savepoint: the
pass writes its file and records its base. In chunks of a few thousand, this thread:

1. reads the chunk's stories (one query per few hundred), writes each as Markdown,
   hashes it and writes it to a temporary file (named in its open folder,
   atomic.OpenFolder: no Path and no lookup of the whole path per file);
2. hands the chunk to a helper thread, which packs the snapshots (zlib works without
   the GIL) and then flushes the file system (atomic.flush_open: one os.sync() on
   Linux), and goes on with the next chunk while the disk works;
3. then waits for the helper and, in one transaction, turns the pending bases of the
   files whose renames that flush made durable into bases and records the pending bases
   of the files it made durable, with their snapshots (state.save_fresh); then renames
   those files into place unless a file appeared there meanwhile (never clobbered:
   FileChangedError, retried next pass); the next flush makes the renames durable.

So no file is renamed before its bytes are durable and its pending base is recorded, a
base is recorded only for a file whose rename is durable, and a pass killed anywhere
leaves pending bases that the next pass settles by looking at the files (engine). Files
are written and hashed here, not on the helper: each call that lets go of the GIL (a
file system call, sha256, zlib) hands it over when two threads take turns, and with the
files written on a second thread the pass took longer than with none (measured at
100,000 stories); hashing there too saved no time and doubled the turns. The database
stays with the thread that opened it.
"""

from __future__ import annotations

import os
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
from newsdesk.sync.atomic import OpenFolder, file_hash, flush_open
from newsdesk.sync.layout import group_of, no_collection, story_relpath
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import Base, Folder

# Stories per chunk: per chunk, one transaction and one flush of the file system (the
# files of two chunks are in memory at a time).
CHUNK = 5000
# Stories read per query.
READ = 250
# Folders kept open at once (a month each); files of further folders are named by path.
OPEN_FOLDERS = 256


@dataclass
class Fresh:
    base: Base
    data: bytes  # until its snapshot is packed
    folder: OpenFolder
    name: str  # the file's name in its folder
    tmp: str = ""  # the temporary file's name, once written


Placed = tuple[list[Fresh], list[tuple[Fresh, OSError]]]
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
        folders: dict[str, OpenFolder] = {}  # by path relative to the root
        try:
            self._export_chunks(story_ids, tick, folders)
        finally:
            for folder in folders.values():
                folder.close()

    def _export_chunks(
        self, story_ids: list[str], tick: Callable[[str], None], folders: dict[str, OpenFolder]
    ) -> None:
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
                    self._stage_chunk(story_ids[start : start + CHUNK], tick, folders, chunk)
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
                    with self.store.transaction():
                        self._settle_fresh(*renamed)
                for item in (*staged, *chunk):
                    if item.tmp:
                        item.folder.discard(item.tmp)
                raise

    def _after_flush(
        self, flushing: Future[Packed], renamed: Placed | None, staged: list[Fresh]
    ) -> Placed | None:
        """Once the flush is done, in one transaction: bases for the renames it made
        durable, pending bases for the files it made durable; then their renames
        (returned, for the next flush)."""
        packed, error = flushing.result()
        if error is not None and renamed is not None:
            # Renamed, perhaps not durably: not done, so no base claims them.
            renamed = ([], [*renamed[1], *((item, error) for item in renamed[0])])
        with self.store.transaction():
            if renamed is not None:
                self._settle_fresh(*renamed)
            if error is None and staged:
                state.save_fresh(
                    self.db,
                    self.folder.id,
                    [(item.base, p) for item, p in zip(staged, packed, strict=True)],
                )
        if error is not None:
            # Written, perhaps not durably: not renamed, retried next pass.
            for item in staged:
                item.folder.discard(item.tmp)
                base = item.base
                self._failed(base.story_id, base.local_seq, f"not synced: {error}", base.path)
            return None
        return rename_into_place(staged) if staged else None

    def _stage_chunk(
        self,
        story_ids: list[str],
        tick: Callable[[str], None],
        folders: dict[str, OpenFolder],
        chunk: list[Fresh],
    ) -> None:
        """The chunk's live stories, each written to a temporary file, into `chunk`; a
        story that cannot be written is reported and retried next pass."""
        owner = self.owner
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
                slash = path.rindex("/")
                data = text.encode("utf-8")
                # No sync hash: most stories never change again (see state.Base).
                base = Base(story.id, "", False, seq, path, file_hash(data))
                try:
                    folder = folders.get(path[:slash]) or self._open(folders, path[:slash])
                    item = Fresh(base, data, folder, path[slash + 1 :])
                    item.tmp = folder.write_temp(item.name, data, owner=owner)
                except OSError as exc:
                    self._failed(story.id, seq, f"not synced: {exc}")
                    continue
                chunk.append(item)

    def _open(self, folders: dict[str, OpenFolder], relpath: str) -> OpenFolder:
        """A folder of the tree, created if missing, for the files of this pass."""
        folder = OpenFolder(os.path.join(self.root, relpath), by_fd=len(folders) < OPEN_FOLDERS)
        folders[relpath] = folder
        return folder

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

    def _settle_fresh(self, done: list[Fresh], failed: list[tuple[Fresh, OSError]]) -> None:
        """After the renames: bases for the files in place, nothing for the others (the
        caller holds the transaction)."""
        db, folder_id = self.db, self.folder.id
        placed = [item.base for item in done]
        state.settle_fresh(db, folder_id, placed)
        state.settle_pending_many(
            db, folder_id, [item.base.story_id for item, _ in failed], written=False
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
            base = item.base
            self._failed(base.story_id, base.local_seq, str(exc), base.path)

    def _failed(self, story_id: str, seq: int, message: str, path: str = "") -> None:
        self.retry_seqs.append(seq)
        self.report.add("skipped", message, story_id, path)


def rename_into_place(staged: list[Fresh]) -> Placed:
    """Rename each written file into place unless a file appeared there meanwhile
    (FileChangedError): (done, failed)."""
    done: list[Fresh] = []
    failed: list[tuple[Fresh, OSError]] = []
    for item in staged:
        try:
            item.folder.place_new(item.tmp, item.name)
        except OSError as exc:
            failed.append((item, exc))
        else:
            done.append(item)
    return done, failed


def _folders(renamed: Placed | None) -> set[OpenFolder]:
    return {item.folder for item in renamed[0]} if renamed is not None else set()


def _pack_and_flush(staged: list[Fresh], folders: set[OpenFolder]) -> Packed:
    """On the helper thread: the snapshots of the staged files, packed (zlib works
    without the GIL), then the flush; its error, if any, is returned with them."""
    packed = [state.pack(item.data) for item in staged]
    for item in staged:
        item.data = b""
    try:
        flush_open([(item.folder, item.tmp) for item in staged], folders)
    except OSError as exc:
        return packed, exc
    return packed, None
