"""Hugo writer: a content tree of pages with front matter, sections as folders, for Hugo.

Layout: `content/<section folders>/<slug>.md` ("News / Metro" -> `content/news/metro/`),
with an `_index.md` in every section folder so Hugo treats it as a (nested) section.
A story without a section sits at `content/<slug>.md`.

Front matter (YAML): `title`, `date`, `lastmod`, `slug`, `summary`, `tags`,
`categories` (the section), `draft: false`, `markup: html`, `aliases` (the URLs the
story had under earlier slugs or sections) and, as page params (top-level keys, which
every Hugo version merges into `.Params`), `byline`, `dateline` {place, date},
`caption`, `source` and `newsdesk` {id, uri, revision, content_hash}. `date` is when
the story was first cleared for publication (its first approval, or the end of its
embargo if that is later); `lastmod` is when this version was cleared, so a correction
keeps the page's date and moves `lastmod`.

The body is the story's Markdown rendered and sanitized exactly as the HTML export does
it (formats/html.py), and the page says `markup: html` so Hugo passes it through. We do
not hand the Markdown to Hugo's own renderer: what it lets through depends on its
version and the site's config (Hugo 0.111 as shipped by Debian keeps a
`[x](JaVaScRiPt:...)` link live), and it reads `{{< ... >}}` anywhere in a page as a
shortcode call. In the rendered body every `{` is written as `&#123;`, so no shortcode
can start, and text that looks like one shows as typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import yaml

from newsdesk.formats.html import render_body_html
from newsdesk.formats.ninjs import story_uri
from newsdesk.model import Approval, Story, format_datetime
from newsdesk.publish.files import file_stem, section_folders
from newsdesk.publish.manifest import StoryEntry

FORMAT = "hugo"
CONTENT = "content"

# libyaml's safe dumper when PyYAML has it (many times faster, same output).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def story_dir(section: str) -> str:
    return "/".join((CONTENT, *section_folders(section)))


def story_path(story: Story) -> str:
    return f"{story_dir(story.section)}/{file_stem(story.slug)}.md"


def page_url(section: str, slug: str) -> str:
    """The URL Hugo gives a page by default: /<section folders>/<slug>/."""
    return "/" + "".join(f"{folder}/" for folder in (*section_folders(section), slug))


def page_dates(story: Story, approval: Approval) -> tuple[datetime, datetime]:
    """(date, lastmod): first cleared for publication (its first approval, or the end of
    its embargo if later), and when this version was cleared (never before `date`)."""
    first = min((a.approved_at for a in story.approvals), default=approval.approved_at)
    date = max(first, story.embargo) if story.embargo is not None else first
    return date, max(approval.approved_at, date)


def page_body(story: Story) -> str:
    """The sanitized HTML body, with braces as character references (no shortcodes)."""
    return render_body_html(story.body).replace("{", "&#123;")


def front_matter(story: Story, approval: Approval, aliases: Sequence[str]) -> dict:
    date, lastmod = page_dates(story, approval)
    data: dict[str, object] = {
        "title": story.headline,
        "date": format_datetime(date),
        "lastmod": format_datetime(lastmod),
        "slug": story.slug,
        "summary": story.deck,
        "tags": list(story.tags),
        "categories": [story.section] if story.section else [],
        "draft": False,
        "markup": "html",
    }
    if aliases:
        data["aliases"] = list(aliases)
    data["byline"] = story.byline
    data["dateline"] = {
        "place": story.dateline.place,
        "date": story.dateline.date.isoformat() if story.dateline.date else "",
    }
    data["caption"] = story.caption
    data["source"] = story.source
    data["newsdesk"] = {
        "id": story.id,
        "uri": story_uri(story.id),
        "revision": story.revision,
        "content_hash": story.content_hash,
    }
    return data


def _yaml(data: dict) -> str:
    # PyYAML quotes every string that YAML could read as something else (NO, 2024-01-02,
    # 1e3...), so titles and tags come back to Hugo as the text they are.
    return yaml.dump(
        data,
        Dumper=_DUMPER,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=2**16,
    )


def render_page(story: Story, approval: Approval, aliases: Sequence[str] = ()) -> str:
    body = page_body(story)
    if body and not body.endswith("\n"):
        body += "\n"
    return f"---\n{_yaml(front_matter(story, approval, aliases))}---\n{body}"


def story_files(
    story: Story,
    approval: Approval,
    former: Iterable[tuple[str, str]] = (),
    *,
    now: datetime | None = None,
) -> dict[str, bytes]:
    """The page of one story; `former` are the (section, slug) pairs it had before."""
    current = page_url(story.section, story.slug)
    aliases: list[str] = []
    for section, slug in former:
        url = page_url(section, slug)
        if url != current and url not in aliases:
            aliases.append(url)
    return {story_path(story): render_page(story, approval, aliases).encode("utf-8")}


def shared_files(entries: Iterable[StoryEntry]) -> dict[str, bytes]:
    """An `_index.md` for every section folder (and its parents) that holds a story."""
    titles: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: (e.section, e.id)):
        parts = [p.strip() for p in entry.section.split("/") if p.strip()]
        folders = section_folders(entry.section)
        for depth in range(1, len(folders) + 1):
            folder = "/".join((CONTENT, *folders[:depth]))
            titles.setdefault(folder, parts[depth - 1])
    return {
        f"{folder}/_index.md": f"---\n{_yaml({'title': title})}---\n".encode()
        for folder, title in titles.items()
    }
