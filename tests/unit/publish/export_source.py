"""An ExportSource over stories held in memory, for the publish tests: the export's one
production path (publish/export.py) fed by the tests' own stories instead of a store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk.domain.model import Story


@dataclass
class MemorySource:
    """`stories` are the desk's live stories (any status: the others are reported as
    not approved, as the store's index leaves them out); `stored` older revisions the
    store would hold besides each story's current one; `former` the (section, slug)
    pairs each story had (Hugo's aliases); `open_conflicts` the stories with an open
    sync conflict and what clashed. `asked` records every revision read, as (id, n)."""

    stories: Iterable[Story]
    stored: Iterable[Story] = ()
    former: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    open_conflicts: Mapping[str, str] = field(default_factory=dict)
    asked: list[tuple[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stories = list(self.stories)
        self._revisions = {(s.id, s.revision): s for s in (*self.stories, *self.stored)}
        # An older revision given in `stored` wins over a current story of that number.
        self._revisions.update({(s.id, s.revision): s for s in self.stored})

    def index(self) -> list[Story]:
        return list(self.stories)

    def revisions(self, pairs: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Story]:
        self.asked += pairs
        return {pair: self._revisions[pair] for pair in pairs if pair in self._revisions}

    def former_names(self, pairs: Sequence[tuple[str, int]]) -> dict[str, list[tuple[str, str]]]:
        return {story_id: list(self.former.get(story_id, ())) for story_id, _n in pairs}

    def conflicts(self) -> dict[str, str]:
        return dict(self.open_conflicts)
