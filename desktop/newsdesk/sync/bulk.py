"""The first export of stories a folder has never had, in bulk: most of a first sync.

A story with no base, no file and no open conflict needs no merge and no savepoint: the
pass writes its file and records its base. In chunks of a few thousand, this thread:

1. reads the chunk's stories (one query per few hundred), writes each as Markdown,
   hashes it and writes it to a temporary file (named in its open folder,
   disk/folder.py OpenFolder: no Path and no lookup of the whole path per file);
2. hands the chunk to a helper thread, which packs the snapshots (zlib works without
   the GIL) and then flushes the file system (disk/folder.py flush_open: one os.sync() on
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

from newsdesk.disk.atomic import file_hash
from newsdesk.disk.folder import OpenFolder, flush_open
from newsdesk.domain.model import NewsdeskError
from newsdesk.formats.markdown import dumps
from newsdesk.store.feed import live_stories
from newsdesk.store.sync_cache import CachedFile, group_of, save_cache, unsettle
from newsdesk.store.sync_records import (
    Base,
    pack,
    save_fresh,
    settle_fresh,
    settle_pending_many,
)
from newsdesk.sync.cache import UNKNOWN_STAT
from newsdesk.sync.layout import no_collection, story_relpath
from newsdesk.sync.pass_state import PassState

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
    """Writes the files of stories the folder never had (the module docstring says how):
    the stories decide.py sends to EXPORT_FRESH, found without loading each one (no
    base, no file, no open conflict, not in the trash)."""

    def __init__(self, state: PassState) -> None:
        self.state = state

    def run(self, story_ids: list[str], tick: Callable[[str], None]) -> None:
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
                    with self.state.store.transaction():
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
        state = self.state
        with state.store.transaction():
            if renamed is not None:
                self._settle_fresh(*renamed)
            if error is None and staged:
                save_fresh(
                    state.db,
                    state.folder.id,
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
        owner, taken = self.state.owner, self.state.taken
        for start in range(0, len(story_ids), READ):
            # Live stories only: trash that never left this laptop needs no file.
            for story, seq in live_stories(self.state.db, story_ids[start : start + READ]):
                tick(story.id)
                try:
                    text = dumps(story)
                    path = story_relpath(story, taken=taken)
                except NewsdeskError as exc:
                    self._failed(story.id, seq, f"not synced: {exc}")
                    continue
                taken.add(path)
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
        folder = OpenFolder(
            os.path.join(self.state.root, relpath), by_fd=len(folders) < OPEN_FOLDERS
        )
        folders[relpath] = folder
        return folder

    def _settle_fresh(self, done: list[Fresh], failed: list[tuple[Fresh, OSError]]) -> None:
        """After the renames: bases for the files in place, nothing for the others (the
        caller holds the transaction)."""
        state = self.state
        db, folder_id = state.db, state.folder.id
        placed = [item.base for item in done]
        settle_fresh(db, folder_id, placed)
        settle_pending_many(
            db, folder_id, [item.base.story_id for item, _ in failed], written=False
        )
        # A file written now is read again by the next pass (racy, see cache.py).
        unknown = UNKNOWN_STAT
        save_cache(
            db,
            folder_id,
            (CachedFile(b.path, *unknown, b.file_hash, b.story_id, False, None) for b in placed),
        )
        unsettle(db, folder_id, [b.path for b in placed])
        state.changed_groups.update(group_of(b.path) for b in placed)
        for base in placed:
            state.report.add("exported", base.path, base.story_id, base.path)
        if state.on_placed is not None and placed:
            state.on_placed([base.path for base in placed])
        for item, exc in failed:
            base = item.base
            self._failed(base.story_id, base.local_seq, str(exc), base.path)

    def _failed(self, story_id: str, seq: int, message: str, path: str = "") -> None:
        self.state.retry_seqs.append(seq)
        self.state.report.add("skipped", message, story_id, path)


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
    packed = [pack(item.data) for item in staged]
    for item in staged:
        item.data = b""
    try:
        flush_open([(item.folder, item.tmp) for item in staged], folders)
    except OSError as exc:
        return packed, exc
    return packed, None
