"""What an export reads from the desk (`ExportSource`): the index of the stories, their
approved revisions, the names they had before, and the open sync conflicts; and where it
keeps the bodies it rendered (`RenderCache`).

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


class RenderCache(Protocol):
    """Approved texts' rendered bodies, by content hash (store/render_cache.py's
    StoreRenderCache): read before rendering, filled with what was rendered. Derived
    data: what it gives is checked by verify-export, never trusted as a record."""

    def bodies(self, hashes: Sequence[str], renderer: str) -> Mapping[str, str]:
        """The body kept for each content hash that has one under `renderer`."""
        ...

    def keep(self, bodies: Mapping[str, str], renderer: str) -> None:
        """Keep these bodies (by content hash) under `renderer`."""
        ...
