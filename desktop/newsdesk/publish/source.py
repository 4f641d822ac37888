"""What an export reads from the desk (`ExportSource`): the index of the stories, their
approved revisions, the names they had before, and the open sync conflicts.

The store's is store/publish_index.py's `StoreExportSource`: a light index with no text
(one query), then only the approved revision of each story that needs rendering, many
at a time. An export knows nothing else of where its stories come from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from newsdesk.domain.model import Story
from newsdesk.publish.selection import StoryHead


class ExportSource(Protocol):
    """The desk as an export reads it."""

    def index(self) -> Iterable[StoryHead]:
        """The live stories that may go out, oldest first: at least every approved and
        published one (any other is reported as not approved), without their text."""
        ...

    def revisions(self, pairs: Sequence[tuple[str, int]]) -> Mapping[tuple[str, int], Story]:
        """The stored revisions asked for, by (id, revision); one that cannot be read is
        left out (the story is then held back, and the report says why)."""
        ...

    def former_names(
        self, pairs: Sequence[tuple[str, int]]
    ) -> Mapping[str, Iterable[tuple[str, str]]]:
        """For each (id, revision), the (section, slug) of every revision before it,
        oldest first: the URLs the story had (Hugo's aliases)."""
        ...

    def conflicts(self) -> Mapping[str, str]:
        """The id of every story with an open sync conflict, with what clashed: such a
        story does not leave the desk."""
        ...
