"""Stories new to this laptop, taken in from the folder many at a time: most of what a
second laptop does when it first syncs a big archive.

A story whose file this database never met, and whose id it never had, is one that
decide.py sends to IMPORT. Taken one by one (settle.py, commit.py), each cost its own
savepoint, slug lookup, insert, arrival and base, a dozen statements. Here a batch at a
time: one query for which ids are known here, one for which slugs are taken, the same
arrival check for each (arrival.py: every signature verified, the status replayed), the
same records (store/sync_import.py), and the file as the base (it holds the story as
taken, so nothing is written back). A story that needs more than that is left to the
settling one by one, which reports and records it: a slug another story holds, a
status or record refused or overtaken, a file without an id, a story the database
would store otherwise than the file says (a section to tidy, an invalid field).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.domain.model import NewsdeskError, Story, normalize_section, validate
from newsdesk.formats.markdown import dumps
from newsdesk.store.feed import known_ids, live_slugs
from newsdesk.store.records import ORIGIN_FILE, Attribution
from newsdesk.store.sync_import import Arrived, insert_arrived
from newsdesk.store.sync_records import Base, pack, save_bases
from newsdesk.sync.arrival import arrive
from newsdesk.sync.decide import Action, BaseView, Holds, SideView, decide
from newsdesk.sync.pass_state import PassState
from newsdesk.sync.scan import FileState, load_story

# Stories per transaction.
BATCH = 500


@dataclass(frozen=True)
class _Incoming:
    arrived: Arrived
    file: FileState
    hash: str  # the story's sync hash, which the file has


def _same_records(story: Story, taken: Story) -> bool:
    """Whether the story as taken has the file's status and records, which is all an
    arrival can change: then it has the file's sync hash (which sorts the records)."""
    return (
        taken.status == story.status
        and set(taken.actions) == set(story.actions)
        and set(taken.approvals) == set(story.approvals)
    )


def _counted(fs: FileState, first: Story) -> tuple[int, str] | None:
    """The word count and content hash worked out where the file was read, if they are
    those of the story as it is stored: the same body and content (they are pure
    functions of those), else None (worked out again)."""
    read = fs.story
    if fs.counted is None or read is None:
        return None
    if first.body != read.body or first.content() != read.content():
        return None
    return fs.counted


class BulkImport:
    """Takes in, a batch at a time, the stories new here that need nothing more."""

    def __init__(self, state: PassState) -> None:
        self.state = state

    def run(self, story_ids: list[str], tick: Callable[[str], None]) -> list[str]:
        """Take in what can be taken in bulk; returns the stories left to settle."""
        left: list[str] = []
        for start in range(0, len(story_ids), BATCH):
            batch = story_ids[start : start + BATCH]
            try:
                left += self._batch(batch, tick)
            except (NewsdeskError, OSError):
                left += batch  # one by one instead, where each failure is its own
        return left

    def _batch(self, story_ids: list[str], tick: Callable[[str], None]) -> list[str]:
        state = self.state
        known = known_ids(state.db, story_ids)
        incoming: list[_Incoming] = []
        left: list[str] = []
        for story_id in story_ids:
            found = None if story_id in known else self._incoming(story_id)
            if found is None:
                left.append(story_id)
            else:
                incoming.append(found)
        incoming, clashing = self._free_slugs(incoming)
        left += clashing
        with state.store.transaction():
            seqs = insert_arrived(state.db, [item.arrived for item in incoming])
            save_bases(state.db, state.folder.id, [self._base(item, seqs) for item in incoming])
        for item in incoming:
            story, path = item.arrived.story, item.file.path
            state.report.add("imported", f"{story.slug}: new from the folder", story.id, path)
            tick(story.id)
        return left

    def _incoming(self, story_id: str) -> _Incoming | None:
        """The story as it comes in, if it can come in bulk (module docstring)."""
        state = self.state
        fs = load_story(state.root, state.chosen[story_id])
        story = fs.story
        if fs.problem or story is None or fs.story_id != story_id or fs.needs_id:
            return None
        remote = SideView(Holds.DELETED if fs.deleted else Holds.LIVE)
        if decide(BaseView(False), SideView(Holds.NOTHING), remote) is not Action.IMPORT:
            return None
        if normalize_section(story.section) != story.section or validate(story):
            return None
        arrival = arrive(None, story, state.trust(), verified=fs.verified)
        taken = arrival.story
        if arrival.refusal is not None or arrival.overtaken or not _same_records(story, taken):
            return None
        first = taken if arrival.start == "new" else taken.replace(
            status=arrival.start, actions=(), approvals=()
        )
        claim = Attribution(story.modified_by or state.actor, story.modified_key, ORIGIN_FILE)
        first = first.replace(revision=max(taken.revision, 1))
        arrived = Arrived(first, taken, claim, arrival.accepted, _counted(fs, first))
        return _Incoming(arrived, fs, fs.hash_of_story())

    def _free_slugs(self, incoming: list[_Incoming]) -> tuple[list[_Incoming], list[str]]:
        """The stories whose slug no live story here holds and no other of the batch
        wants; the ids of the others (a clash is settled one by one, sync/slugs.py)."""
        wanted = Counter(item.arrived.story.slug for item in incoming)
        held = live_slugs(self.state.db, list(wanted))
        held.update(slug for slug, count in wanted.items() if count > 1)
        free = [item for item in incoming if item.arrived.story.slug not in held]
        clashing = [item.arrived.story.id for item in incoming if item.arrived.story.slug in held]
        return free, clashing

    def _base(self, item: _Incoming, seqs: dict[str, int]) -> tuple[Base, bytes]:
        """The file as the base: it holds the story as taken (same sync hash)."""
        fs, story = item.file, item.arrived.story
        base = Base(story.id, item.hash, False, seqs[story.id], fs.path, fs.file_hash)
        if fs.packed is not None:
            return base, fs.packed  # packed from fs.text where the file was read
        text = fs.text if fs.text is not None else dumps(story)
        return base, pack(text.encode("utf-8"))
