"""formats/ninjs: stories as IPTC ninjs 2.2, validated against the IPTC schema."""

import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest

from newsdesk.formats.ninjs import byline_names, public_status, story_uri, to_ninjs
from tests.unit.publish.export_corpus import EDNOTE, NOW, corpus, make_story

# Shipped with the tests (MIT, tests/data/LICENSE-ninjs), so validation never skips.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "ninjs-schema_2.2.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft202012Validator  # the schema's own $schema
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(validator, doc) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.mark.parametrize("story", corpus(), ids=lambda s: s.slug)
def test_every_story_of_the_corpus_is_valid_ninjs(validator, story):
    doc = to_ninjs(story, now=NOW)
    assert errors(validator, doc) == []
    # Through JSON and back, as a receiver reads it.
    assert errors(validator, json.loads(json.dumps(doc))) == []


def test_the_validator_does_reject_what_ninjs_does_not_allow(validator):
    doc = to_ninjs(make_story(1), now=NOW)
    assert errors(validator, {**doc, "newsdesk_status": "approved"})
    assert errors(validator, {**doc, "pubstatus": "approved"})
    assert errors(validator, {k: v for k, v in doc.items() if k != "uri"})
    assert errors(validator, {**doc, "versioncreated": "yesterday"})  # formats are checked


def test_ednote_is_never_published():
    story = make_story(1, extra={"ednote": "x"})
    text = json.dumps(to_ninjs(story, now=NOW), ensure_ascii=False)
    assert EDNOTE not in text
    assert "ednote" not in to_ninjs(story, now=NOW)


def test_fields_map_onto_ninjs():
    story = make_story(1, revision=4)
    doc = to_ninjs(story, now=NOW)
    assert doc["uri"] == f"urn:newsdesk:story:{story.id}" == story_uri(story.id)
    assert doc["version"] == "4"
    assert doc["firstcreated"] == "2026-03-09T08:00:00+00:00"
    assert doc["versioncreated"] == "2026-03-09T09:00:00+00:00"
    assert doc["slugline"] == "story-1"
    assert doc["headlines"] == [
        {"role": "main", "contenttype": "text/plain", "value": story.headline}
    ]
    assert {d["role"]: d["value"] for d in doc["descriptions"]} == {
        "summary": story.deck,
        "caption": story.caption,
        "dateline": "Harbour City, 2026-03-09",
    }
    bodies = {b["contenttype"]: b for b in doc["bodies"]}
    assert "<strong>first sailing</strong>" in bodies["text/html"]["value"]
    assert bodies["text/plain"]["value"].startswith(
        "The harbour authority said the first sailing will leave at 6:15."
    )
    assert bodies["text/plain"]["wordcount"] == bodies["text/html"]["wordcount"] > 10
    assert doc["by"] == "By Ada Park and Tom Reyes"
    assert doc["people"] == [
        {"name": "Ada Park", "rel": "author"},
        {"name": "Tom Reyes", "rel": "author"},
        {"name": "Sam Ortiz", "rel": "editor"},
    ]
    assert doc["located"] == "Harbour City"
    assert doc["subjects"] == [
        {"name": "News / Metro", "rel": "section"},
        {"name": "transport", "rel": "keyword"},
        {"name": "ferries", "rel": "keyword"},
    ]
    assert doc["infosources"] == [{"name": "Staff"}]
    assert doc["language"] == "en"
    assert doc["pubstatus"] == "usable"
    assert "embargoed" not in doc


def test_uri_is_stable_across_revisions_and_slug_changes():
    story = make_story(1)
    later = story.replace(slug="renamed", revision=7, headline="Another headline")
    assert to_ninjs(story)["uri"] == to_ninjs(later)["uri"]
    assert to_ninjs(later)["version"] == "7"


def test_public_status_keeps_workflow_and_receiver_apart():
    story = make_story(1)
    assert public_status(story, NOW) == "usable"
    assert public_status(story.replace(status="spiked"), NOW) == "canceled"
    embargoed = story.replace(embargo=NOW + timedelta(hours=1))
    assert public_status(embargoed, NOW) == "withheld"
    assert public_status(embargoed, NOW + timedelta(hours=2)) == "usable"
    assert public_status(embargoed) == "withheld"
    doc = to_ninjs(embargoed, now=NOW)
    assert doc["pubstatus"] == "withheld"
    assert doc["embargoed"] == "2026-03-10T13:00:00+00:00"


def test_empty_fields_are_left_out_rather_than_emitted_empty(validator):
    story = make_story(3, deck="", caption="", byline="", editor="", source="", tags=(),
                       section="", body="", dateline=make_story(3).dateline.__class__())
    doc = to_ninjs(story, now=NOW)
    for key in ("descriptions", "bodies", "by", "people", "located", "subjects", "infosources"):
        assert key not in doc
    assert errors(validator, doc) == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Ada Park", ["Ada Park"]),
        ("by Ada Park, Tom Reyes and Li Wei", ["Ada Park", "Tom Reyes", "Li Wei"]),
        ("Ada Park & Tom Reyes", ["Ada Park", "Tom Reyes"]),
        ("记者 王芳", ["记者 王芳"]),
        ("", []),
    ],
)
def test_byline_names(byline, names):
    assert byline_names(byline) == names
