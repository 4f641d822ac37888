"""Which stored picture bytes no story can need any more: the pure decision of
`newsdesk media purge` (no SQL, no Pillow).

A picture is needed while any text the database keeps names its hash: a story's current
version (live or in the trash), any revision of its history (named versions are
revisions; restoring one brings its pictures back), and the sync's own copies (bases,
pending bases, open conflicts: a "Take Theirs" may bring a picture back). The texts are
searched for the 64 hex digits of the hash wherever they stand (the pictures list, a
body reference, a list broken by hand), so anything that merely looks like a reference
keeps the picture: the decision errs towards keeping. A picture no text names goes,
with every cached rendition of it; a rendition whose original is not stored goes too
(nothing can make or need it again under its key).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class StoredBlob:
    """One stored original (key = its picture id) or cached rendition (key = its cache
    key), with its picture's id, type and size in bytes."""

    key: str
    picture_id: str
    media_type: str
    size: int


@dataclass(frozen=True)
class PurgePlan:
    """What a purge removes: originals and renditions, and the bytes they hold."""

    originals: tuple[StoredBlob, ...]
    renditions: tuple[StoredBlob, ...]

    @property
    def bytes_freed(self) -> int:
        return sum(blob.size for blob in (*self.originals, *self.renditions))

    def renditions_of(self, picture_id: str) -> int:
        return sum(blob.picture_id == picture_id for blob in self.renditions)


def named_hashes(texts: Iterable[str]) -> set[str]:
    """Every run of 64 lowercase hex digits in the texts: the picture hashes they may name."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(_HEX.findall(text))
    return found


def purge_plan(
    originals: Sequence[StoredBlob], renditions: Sequence[StoredBlob], named: set[str]
) -> PurgePlan:
    """The originals no text names (`named`: their hex digits) and the renditions of
    pictures that are not kept."""
    gone = tuple(b for b in originals if b.picture_id.removeprefix("sha256:") not in named)
    kept = {b.picture_id for b in originals} - {b.picture_id for b in gone}
    return PurgePlan(gone, tuple(r for r in renditions if r.picture_id not in kept))
