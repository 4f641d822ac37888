"""The Desk's pictures: attach files to a story, list them, remove one, renditions.

Adding reads and checks every file first (newsdesk.media: type from the bytes, size,
decode, metadata cleaned) and refuses the lot on the first bad one, so nothing is
stored; then the originals and the story's new revision commit in one transaction.
What a person typed (caption, alt, credit) wins over the file's metadata, which only
fills the fields left empty. Removing a picture is a new revision too; the bytes stay
stored, since earlier revisions still show the picture.

Renditions (the thumbnail and the export's web rendition) are made ahead by
`make_renditions`, called after adding (the command; a window job) and for pictures that
came by sync (`missing_renditions`); `cached_rendition` only reads them, for the window.
`purge_unused` removes the bytes no story, revision or sync copy names (media/purge.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.copydesk.rules import Rules
from newsdesk.desk.changes import Changes
from newsdesk.desk.context import DeskContext, Progress
from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.store import media as media_store
from newsdesk.store.media import StoredRendition

if TYPE_CHECKING:
    from newsdesk.media import MetadataPolicy, Picture, RenditionSpec
    from newsdesk.media.purge import PurgePlan

# newsdesk.media (Pillow, nh3, defusedxml: a tenth of a second) is imported by the
# methods that use it, so that commands and a window that never touch a picture do not
# load it.


def read_attachments(
    paths: Iterable[Path], typed: Mapping[str, str | None]
) -> list[tuple[Picture, bytes]]:
    """Each file checked and read as a Picture with its bytes, what was typed over what
    the file said; MediaError on the first that cannot be attached."""
    from newsdesk.media import MediaError, inspect, read_picture_file
    from newsdesk.media.attached import typed_over
    from newsdesk.media.intake import metadata_refusal

    found: list[tuple[Picture, bytes]] = []
    for path in paths:
        data = read_picture_file(Path(path))
        picture, metadata = inspect(data, Path(path).name)
        problem = metadata_refusal(metadata, typed, picture.file_name)
        if problem:
            raise MediaError(problem)
        found.append((typed_over(picture, typed), data))
    if not found:
        raise MediaError("no picture files given")
    return found


@dataclass
class RenditionRun:
    """What making renditions ahead did: how many pictures it looked at, how many
    renditions it made (the others were cached), and the pictures it could not render."""

    pictures: int = 0
    made: int = 0
    failed: list[tuple[Picture, str]] = field(default_factory=list)


class Media:
    """A story's pictures: attach, list, remove, and their cached renditions."""

    def __init__(self, context: DeskContext, rules: Callable[[], Rules]) -> None:
        self._c = context
        self._rules = rules  # the house rules (Tools.rules): what an export keeps

    def pictures(self, story_id: str) -> tuple[Picture, ...]:
        """The pictures of a story, in order."""
        from newsdesk.media.attached import pictures_of

        return pictures_of(self._c.store.get(story_id).extra)

    def add_pictures(
        self, story_id: str, paths: Iterable[Path], *, caption: str | None = None,
        alt: str | None = None, credit: str | None = None, lead: bool = False,
    ) -> tuple[Story, list[Picture]]:
        """Attach picture files to a story (a new revision); all or nothing."""
        from newsdesk.media.attached import attach, pictures_of, with_pictures

        typed = {"caption": caption, "alt": alt, "credit": credit}
        found = read_attachments(paths, typed)
        with self._c.store.transaction():
            current = self._c.store.get(story_id)
            pictures = attach(pictures_of(current.extra), [p for p, _ in found], lead=lead)
            for picture, data in found:
                self._c.store.media.put_picture(
                    picture.id, picture.media_type, (picture.width, picture.height), data
                )
            saved = self._c.store.save(
                current.replace(extra=with_pictures(current.extra, pictures)),
                current.revision, actor=self._c.actor,
            )
        self._c.notify(Changes.of(changed=[saved.id]))
        chosen = {p.id for p, _ in found}
        return saved, [p for p in pictures if p.id in chosen]

    def remove_picture(self, story_id: str, ref: str) -> tuple[Story, Picture]:
        """Take a picture off a story (a new revision); MediaError if it has no such one."""
        from newsdesk.media.attached import detach, pictures_of, with_pictures

        with self._c.store.transaction():
            current = self._c.store.get(story_id)
            rest, gone = detach(pictures_of(current.extra), ref)
            saved = self._c.store.save(
                current.replace(extra=with_pictures(current.extra, rest)),
                current.revision, actor=self._c.actor,
            )
        self._c.notify(Changes.of(changed=[saved.id]))
        return saved, gone

    def _wanted(self, picture: Picture) -> list[tuple[RenditionSpec, MetadataPolicy]]:
        """The renditions made ahead: the thumbnail (list, panel) and the export's web
        rendition (the preview shows it too), with what the house rules keep."""
        from newsdesk.media import KEEP_CREDITS, STRIP_ALL, THUMBNAIL, WEB

        keep = self._rules().picture_keep_credits
        return [(THUMBNAIL, STRIP_ALL), (WEB, KEEP_CREDITS if keep else STRIP_ALL)]

    def _key(self, picture: Picture, spec: RenditionSpec, policy: MetadataPolicy) -> str:
        from newsdesk.media import rendition_key

        return rendition_key(picture.id, spec, policy, creator=picture.creator,
                             copyright=picture.copyright)

    def cached_rendition(self, picture: Picture, web: bool = False) -> StoredRendition | None:
        """The picture's cached thumbnail (or, with `web`, its export rendition), or None
        when it has not been made yet: never decodes a picture (the window asks this)."""
        spec, policy = self._wanted(picture)[1 if web else 0]
        return self._c.store.media.cached_rendition(self._key(picture, spec, policy))

    def missing_renditions(self, *, everywhere: bool = False) -> list[Picture]:
        """The stored pictures of the stories' current versions (with `everywhere`, of
        every revision too) lacking a rendition made ahead, e.g. arrived by sync."""
        from newsdesk.media.attached import picture_from_entry

        db = self._c.store.db
        found: dict[tuple[str, str, str], Picture] = {}
        for entry in media_store.picture_entries(db, everywhere=everywhere):
            try:
                picture = picture_from_entry(entry)
            except NewsdeskError:
                continue  # a list broken by hand: its story says so where it is shown
            found.setdefault((picture.id, picture.creator, picture.copyright), picture)
        present = set(self._c.store.media.stored_pictures(p.id for p in found.values()))
        wanted = {p: [self._key(p, *w) for w in self._wanted(p)]
                  for p in found.values() if p.id in present}
        cached = media_store.cached_keys(db, [k for keys in wanted.values() for k in keys])
        return [p for p, keys in wanted.items() if not set(keys) <= cached]

    def make_renditions(
        self, pictures: Sequence[Picture], progress: Progress | None = None
    ) -> RenditionRun:
        """Make the renditions of these pictures that are not cached yet (the thumbnail
        and the web rendition), reporting each picture; one that cannot be rendered (its
        bytes missing or damaged) is listed, the others still made."""
        run = RenditionRun(pictures=len(pictures))
        for done, picture in enumerate(pictures, 1):
            wanted = {self._key(picture, *w): w for w in self._wanted(picture)}
            cached = media_store.cached_keys(self._c.store.db, wanted)
            try:
                for key, (spec, policy) in wanted.items():
                    if key not in cached:
                        self.picture_rendition(picture, spec, policy)
                        run.made += 1
            except NewsdeskError as exc:
                run.failed.append((picture, str(exc)))
            if progress is not None:
                progress(done, len(pictures), picture.file_name)
        return run

    def export_rendition(self, picture: Picture) -> StoredRendition:
        """What an export publishes of a picture: its web rendition, stripped clean (the
        house rule `pictures: keep_credits` keeps the creator and copyright notice): the
        web rendition made ahead."""
        return self.picture_rendition(picture, *self._wanted(picture)[1])

    def picture_rendition(
        self, picture: Picture, spec: RenditionSpec, policy: MetadataPolicy | None = None
    ) -> StoredRendition:
        """A clean rendition of a stored picture, made once and cached by content hash
        (`policy`: what metadata it keeps; by default none)."""
        from newsdesk.media import STRIP_ALL, make_rendition

        policy = policy or STRIP_ALL
        key = self._key(picture, spec, policy)
        cached = self._c.store.media.cached_rendition(key)
        if cached is not None:
            return cached
        made = make_rendition(
            self._c.store.media.picture_bytes(picture.id), spec, policy, creator=picture.creator,
            copyright=picture.copyright, name=picture.file_name,
        )
        stored = StoredRendition(made.media_type, made.width, made.height, made.data)
        self._c.store.media.cache_rendition(key, picture.id, stored)
        return stored

    def purge_unused(self, *, dry_run: bool = False) -> PurgePlan:
        """Remove the stored originals and renditions no story can need any more (see
        media/purge.py for what counts); with `dry_run`, only say what would go. One
        write transaction: nothing can start referring to a picture meanwhile."""
        from newsdesk.media.purge import StoredBlob, named_hashes, purge_plan

        db = self._c.store.db
        with self._c.store.transaction():
            originals, renditions = media_store.stored_blobs(db)
            plan = purge_plan(
                [StoredBlob(pid, pid, kind, size) for pid, kind, size in originals],
                [StoredBlob(key, pid, kind, size) for key, pid, kind, size in renditions],
                named_hashes(media_store.referring_texts(db)),
            )
            if not dry_run:
                media_store.remove_blobs(db, [b.key for b in plan.originals],
                                    [b.key for b in plan.renditions])
        return plan
