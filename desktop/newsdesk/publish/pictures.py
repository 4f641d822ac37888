"""A story's pictures in an export: which rendition files it carries, and where they show.

Each picture of the approved revision goes out as its web rendition (newsdesk.media: at
most 1600 px on the long edge, re-encoded from pixels, so no GPS position, camera or
other metadata of the source file leaves the desk), named by its content hash
(`<hex>.<ext>`) in the story's own picture folder: a Hugo page bundle's folder, the HTML
page's `<stem>_files/`, the ninjs document's `<id>_files/`. The files are the story's:
the manifest lists them with its pages (each with its hash), verify-export checks them,
and they are withdrawn with it.

In the body a picture is a `<figure>` with `<img src alt width height>` and a
`<figcaption>` "caption — credit". A reference alone in a paragraph,
`![alt](media:<id>)`, puts the figure there; a reference inside a line of text, or to a
picture the story does not carry, leaves only its alt text (never a broken link). The
lead picture goes first, and every picture the body does not place goes after the text,
so all the approved pictures are published. A story without pictures renders exactly as
before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol

from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.formats.html import render_body_html
from newsdesk.media.attached import BODY_REFERENCE, LEAD, pictures_of
from newsdesk.media.picture import Picture

_REFERENCE = re.compile(BODY_REFERENCE)
_ALONE = re.compile(rf"^[ \t]*{BODY_REFERENCE}[ \t]*$", re.MULTILINE)
_TOKEN = "NDFIGURE"
_PLACED = re.compile(rf"<p>{_TOKEN}([0-9a-f]{{64}})</p>")
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass(frozen=True)
class ExportPicture:
    """A picture as exported: the story's picture, and its rendition file's facts."""

    picture: Picture
    name: str
    media_type: str
    width: int
    height: int

    @property
    def hex(self) -> str:
        return self.picture.id.removeprefix("sha256:")

    def facts(self) -> dict[str, object]:
        """The rendition facts the record keeps, to render the story again."""
        return {"id": self.picture.id, "name": self.name, "type": self.media_type,
                "width": self.width, "height": self.height}


class RenditionFile(Protocol):
    """Rendition bytes made for an export, and what they are."""

    @property
    def media_type(self) -> str: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def data(self) -> bytes: ...


Renditions = Callable[[Picture], RenditionFile]


def rendition_name(picture: Picture, media_type: str) -> str:
    return f"{picture.id.removeprefix('sha256:')}.{EXTENSIONS.get(media_type, 'bin')}"


def export_pictures(
    story: Story, make: Renditions | None
) -> tuple[tuple[ExportPicture, ...], dict[str, bytes]] | str:
    """The story's pictures as exported and their files by name, or why it cannot go out."""
    try:
        pictures = pictures_of(story.extra)
    except NewsdeskError as exc:  # a hand-edited list: hold the story back, say why
        return f"its pictures cannot be read ({exc})"
    if not pictures:
        return (), {}
    if make is None:
        return "it has pictures and this export cannot read them"
    placed, files = [], {}
    for picture in pictures:
        try:
            made = make(picture)
        except NewsdeskError as exc:  # bytes missing or damaged: hold it back, say why
            return f"picture {picture.file_name} cannot be exported ({exc})"
        name = rendition_name(picture, made.media_type)
        placed.append(ExportPicture(picture, name, made.media_type, made.width, made.height))
        files[name] = made.data
    return tuple(placed), files


def from_facts(story: Story, facts: Sequence[Mapping[str, object]]) -> tuple[ExportPicture, ...]:
    """The exported pictures of a record: its pictures list with the rendition facts."""
    by_id = {p.id: p for p in pictures_of(story.extra)}
    placed = []
    for fact in facts:
        picture = by_id[str(fact["id"])]
        width, height = fact["width"], fact["height"]
        if type(width) is not int or type(height) is not int:
            raise TypeError("rendition width and height are whole numbers")
        placed.append(ExportPicture(picture, str(fact["name"]), str(fact["type"]), width, height))
    if [p.picture.id for p in placed] != list(by_id):
        raise ValueError("the record's renditions do not match its pictures")
    return tuple(placed)


def caption_line(picture: Picture) -> str:
    """What the figure's caption says: "caption — credit" (either alone if the other is
    empty)."""
    return " — ".join(part for part in (picture.caption, picture.credit) if part)


def figure_html(placed: ExportPicture, src: str) -> str:
    """One picture as a figure: the image with its alt text and size, and its caption."""
    picture = placed.picture
    caption = caption_line(picture)
    lines = [
        "<figure>",
        f'<img src="{escape(src)}" alt="{escape(picture.alt)}" width="{placed.width}" '
        f'height="{placed.height}">',
    ]
    if caption:
        lines.append(f"<figcaption>{escape(caption)}</figcaption>")
    lines.append("</figure>")
    return "\n".join(lines)


def _mark(body: str, known: set[str]) -> str:
    """The Markdown with each reference alone on its line to a known picture made a token
    paragraph, and every other reference made its alt text."""

    def alone(match: re.Match[str]) -> str:
        if match["hex"] in known:
            return f"\n{_TOKEN}{match['hex']}\n"
        return match["alt"]

    return _REFERENCE.sub(lambda m: m["alt"], _ALONE.sub(alone, body))


def body_with_pictures(
    body: str, pictures: Sequence[ExportPicture], src_of: Callable[[ExportPicture], str]
) -> str:
    """The sanitized HTML body with the story's pictures as figures (see the module)."""
    by_hex = {p.hex: p for p in pictures}
    html = render_body_html(_mark(body, set(by_hex)) if "](media:" in body else body)
    placed: set[str] = set()

    def figure(match: re.Match[str]) -> str:
        if match[1] in placed:
            return ""  # a picture shows once
        placed.add(match[1])
        return figure_html(by_hex[match[1]], src_of(by_hex[match[1]]))

    html = _PLACED.sub(figure, html)
    lead = [p for p in pictures if p.picture.role == LEAD and p.hex not in placed]
    rest = [p for p in pictures if p.picture.role != LEAD and p.hex not in placed]
    parts = [figure_html(p, src_of(p)) for p in lead]
    parts += [html] if html else []
    parts += [figure_html(p, src_of(p)) for p in rest]
    return "\n".join(parts)
