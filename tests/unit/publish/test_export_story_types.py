"""A story's type in the exports: ninjs `genres` (valid against the 2.2 schema), Hugo's
`type` (a real build picks the type's layout, and falls back when the site has none), and
the HTML page's class and label."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from newsdesk.formats.html import render_story_html
from newsdesk.formats.ninjs import to_ninjs
from newsdesk.publish.export import export
from newsdesk.publish.hugo import page_url
from tests.unit.publish.export_corpus import NOW, approve, make_story
from tests.unit.publish.export_source import MemorySource

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "ninjs-schema_2.2.json"
HUGO = shutil.which("hugo")
SITE = 'baseURL = "https://news.example/"\ntitle = "Test desk"\nlanguageCode = "en"\n'
LAYOUTS = {
    "_default/single.html": '<html><body><p class="layout">default</p>{{ .Content }}'
                            "</body></html>\n",
    "_default/list.html": "<html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n",
    "opinion/single.html": '<html><body><p class="layout">opinion</p>{{ .Content }}'
                           "</body></html>\n",
}


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.mark.parametrize(("kind", "name"), [
    ("news", "News"), ("brief", "Brief"), ("opinion", "Opinion"), ("obituary", "Obituary"),
    ("house-special", "House-special"),
])
def test_ninjs_carries_the_type_as_a_genre(validator, kind, name):
    doc = to_ninjs(make_story(1, type=kind), now=NOW)
    assert doc["genres"] == [{"name": name, "uri": f"urn:newsdesk:type:{kind}"}]
    assert list(validator.iter_errors(json.loads(json.dumps(doc)))) == []


def test_the_validator_rejects_a_genre_ninjs_does_not_allow(validator):
    doc = to_ninjs(make_story(1, type="brief"), now=NOW)
    doc["genres"] = [{"name": "Brief", "kind": "brief"}]
    assert list(validator.iter_errors(doc))


def test_html_pages_show_a_type_other_than_news():
    page = render_story_html(make_story(1, type="opinion"))
    assert '<article class="type-opinion">' in page and '<p class="type">Opinion</p>' in page
    plain = render_story_html(make_story(1))
    assert "<article>" in plain and 'class="type' not in plain


def test_hugo_front_matter_names_a_type_other_than_news(tmp_path):
    stories = [approve(make_story(1, type="opinion", section="Opinion")),
               approve(make_story(2, section="Sport"))]
    export(MemorySource(stories), "hugo", tmp_path, NOW)
    opinion = (tmp_path / "content/opinion/story-1.md").read_text(encoding="utf-8")
    assert yaml.safe_load(opinion.split("---\n")[1])["type"] == "opinion"
    news = (tmp_path / "content/sport/story-2.md").read_text(encoding="utf-8")
    assert "type" not in yaml.safe_load(news.split("---\n")[1])  # its section's layouts


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed (apt-get install hugo)")
def test_hugo_uses_the_type_layout_and_falls_back_without_one(tmp_path):
    (tmp_path / "hugo.toml").write_text(SITE, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = tmp_path / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    stories = [approve(make_story(1, type="opinion", section="Opinion")),
               approve(make_story(2, type="obituary", section="News")),
               approve(make_story(3, section="Sport"))]
    export(MemorySource(stories), "hugo", tmp_path, NOW)
    result = subprocess.run(
        [HUGO, "--source", str(tmp_path), "--destination", str(tmp_path / "public"), "--quiet"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr

    def layout(story) -> str:
        page = tmp_path / "public" / page_url(story.section, story.slug).strip("/")
        return (page / "index.html").read_text(encoding="utf-8")

    assert '<p class="layout">opinion</p>' in layout(stories[0])
    assert '<p class="layout">default</p>' in layout(stories[1])  # no obituary layout
    assert '<p class="layout">default</p>' in layout(stories[2])
