"""What the story list does about the Changes it hears: re-read some rows in place, read
its loaded pages again, count again. A pure decision, without Qt (tested by a table in
tests/gui/test_change_decisions.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from newsdesk.desk import Changes

# More stories than this changed at once (a sync, an import): the pages are read again.
IN_PLACE_LIMIT = 50


@dataclass(frozen=True)
class ListUpdate:
    """What the list does about some Changes: read the loaded pages again (`repage`),
    re-read these rows in place (`rows`), count per status again (`recount`)."""

    repage: bool = False
    rows: frozenset[str] = frozenset()
    recount: bool = False


def plan_update(changes: Changes, shown: Collection[str]) -> ListUpdate:
    """The list's answer to `changes`, when it shows the stories `shown`: a story new,
    back or gone, one changed that it does not show (it may now belong), or many at once
    (a sync) need the pages again; a changed story it shows is re-read in place (its row
    stays where it is while someone types). Sections and conflicts alone change no row."""
    if changes.everything or changes.created or changes.deleted & set(shown):
        return ListUpdate(repage=True, recount=True)
    if changes.deleted:
        return ListUpdate(recount=True)  # out of the list already: only the counts move
    unseen = changes.changed - set(shown)
    if unseen or len(changes.changed) > IN_PLACE_LIMIT:
        return ListUpdate(repage=True, recount=True)
    return ListUpdate(rows=changes.changed)
