"""After publication through the exports: a story published, corrected, updated and killed
goes out right at each step in all three formats (ninjs valid against the IPTC schema, a
real Hugo build), and verify-export checks the notes and the signed kill."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from newsdesk.desk import Desk
from newsdesk.identity.profile import Profile
from newsdesk.identity.signing import Keyring
from newsdesk.paths import config_dir
from newsdesk.publish.verify import verify_export
from tests.unit.publish.test_export_hugo import HUGO, build, make_site, rendered_page

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "ninjs-schema_2.2.json"
FORMATS = ("ninjs", "hugo", "html")
PAGES = {"hugo": "content/news/metro/tram-depot.md", "html": "news/metro/tram-depot.html"}


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as d:
        yield d


def as_(desk: Desk, name: str, role: str) -> None:
    desk.use_profile(Profile(name, role, folder=config_dir() / name.split()[0]).save())


def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def export_all(desk: Desk, root: Path) -> dict[str, str]:
    """Export every format, check each tree, and return the story's page in each."""
    pages = {}
    for fmt in FORMATS:
        desk.export(fmt, root / fmt)
        check = verify_export(root / fmt, desk.profile.keyring())
        assert check.ok, check.problems
    story_id = desk.find("tram-depot").id
    doc = json.loads((root / "ninjs" / f"{story_id}.json").read_text("utf-8"))
    errors = [e.message for e in validator().iter_errors(doc)]
    assert errors == []
    pages["ninjs"] = doc
    for fmt, path in PAGES.items():
        pages[fmt] = (root / fmt / path).read_text("utf-8")
    return pages


def hugo_page(tree: Path, site: Path) -> str:
    """The story's page as a real Hugo build of the exported content renders it."""
    shutil.copytree(tree / "content", site / "content")
    make_site(site)
    return rendered_page(build(site), "News / Metro", "tram-depot")


def front_matter(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def edit(desk: Desk, old: str, new: str) -> None:
    as_(desk, "Ada Writer", "editor")
    story = desk.find("tram-depot")
    desk.save(story.replace(body=story.body.replace(old, new)), story.revision)


def approve_again(desk: Desk) -> None:
    as_(desk, "Xu Fang", "desk_chief")
    desk.transition("tram-depot", "approve")


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_published_corrected_updated_killed_in_every_format(desk, tmp_path):
    as_(desk, "Ada Writer", "editor")
    story = desk.create(headline="Tram depot opens", slug="tram-depot", section="News / Metro",
                        body="Mayor Jon Smyth opened the depot on 9 March.")
    desk.transition(story.id, "submit")
    approve_again(desk)
    first = export_all(desk, tmp_path)
    assert first["ninjs"]["pubstatus"] == "usable"
    assert "corrections" not in front_matter(first["hugo"])

    # Correct: the note drafted from the diff, recorded, approved, exported.
    edit(desk, "Smyth", "Smith")
    note = desk.draft_note("tram-depot")
    assert note == "An earlier version of this story misspelled Smith as Smyth."
    desk.after_publication("tram-depot", "correct", note)
    approve_again(desk)
    corrected = export_all(desk, tmp_path)
    doc = corrected["ninjs"]
    assert int(doc["version"]) > int(first["ninjs"]["version"])
    assert doc["versioncreated"] >= first["ninjs"]["versioncreated"]
    assert {"role": "correction", "contenttype": "text/plain",
            "value": f"Correction, {_day(desk)}: {note}"} in doc["descriptions"]
    assert doc["bodies"][0]["value"].endswith(
        f'<aside class="corrections">\n<p class="correction">Correction, {_day(desk)}: '
        f"{note}</p>\n</aside>")
    matter = front_matter(corrected["hugo"])
    assert [c["note"] for c in matter["corrections"]] == [note]
    assert matter["lastmod"] >= front_matter(first["hugo"])["lastmod"]  # to the second
    assert matter["date"] == front_matter(first["hugo"])["date"]
    body_end = corrected["html"].index("</div>\n</article>")
    assert corrected["html"].index(note) < body_end  # under the body, inside it
    assert note in hugo_page(tmp_path / "hugo", tmp_path / "site1")

    # Update: distinct from a correction, in the history and in every format.
    edit(desk, "the depot", "the depot; police have made a statement")
    desk.after_publication("tram-depot", "update", "adds police statement")
    approve_again(desk)
    updated = export_all(desk, tmp_path)
    roles = [d["role"] for d in updated["ninjs"]["descriptions"]]
    assert roles.count("correction") == 1 and roles.count("update") == 1
    assert "Updated " in updated["ninjs"]["bodies"][1]["value"]
    matter = front_matter(updated["hugo"])
    assert [u["note"] for u in matter["updates"]] == ["adds police statement"]
    assert len(matter["corrections"]) == 1
    assert '<p class="update">Updated ' in updated["html"]
    assert [e.kind for e in desk.corrections_log()] == ["update", "correct"]

    # Kill: signed by a desk chief; every format carries the notice instead of the story.
    as_(desk, "Li Wei", "desk_chief")
    desk.after_publication("tram-depot", "kill", "Withdrawn for legal reasons.")
    killed = export_all(desk, tmp_path)
    doc = killed["ninjs"]
    assert doc["pubstatus"] == "canceled"
    assert doc["descriptions"] == [{"role": "kill", "contenttype": "text/plain",
                                    "value": "Withdrawn for legal reasons."}]
    assert "Smith" not in json.dumps(doc)
    matter = front_matter(killed["hugo"])
    assert matter["killed"]["note"] == "Withdrawn for legal reasons."
    assert matter["draft"] is False and "Smith" not in killed["hugo"]
    assert "Withdrawn for legal reasons." in killed["html"] and "Smith" not in killed["html"]
    page = hugo_page(tmp_path / "hugo", tmp_path / "site2")
    assert "Withdrawn for legal reasons." in page and "Smith" not in page
    manifest = json.loads((tmp_path / "ninjs" / "manifest.json").read_text("utf-8"))
    assert manifest["stories"] == [] and manifest["withdrawn"] == []
    [entry] = manifest["killed"]
    assert (entry["id"], entry["action"]["action"], entry["action"]["actor"]) == (
        story.id, "kill", "Li Wei")

    # The receiving side: the kill must be signed by a trusted desk chief.
    problems = verify_export(tmp_path / "html", Keyring()).problems
    assert any("the kill by Li Wei was signed with a key that is not in the keyring" in p
               for p in problems), problems
    # A notice edited on disk no longer matches.
    (tmp_path / "html" / PAGES["html"]).write_text("<p>Back again</p>", "utf-8")
    problems = verify_export(tmp_path / "html", desk.profile.keyring()).problems
    assert any("changed since export" in p for p in problems), problems
    # And an export again puts the notice back, and nothing else.
    desk.export("html", tmp_path / "html", full=True)
    assert verify_export(tmp_path / "html", desk.profile.keyring()).ok


def _day(desk: Desk) -> str:
    at = desk.corrections_log()[0].at
    return f"{at.day} {at:%b %Y}"


def test_the_house_rule_makes_a_killed_hugo_page_a_draft(desk, tmp_path):
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "rules.yaml").write_text('kill_page: "draft"\n', encoding="utf-8")
    desk.reload_rules()
    as_(desk, "Ada Writer", "editor")
    story = desk.create(headline="Tram depot opens", slug="tram-depot", section="News / Metro",
                        body="Doors open at nine.")
    desk.transition(story.id, "submit")
    approve_again(desk)
    desk.export("hugo", tmp_path / "hugo")
    desk.after_publication(story.id, "kill", "Withdrawn.")
    desk.export("hugo", tmp_path / "hugo")
    page = (tmp_path / "hugo" / PAGES["hugo"]).read_text("utf-8")
    assert front_matter(page)["draft"] is True and "Withdrawn." in page
    assert verify_export(tmp_path / "hugo", desk.profile.keyring()).ok
