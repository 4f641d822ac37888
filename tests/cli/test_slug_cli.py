"""End to end: `newsdesk slug` gives a story a new slug, and the old URL keeps working."""

from __future__ import annotations

import json

from tests.cli.test_export_cli import set_up_desk
from tests.unit.publish.test_export_hugo import build, make_site, needs_hugo, rendered_page


def test_slug_renames_a_story_and_refuses_bad_or_taken_slugs(newsdesk, tmp_path):
    for name, slug in (("one.md", "ferry-times"), ("two.md", "bus-lanes")):
        (tmp_path / name).write_text(
            f'---\nheadline: "Story {slug}"\nslug: "{slug}"\n---\nText.\n', encoding="utf-8"
        )
    newsdesk("import", str(tmp_path / "one.md"), str(tmp_path / "two.md"))
    done = newsdesk("slug", "ferry-times", "ferry-timetable")
    assert "ferry-times -> ferry-timetable" in done.stdout
    story = newsdesk.json("show", "ferry-timetable", "--json")
    assert story["revision"] == 2
    # Refusals: one line on stderr, exit 2, nothing changed.
    for bad, words in (
        ("bus-lanes", "already used by 'Story bus-lanes'"),
        ("../../etc/x", "use lower-case ASCII letters"),
        ("Ferry Times", "use lower-case ASCII letters"),
        ("", "a slug is required"),
    ):
        refused = newsdesk("slug", "ferry-timetable", bad, check=2)
        assert words in refused.stderr and refused.stderr.count("\n") == 1, refused.stderr
    assert newsdesk.json("show", "ferry-timetable", "--json")["revision"] == 2
    history = newsdesk.json("history", "ferry-timetable", "--json")
    (event,) = [e for e in history["events"] if e["action"] == "slug_changed"]
    assert event["note"] == "slug changed from ferry-times to ferry-timetable"
    as_json = newsdesk.json("slug", "ferry-timetable", "ferry-timetable", "--json")
    assert as_json["old_slug"] == as_json["slug"] == "ferry-timetable"
    newsdesk("slug", "nothing-like-this", "x", check=2)


@needs_hugo
def test_a_changed_slug_keeps_its_old_url_in_the_hugo_export(newsdesk, tmp_path):
    """The old slug is kept as an alias for exports: after the rename is approved and
    exported, a real hugo build serves the new page and redirects the old URL to it."""

    def as_(folder: str):
        env = {"NEWSDESK_CONFIG_DIR": str(tmp_path / folder)}
        return lambda *args, check=0: newsdesk(*args, env=env, check=check)

    writer, chief = set_up_desk(as_, tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    make_site(site)
    chief("export", "--format", "hugo", "--out", str(site))
    assert (site / "content/news/metro/night-ferries.md").is_file()
    writer("slug", "night-ferries", "night-boats")
    history = json.loads(chief("history", "night-boats", "--json").stdout)
    assert history["approval_voided"]  # the URL is part of what a desk chief approves
    chief("approve", "night-boats")
    chief("export", "--format", "hugo", "--out", str(site))
    page = (site / "content/news/metro/night-boats.md").read_text(encoding="utf-8")
    assert 'aliases: ["/news/metro/night-ferries/"]\n' in page
    assert not (site / "content/news/metro/night-ferries.md").exists()
    public = build(site)
    assert "Boats leave every twenty minutes" in rendered_page(public, "News / Metro",
                                                                "night-boats")
    assert "news/metro/night-boats/" in rendered_page(public, "News / Metro", "night-ferries")
