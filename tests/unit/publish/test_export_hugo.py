"""publish/hugo: a real `hugo` build over the exported tree renders every story."""

import shutil
import subprocess
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from newsdesk.domain.model import Dateline
from newsdesk.publish.export import export
from newsdesk.publish.hugo import page_body, page_dates, page_url
from tests.unit.publish.export_corpus import NOW, approve, corpus, edit, make_story
from tests.unit.publish.export_source import MemorySource

HUGO = shutil.which("hugo")
needs_hugo = pytest.mark.skipif(HUGO is None, reason="Debian's hugo is not installed "
                                                     "(apt-get install hugo; .ci/run does)")

SITE_CONFIG = 'baseURL = "https://news.example/"\ntitle = "Test desk"\nlanguageCode = "en"\n'
LAYOUTS = {
    "_default/single.html": (
        '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><article>'
        '<h1 class="headline">{{ .Title }}</h1><p class="summary">{{ .Summary }}</p>'
        '<p class="byline">{{ .Params.byline }}</p>'
        '<p class="dateline">{{ .Params.dateline.place }} {{ .Params.dateline.date }}</p>'
        '<div class="body">{{ .Content }}</div></article></body></html>\n'
    ),
    "_default/list.html": (
        "<!DOCTYPE html><html><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n'
    ),
}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def make_site(root: Path) -> None:
    (root / "hugo.toml").write_text(SITE_CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(root: Path) -> Path:
    result = subprocess.run(
        [HUGO, "--source", str(root), "--destination", str(root / "public"), "--quiet"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"hugo failed:\n{result.stdout}\n{result.stderr}"
    return root / "public"


def rendered_page(public: Path, section: str, slug: str) -> str:
    page = public / page_url(section, slug).strip("/") / "index.html"
    assert page.exists(), f"hugo rendered no page for {slug} at {page}"
    return page.read_text(encoding="utf-8")


@needs_hugo
def test_hugo_builds_the_export_and_renders_every_story(tmp_path):
    make_site(tmp_path)
    stories = corpus()
    report = export(MemorySource(stories), "hugo", tmp_path, NOW)
    assert len(report.exported) == len(stories)
    public = build(tmp_path)
    for story in stories:
        html = rendered_page(public, story.section, story.slug)
        assert f'<h1 class="headline">{_escaped(story.headline)}</h1>' in html, story.slug
        for tag, attrs in _tags(html):
            assert tag not in ("script", "iframe", "object", "embed", "svg", "style"), story.slug
            for name, value in attrs.items():
                assert not name.startswith("on"), (story.slug, name)
                assert not (value or "").strip().lower().startswith(
                    ("javascript:", "vbscript:", "data:text")
                ), (story.slug, name, value)
    metro = rendered_page(public, "News / Metro", "story-1")
    assert "By Ada Park and Tom Reyes" in metro and "Harbour City 2026-03-09" in metro
    assert "<strong>first sailing</strong>" in metro
    assert (public / "news" / "metro" / "index.html").exists()  # the section page
    hostile = rendered_page(public, "News / Odd", "hostile-shortcode")
    assert "A call {{< figure src=x >}} and {{% note %}} and a lone {{< opener" in unescape(
        hostile
    )


@needs_hugo
def test_front_matter_hugo_reads(tmp_path):
    story = approve(make_story(2, section="Sport", tags=("NO", "1e3"), headline="NO"))
    export(MemorySource([story]), "hugo", tmp_path, NOW)
    text = (tmp_path / "content/sport/story-2.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "NO" and front["tags"] == ["NO", "1e3"]
    assert front["slug"] == "story-2" and front["draft"] is False
    assert front["categories"] == ["Sport"]
    assert front["summary"] == story.deck
    assert front["date"] == "2026-03-10T11:00:00+00:00"
    assert front["byline"] == "By Ada Park and Tom Reyes"
    assert front["dateline"] == {"place": "Harbour City", "date": "2026-03-09"}
    assert front["newsdesk"]["content_hash"] == story.content_hash
    assert "ednote" not in text and "DESK-ONLY" not in text


@needs_hugo
def test_old_slugs_become_working_aliases(tmp_path):
    make_site(tmp_path)
    first = approve(make_story(1, slug="ferry-times"))
    export(MemorySource([first]), "hugo", tmp_path, NOW)
    renamed = approve(edit(first, slug="ferry-timetable"))
    former = {renamed.id: [("News / Metro", "ferry-times")]}
    export(MemorySource([renamed], former=former), "hugo", tmp_path, NOW)
    public = build(tmp_path)
    assert "route 1" in rendered_page(public, "News / Metro", "ferry-timetable")
    alias = rendered_page(public, "News / Metro", "ferry-times")
    assert "news/metro/ferry-timetable/" in alias  # a redirect page to the new URL


@needs_hugo
def test_embargo_sets_the_date_so_hugo_does_not_hide_the_page(tmp_path):
    make_site(tmp_path)
    story = approve(make_story(6, embargo=NOW.replace(hour=11, minute=30)))
    export(MemorySource([story]), "hugo", tmp_path, NOW)
    text = (tmp_path / "content/news/metro/story-6.md").read_text(encoding="utf-8")
    assert 'date: "2026-03-10T11:30:00+00:00"' in text.splitlines()
    rendered_page(build(tmp_path), "News / Metro", "story-6")


# Text that YAML would read as something else unquoted, and characters the writer escapes.
HOSTILE_FRONT_TEXT = 'NO: 2024-01-01 #x "q" \\b\\ - {a} *s &a !t %p @a `t` | > é 新闻 😀'


@needs_hugo
def test_hugo_reads_hostile_front_matter_as_the_text_it_is(tmp_path):
    make_site(tmp_path)
    story = approve(make_story(
        8, headline=HOSTILE_FRONT_TEXT, byline="By \x85Tab\tand\u2028Line", deck="yes",
        tags=("NO", "null", "- x", "{y}", "1e3"), dateline=Dateline("2024-01-01", None),
    ))
    export(MemorySource([story]), "hugo", tmp_path, NOW)
    html = rendered_page(build(tmp_path), "News / Metro", "story-8")
    assert f'<h1 class="headline">{_escaped(HOSTILE_FRONT_TEXT)}</h1>' in html
    assert '<p class="byline">By \x85Tab\tand\u2028Line</p>' in html
    assert '<p class="dateline">2024-01-01 </p>' in html


def test_page_bodies_are_sanitized_html_without_shortcode_openers():
    story = make_story(1, body="A {{< figure src=x >}} and {{% note %}}\n\n<script>x</script>")
    body = page_body(story)
    assert "{" not in body
    assert unescape(body) == (
        "<p>A {{< figure src=x >}} and {{% note %}}</p>\n<p><script>x</script></p>"
    )


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&#34;"
    )


def _tags(html: str):
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_a_correction_keeps_the_page_date_and_moves_lastmod():
    first = approve(make_story(1), at=NOW - timedelta(days=2))
    corrected = approve(edit(first, body="Corrected."), at=NOW - timedelta(hours=1))
    assert page_dates(corrected, corrected.approvals[-1]) == (
        NOW - timedelta(days=2), NOW - timedelta(hours=1)
    )
    held = approve(make_story(2, embargo=NOW), at=NOW - timedelta(hours=3))
    assert page_dates(held, held.approvals[-1]) == (NOW, NOW)
