"""A killed story's listings (issue 21): Hugo's section list (a real `hugo` build) and the
HTML index show the kill notice, never the story, with the house rule `kill_page:
notice`; with `kill_page: draft` the Hugo list shows nothing of it. The exported bytes
are checked, and `verify-export` accepts the tree and refuses an index edited by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.paths import config_dir
from newsdesk.publish.verify import verify_export
from tests.unit.publish.test_export_hugo import HUGO, build, make_site
from tests.unit.publish.test_export_lifecycle import as_

NOTICE = "Withdrawn for legal reasons."
LIST_LAYOUT = (
    "<!DOCTYPE html><html><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}"
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}'
    "</ul></body></html>\n"
)


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as d:
        yield d


def publish_two_then_kill_one(desk: Desk, root: Path, fmt: str, rule: str = "notice") -> None:
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "rules.yaml").write_text(f'kill_page: "{rule}"\n', encoding="utf-8")
    desk.reload_rules()
    as_(desk, "Ada Writer", "editor")
    for slug, headline, body in (("tram-depot", "Tram depot opens", "Mayor Jon Smith spoke."),
                                 ("bus-lane", "Bus lane delayed", "Work starts in May.")):
        story = desk.create(headline=headline, slug=slug, section="News / Metro", body=body)
        desk.transition(story.id, "submit")
    as_(desk, "Xu Fang", "desk_chief")
    for slug in ("tram-depot", "bus-lane"):
        desk.transition(slug, "approve")
    desk.export(fmt, root)
    desk.after_publication("tram-depot", "kill", NOTICE)
    desk.export(fmt, root)
    assert verify_export(root, desk.profile.keyring()).ok


def section_list(tree: Path, site: Path) -> str:
    """The News / Metro section page of a real Hugo build of the exported content."""
    shutil.copytree(tree / "content", site / "content")
    make_site(site)
    (site / "layouts" / "_default" / "list.html").write_text(LIST_LAYOUT, encoding="utf-8")
    public = build(site)
    return (public / "news" / "metro" / "index.html").read_text(encoding="utf-8")


def test_the_html_index_lists_the_notice_not_the_story(desk, tmp_path):
    root = tmp_path / "html"
    publish_two_then_kill_one(desk, root, "html")
    index = (root / "index.html").read_text("utf-8")
    assert ('<li class="killed"><a href="news/metro/tram-depot.html">Withdrawn: Tram depot '
            f'opens</a> <span class="kill-notice">{NOTICE}</span></li>') in index
    assert '<li><a href="news/metro/bus-lane.html">Bus lane delayed</a></li>' in index
    assert ">Tram depot opens<" not in index
    # The receiving side renders the index again from the manifest: an edit is found.
    (root / "index.html").write_text(index.replace("Withdrawn: ", ""), "utf-8")
    problems = verify_export(root, desk.profile.keyring()).problems
    assert any("index.html" in p for p in problems), problems


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_the_hugo_section_lists_the_notice(desk, tmp_path):
    root = tmp_path / "hugo"
    publish_two_then_kill_one(desk, root, "hugo")
    page = (root / "content/news/metro/tram-depot.md").read_text("utf-8")
    assert 'title: "Withdrawn: Tram depot opens"' in page
    assert f'summary: "{NOTICE}"' in page
    listed = section_list(root, tmp_path / "site")
    assert f'<a href="/news/metro/tram-depot/">Withdrawn: Tram depot opens</a> {NOTICE}' in listed
    assert ">Tram depot opens<" not in listed and "Smith" not in listed
    assert ">Bus lane delayed</a>" in listed


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_with_the_draft_rule_the_hugo_section_lists_nothing_of_it(desk, tmp_path):
    root = tmp_path / "hugo"
    publish_two_then_kill_one(desk, root, "hugo", rule="draft")
    listed = section_list(root, tmp_path / "site")
    assert "Tram depot" not in listed and NOTICE not in listed
    assert ">Bus lane delayed</a>" in listed
    assert not (tmp_path / "site/public/news/metro/tram-depot").exists()


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_a_section_holding_only_a_notice_keeps_its_list(desk, tmp_path):
    """The killed story was the section's only one: the section stays a section."""
    root = tmp_path / "hugo"
    publish_two_then_kill_one(desk, root, "hugo")
    as_(desk, "Xu Fang", "desk_chief")
    desk.transition("bus-lane", "spike")
    desk.export("hugo", root)
    assert (root / "content/news/metro/_index.md").exists()
    assert verify_export(root, desk.profile.keyring()).ok
    listed = section_list(root, tmp_path / "site")
    assert "Withdrawn: Tram depot opens" in listed and "Bus lane" not in listed


def test_a_notice_whose_page_a_live_story_took_is_not_listed(desk, tmp_path):
    """The killed story's slug went to a new story, which now has the page: the notice
    is not written, and the index (written listing it) is written again without it."""
    root = tmp_path / "html"
    publish_two_then_kill_one(desk, root, "html")
    killed = desk.find("tram-depot")
    desk.change_slug(killed.id, "tram-depot-killed")
    as_(desk, "Ada Writer", "editor")
    story = desk.create(headline="Tram depot reopens", slug="tram-depot", section="News / Metro",
                        body="Doors open at nine.")
    desk.transition(story.id, "submit")
    as_(desk, "Xu Fang", "desk_chief")
    desk.transition(story.id, "approve")
    report = desk.export("html", root)
    assert any(sid == killed.id and "belongs to another story" in why
               for sid, _slug, why in report.skipped), report.skipped
    index = (root / "index.html").read_text("utf-8")
    assert "Withdrawn" not in index and ">Tram depot reopens</a>" in index
    assert verify_export(root, desk.profile.keyring()).ok
