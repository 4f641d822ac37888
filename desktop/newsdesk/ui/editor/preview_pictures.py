"""The story's pictures in the preview, placed as the HTML export places them.

The body goes through the export's own `body_with_pictures` (publish/pictures.py): the
lead first, a `![alt](media:<id>)` reference alone on its line where it stands, the
others after the text, each a figure with its alt text and "caption — credit". The image
of each is its cached web rendition, the export's bytes, named by a `newsdesk-media:`
URL that only the preview's own resource loader answers (no network, no file). A picture
whose rendition is not made yet shows as a grey box of its shape until the background
job has made it. Sizes are scaled down to the preview's measure, as a page's CSS would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from newsdesk.domain.model import NewsdeskError, Story
from newsdesk.media.attached import pictures_of
from newsdesk.media.picture import Picture
from newsdesk.publish.pictures import ExportPicture, body_with_pictures

SCHEME = "newsdesk-media"
MEASURE = 560  # px: the preview's text measure (about 38 em), a figure's widest


@dataclass(frozen=True)
class Shown:
    """What the preview shows of a picture: its image's URL, the rendition's type and
    size (None in its place while it is being made: the original's shape stands in)."""

    url: str
    media_type: str
    width: int
    height: int
    measure: int = MEASURE  # the widest it was scaled for


def display_size(width: int, height: int, measure: int = MEASURE) -> tuple[int, int]:
    """The size a figure shows at: its own, or scaled down to the measure, never up."""
    if width <= 0 or height <= 0:
        return max(1, min(measure, width)), max(1, height)
    if width <= measure:
        return width, height
    return measure, max(1, round(height * measure / width))


def image_url(picture: Picture) -> str:
    return f"{SCHEME}:{picture.id.removeprefix('sha256:')}"


def pending_url(picture: Picture) -> str:
    """The URL of a picture's stand-in: not its image's, which the document would keep
    as the grey box it once loaded there."""
    return image_url(picture) + "?pending"


def story_pictures(story: Story) -> tuple[Picture, ...]:
    """The story's pictures; none when its list cannot be read (the copy checks and the
    export say why; the preview still shows the text)."""
    try:
        return pictures_of(story.extra)
    except NewsdeskError:
        return ()


def pictured_body(
    body: str, pictures: tuple[Picture, ...], shown: Mapping[str, Shown | None],
    render: Callable[[str], str], measure: int = MEASURE,
) -> str:
    """The body's HTML with the pictures as figures, as the HTML export has them, each
    image a `newsdesk-media:` URL at its display size (`render`: the body alone)."""
    if not pictures:
        return render(body)
    placed = []
    for picture in pictures:
        facts = shown.get(picture.id)
        if facts is None:
            facts = Shown(pending_url(picture), picture.media_type, picture.width,
                          picture.height)
        width, height = display_size(facts.width, facts.height, measure)
        placed.append(ExportPicture(picture, facts.url, facts.media_type, width, height))
    return body_with_pictures(body, placed, lambda p: p.name)
