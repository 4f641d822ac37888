"""The first export of stories a folder has never had, in bulk: most of a first sync.

A story with no base, no file and no open conflict needs no merge and no savepoint: the
pass writes its file and records its base. In chunks of a few thousand:

1. this thread reads the stories (one query per few hundred), writes each as Markdown,
   hashes it and packs its snapshot; a writer thread writes a temporary file each;
2. one transaction records every pending base of the chunk, the snapshots straight in
   sync_snapshots (state.save_fresh);
3. the writer thread makes the temporary files durable, renames each into place unless
   a file appeared there meanwhile (never clobbered: FileChangedError, retried next
   pass), and makes the renames durable (atomic.put_in_place), while this thread
   prepares the next chunk;
4. one transaction turns the pending bases of the files in place into bases.

So a base is recorded only for a file that is on disk, and a pass killed anywhere leaves
pending bases that the next pass settles by looking at the files (engine). The writer
thread only writes files; the database stays with the thread that opened it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from newsdesk.formats.markdown import dumps
from newsdesk.model import NewsdeskError, Story
from newsdesk.store import Store
from newsdesk.store.codec import row_to_story
from newsdesk.sync import cache, state
from newsdesk.sync.atomic import StagedWrite, file_hash, put_in_place, stage
from newsdesk.sync.layout import group_of, story_relpath
from newsdesk.sync.report import SyncReport
from newsdesk.sync.state import Base, Folder

# Stories per chunk: per chunk, two transactions and two flushes of the file system.
CHUNK = 5000
# Stories read per query, and handed to a writer thread at a time.
READ = 250
WRITE = 50
# Writer threads: file system calls run without the GIL, so this thread works while the
# writer waits on the disk. (Measured: a second writer only adds hand-overs of the GIL.)
WRITERS = 1


@dataclass
class Fresh:
    base: Base
    data: bytes
    packed: bytes = b""
    staged: StagedWrite | None = None
    error: OSError | None = None


Published = tuple[list[StagedWrite], list[tuple[StagedWrite, OSError]]]


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
        owner = self.owner

        def write(batch: list[Fresh]) -> None:
            for item in batch:
                try:
                    item.staged = stage(
                        self.root / item.base.path, item.data, "", item, made=made, owner=owner
                    )
                except OSError as exc:
                    item.error = exc
                item.data = b""

        writes: list[Future[None]] = []
        batches: list[list[Fresh]] = []
        publishing: list[Future[Published]] = []
        with ThreadPoolExecutor(WRITERS, thread_name_prefix="newsdesk-sync-writer") as writer:
            try:
                for start in range(0, len(story_ids), CHUNK):
                    for batch in self._fresh_batches(story_ids[start : start + CHUNK], tick):
                        batches.append(batch)
                        writes.append(writer.submit(write, batch))
                    for done in writes:
                        done.result()
                    if publishing:
                        published, publishing = publishing, []
                        self._settle_fresh(published)
                    staged = self._stage_failures([i for batch in batches for i in batch])
                    with self.store.transaction():
                        state.save_fresh(
                            self.db, self.folder.id, [(i.base, i.packed) for i in staged]
                        )
                    # One task: a flush before and after its renames, while this thread
                    # prepares the next chunk.
                    publishing = [writer.submit(put_in_place, [i.staged for i in staged])]
                    writes, batches = [], []
                if publishing:
                    published, publishing = publishing, []
                    self._settle_fresh(published)
            except BaseException:
                # Stopped (a progress callback may cancel): wait for the writer, settle
                # what it put in place, drop what it did not.
                writer.shutdown(wait=True)
                if publishing and not any(done.exception() for done in publishing):
                    self._settle_fresh(publishing)
                for item in (item for batch in batches for item in batch):
                    if item.staged is not None:
                        with contextlib.suppress(OSError):
                            item.staged.tmp.unlink()
                raise

    def _fresh_batches(
        self, story_ids: list[str], tick: Callable[[str], None]
    ) -> Iterator[list[Fresh]]:
        """The chunk's live stories as Fresh items, in batches for the writer."""
        batch: list[Fresh] = []
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
                # No sync hash: most stories never change again (see state.Base). The
                # file hash and the packed snapshot are made here: the writer thread is
                # the busier one (creating files), and both run without the GIL.
                data = text.encode("utf-8")
                base = Base(story.id, "", False, seq, path, file_hash(data))
                batch.append(Fresh(base, data, state.pack(data)))
                if len(batch) == WRITE:
                    yield batch
                    batch = []
        if batch:
            yield batch

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

    def _stage_failures(self, items: list[Fresh]) -> list[Fresh]:
        """The items whose temporary file was written; the others are reported."""
        ok = []
        for item in items:
            if item.staged is None:
                base = item.base
                self._failed(base.story_id, base.local_seq, f"not synced: {item.error}")
            else:
                ok.append(item)
        return ok

    def _settle_fresh(self, publishing: list[Future[Published]]) -> None:
        """After the renames: bases for the files in place, nothing for the others."""
        done = [item for part in publishing for item in part.result()[0]]
        failed = [item for part in publishing for item in part.result()[1]]
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
