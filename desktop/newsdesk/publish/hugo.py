"""Hugo writer: a content tree of pages with front matter, sections as folders, for Hugo.

Layout: `content/<section folders>/<slug>.md` ("News / Metro" -> `content/news/metro/`),
with an `_index.md` in every section folder so Hugo treats it as a (nested) section.
A story without a section sits at `content/<slug>.md`. A story with pictures is a page
bundle, `content/<section folders>/<slug>/index.md` with its pictures beside it as the
bundle's resources, shown as `<figure>`s in the body (publish/pictures.py); its URL is
the same.

Front matter (YAML): `title`, `date`, `lastmod`, `slug`, `summary`, `tags`,
`categories` (the section), `draft: false`, `markup: html`, `aliases` (the URLs the
story had under earlier slugs or sections) and, as page params (top-level keys, which
every Hugo version merges into `.Params`), `byline`, `dateline` {place, date},
`type` for a story of a type other than the default (Hugo picks `layouts/<type>/` for it
if the site has one, else `_default`; a news story keeps its section's layouts),
`caption`, `source` and `newsdesk` {id, uri, revision, content_hash}. `date` is when
the story was first cleared for publication (its first approval, or the end of its
embargo if that is later); `lastmod` is when this version was cleared, so a correction
keeps the page's date and moves `lastmod`. It is written by our own strict writer: one
key a line, maps indented by two spaces, lists in flow style (`tags: ["a", "b"]`), and
every string double-quoted by `formats.frontmatter.quoted` (escaped as PyYAML's emitter
escapes it), so no title or tag can be read back as a number, date, bool or null, and
YAML read by any parser gives back exactly the values `front_matter` builds. Text with
a lone surrogate (no UTF-8 form) is refused with a FormatError.

The body is the story's Markdown rendered and sanitized exactly as the HTML export does
it (formats/html.py), and the page says `markup: html` so Hugo passes it through. We do
not hand the Markdown to Hugo's own renderer: what it lets through depends on its
version and the site's config (Hugo 0.111 as shipped by Debian keeps a
`[x](JaVaScRiPt:...)` link live), and it reads `{{< ... >}}` anywhere in a page as a
shortcode call. In the rendered body every `{` is written as `&#123;`, so no shortcode
can start, and text that looks like one shows as typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from newsdesk.domain.model import DEFAULT_TYPE, Approval, Story, format_datetime
from newsdesk.formats.frontmatter import quoted
from newsdesk.formats.html import render_body_html
from newsdesk.formats.ninjs import story_uri
from newsdesk.publish.files import file_stem, section_folders
from newsdesk.publish.lifecycle import KillNotice, notes_html, notice_body_html, story_notes
from newsdesk.publish.manifest import StoryEntry
from newsdesk.publish.pictures import ExportPicture, body_with_pictures

FORMAT = "hugo"
CONTENT = "content"
WITHDRAWN = "Withdrawn: "  # before a killed story's headline, in its notice's title


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


def bundle_dir(story: Story) -> str:
    """The page bundle of a story with pictures: `content/<section folders>/<slug>/`."""
    return f"{story_dir(story.section)}/{file_stem(story.slug)}"


def media_path(story: Story, name: str) -> str:
    """A picture of the story: a resource of its page bundle."""
    return f"{bundle_dir(story)}/{name}"


def page_path(story: Story, bundled: bool) -> str:
    return f"{bundle_dir(story)}/index.md" if bundled else story_path(story)


def page_body(
    story: Story, pictures: Sequence[ExportPicture] = (), body_html: str | None = None
) -> str:
    """The sanitized HTML body and its corrections and updates (if any), with braces as
    character references (no shortcodes); the pictures as figures whose images are the
    bundle's resources (relative: the bundle's page URL is its folder). `body_html`: the
    body already rendered (the export's render cache), for a story without pictures."""
    if pictures:
        html = body_with_pictures(story.body, pictures, lambda p: p.name)
    else:
        html = render_body_html(story.body) if body_html is None else body_html
    return (html + notes_html(story)).replace("{", "&#123;")


def front_matter(story: Story, approval: Approval, aliases: Sequence[str]) -> dict:
    """The page's front matter; `approval` is the one that covers this very revision (the
    export checked its hash against the revision's, so it is not computed again here)."""
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
    if story.type != DEFAULT_TYPE:
        data["type"] = story.type
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
        "content_hash": approval.content_hash,
    }
    for key, kind in (("corrections", "correct"), ("updates", "update")):
        notes = [note for note in story_notes(story) if note.kind == kind]
        if notes:
            data[key] = [{"date": format_datetime(n.at.replace(microsecond=0)), "note": n.text}
                         for n in notes]
    return data


def _yaml(data: Mapping[str, object], indent: str = "") -> str:
    """The front matter's YAML (a block mapping, each line ending in a line break).

    Keys are ours (lower-case names, which YAML reads as the text they are) and are
    written as they are. The nested maps (dateline, newsdesk) always have keys, so each
    is written as an indented block.
    PyYAML's representer and emitter would cost a fifth of a story's render for these
    few values; tests/unit/publish/test_hugo_front_matter.py reads every page back with PyYAML.
    """
    lines = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines.append(f"{indent}{key}:\n{_yaml(value, indent + '  ')}")
        else:
            lines.append(f"{indent}{key}: {_scalar_or_list(value, key)}\n")
    return "".join(lines)


def _scalar_or_list(value: object, key: str) -> str:
    if isinstance(value, Mapping):  # in a list: a flow mapping, {date: "...", note: "..."}
        return "{" + ", ".join(f"{k}: {_scalar_or_list(v, key)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return quoted(value, key)
    if isinstance(value, bool):  # before int: a bool is an int too
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar_or_list(item, key) for item in value) + "]"
    raise TypeError(f"front matter {key!r}: cannot write a {type(value).__name__}")


def render_page(
    story: Story, approval: Approval, aliases: Sequence[str] = (),
    pictures: Sequence[ExportPicture] = (), body_html: str | None = None,
) -> str:
    body = page_body(story, pictures, body_html)
    if body and not body.endswith("\n"):
        body += "\n"
    return f"---\n{_yaml(front_matter(story, approval, aliases))}---\n{body}"


def story_files(
    story: Story,
    approval: Approval,
    former: Iterable[tuple[str, str]] = (),
    *,
    now: datetime | None = None,
    pictures: Sequence[ExportPicture] = (),
    body_html: str | None = None,
) -> dict[str, bytes]:
    """The page of one story; `former` are the (section, slug) pairs it had before. A
    story with pictures is a page bundle (`<slug>/index.md`, pictures beside it).
    `body_html`: the body already rendered (see page_body)."""
    current = page_url(story.section, story.slug)
    aliases: list[str] = []
    for section, slug in former:
        url = page_url(section, slug)
        if url != current and url not in aliases:
            aliases.append(url)
    page = render_page(story, approval, aliases, pictures, body_html)
    return {page_path(story, bool(pictures)): page.encode("utf-8")}


def kill_files(notice: KillNotice) -> dict[str, bytes]:
    """The page at a killed story's path: the notice (house rule "notice"), titled
    "Withdrawn: <headline>" with the notice as its summary, so a section list shows the
    notice and not the story; or the same page as a draft, which Hugo leaves out of the
    site and its lists (house rule "draft")."""
    when = format_datetime(notice.killed_at)
    data: dict[str, object] = {
        "title": f"{WITHDRAWN}{notice.headline}",
        "date": when,
        "lastmod": when,
        "slug": notice.slug,
        "summary": notice.note,
        "draft": notice.hugo_rule == "draft",
        "markup": "html",
        "killed": {"date": when, "note": notice.note},
        "newsdesk": {"id": notice.id, "uri": story_uri(notice.id), "killed": True},
    }
    body = notice_body_html(notice).replace("{", "&#123;")
    path = f"{story_dir(notice.section)}/{file_stem(notice.slug)}.md"
    return {path: f"---\n{_yaml(data)}---\n{body}\n".encode()}


def shared_files(
    entries: Iterable[StoryEntry], notices: Iterable[KillNotice] = ()
) -> dict[str, bytes]:
    """An `_index.md` for every section folder (and its parents) that holds a story or a
    kill notice that is shown (house rule "notice"; a draft is in no list)."""
    sections = [(entry.section, entry.id) for entry in entries]
    sections += [(n.section, n.id) for n in notices if n.hugo_rule == "notice"]
    titles: dict[str, str] = {}
    for section, _id in sorted(sections):
        parts = [p.strip() for p in section.split("/") if p.strip()]
        folders = section_folders(section)
        for depth in range(1, len(folders) + 1):
            folder = "/".join((CONTENT, *folders[:depth]))
            titles.setdefault(folder, parts[depth - 1])
    return {
        f"{folder}/_index.md": f"---\n{_yaml({'title': title})}---\n".encode()
        for folder, title in titles.items()
    }
