"""HTML writer: one sanitized standalone page per story, sections as folders, an index.

Layout: `<section folders>/<slug>.html` ("News / Metro" -> `news/metro/<slug>.html`),
and `index.html` linking every exported story by section. A story's pictures are in
`<slug>_files/` beside its page, as `<figure>`s in it (publish/pictures.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape

from newsdesk.domain.model import Approval, Story, format_datetime
from newsdesk.formats.html import render_body_html, render_story_html
from newsdesk.publish.files import file_stem, section_folders
from newsdesk.publish.lifecycle import KillNotice, notes_html, notice_body_html
from newsdesk.publish.manifest import StoryEntry
from newsdesk.publish.pictures import ExportPicture, body_with_pictures

FORMAT = "html"
INDEX = "index.html"
RESERVED = frozenset({INDEX})


def page_path(section: str, slug: str) -> str:
    return "/".join((*section_folders(section), f"{file_stem(slug)}.html"))


def media_dir(story: Story) -> str:
    """The folder of a page's pictures, beside it: `<stem>_files/`."""
    return page_path(story.section, story.slug).removesuffix(".html") + "_files"


def media_path(story: Story, name: str) -> str:
    return f"{media_dir(story)}/{name}"


def story_files(
    story: Story, approval: Approval, former: Iterable[tuple[str, str]] = (), *,
    now: datetime, pictures: Sequence[ExportPicture] = (), body_html: str | None = None,
) -> dict[str, bytes]:
    """The story's page; `body_html`: its body already rendered (the export's render
    cache), for a story without pictures."""
    foot = notes_html(story)  # the corrections and updates this version carries
    body = None if pictures else body_html
    if pictures:
        folder = media_dir(story).rsplit("/", 1)[-1]
        body = body_with_pictures(story.body, pictures, lambda p: f"{folder}/{p.name}")
    if foot:
        body = (render_body_html(story.body) if body is None else body) + foot
    page = render_story_html(story, body)
    return {page_path(story.section, story.slug): page.encode("utf-8")}

def kill_files(notice: KillNotice) -> dict[str, bytes]:
    """The page that replaces a killed story's: its headline, withdrawn, and the notice."""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(notice.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">",
        '<meta name="robots" content="noindex">',
        f"<title>Withdrawn: {escape(notice.headline)}</title>",
        "</head>",
        "<body>",
        '<article class="killed">',
        f"<h1>Withdrawn: {escape(notice.headline)}</h1>",
        notice_body_html(notice),
        f'<p class="meta">{escape(format_datetime(notice.killed_at))}</p>',
        "</article>",
        "</body>",
        "</html>",
    ]
    path = page_path(notice.section, notice.slug)
    return {path: ("\n".join(lines) + "\n").encode("utf-8")}


def shared_files(
    entries: Iterable[StoryEntry], notices: Iterable[KillNotice] = ()
) -> dict[str, bytes]:
    """index.html: the exported stories grouped by section, headlines as links; a killed
    story as its notice ("Withdrawn: <headline>", linking to the notice that replaced
    its page, and the notice's text), never as the story."""
    items = [(e.section, e.headline, e.id, page_path(e.section, e.slug), "") for e in entries]
    items += [(n.section, n.headline, n.id, page_path(n.section, n.slug), n.note)
              for n in notices]
    if not items:
        return {}
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><title>Stories</title></head>',
        "<body>",
        "<h1>Stories</h1>",
    ]
    section = None
    for where, headline, _id, path, notice in sorted(
        items, key=lambda item: (item[0].casefold(), item[1].casefold(), item[2])
    ):
        if where != section:
            if section is not None:
                lines.append("</ul>")
            section = where
            lines += [f"<h2>{escape(section or 'No section')}</h2>", "<ul>"]
        lines.append(_index_line(escape(path), headline, notice))
    lines += ["</ul>", "</body>", "</html>"]
    return {INDEX: ("\n".join(lines) + "\n").encode("utf-8")}


def _index_line(href: str, headline: str, notice: str) -> str:
    if not notice:
        return f'<li><a href="{href}">{escape(headline)}</a></li>'
    return (f'<li class="killed"><a href="{href}">Withdrawn: {escape(headline)}</a> '
            f'<span class="kill-notice">{escape(notice)}</span></li>')
