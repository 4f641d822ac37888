"""The kill notice each writer renders (pure): at the story's paths, the notice and nothing
of the story, and Hugo's house rule (a notice page, or the page as a draft)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml

from newsdesk.domain.model import WorkflowAction
from newsdesk.identity.signing import Keyring, generate_key, public_key_text, sign_action
from newsdesk.publish import html, hugo, ninjs
from newsdesk.publish.lifecycle import KillNotice, kill_problem

KEY = generate_key()
KILL = sign_action("s-1", WorkflowAction(
    "kill", "Xu Fang", public_key_text(KEY), datetime(2026, 3, 2, 9, 30, 0, 1234, tzinfo=UTC),
    4, "sha256:00", "published", "killed", "Withdrawn {{< x >}} <b>for legal reasons</b>."),
    KEY)


def notice(rule: str = "notice") -> KillNotice:
    return KillNotice("s-1", "tram-depot", "Tram depot opens", "News / Metro", "en", KILL, rule)


@pytest.mark.parametrize(("rule", "draft"), [("notice", False), ("draft", True)])
def test_hugo_kill_page_follows_the_house_rule(rule: str, draft: bool) -> None:
    [(path, data)] = hugo.kill_files(notice(rule)).items()
    assert path == "content/news/metro/tram-depot.md"
    text = data.decode()
    matter = yaml.safe_load(text.split("---\n")[1])
    assert matter["draft"] is draft
    assert matter["killed"] == {"date": "2026-03-02T09:30:00+00:00", "note": KILL.note}
    assert "{{<" not in text.split("---\n")[2]  # no shortcode can start
    assert "&lt;b&gt;" in text


def test_ninjs_and_html_notices() -> None:
    [(path, data)] = ninjs.kill_files(notice()).items()
    doc = json.loads(data)
    assert (path, doc["pubstatus"], doc["uri"]) == ("s-1.json", "canceled",
                                                    "urn:newsdesk:story:s-1")
    [(path, data)] = html.kill_files(notice()).items()
    assert path == "news/metro/tram-depot.html"
    assert "<b>" not in data.decode() and "Withdrawn: Tram depot opens" in data.decode()


def test_a_notice_round_trips_through_the_manifest_form() -> None:
    assert KillNotice.from_dict(notice("draft").as_dict()) == notice("draft")


def test_kill_problems() -> None:
    assert kill_problem("s-1", KILL, None) == ""
    assert kill_problem("s-1", KILL, Keyring({"Xu Fang": public_key_text(KEY)})) == ""
    assert "not in the keyring" in kill_problem("s-1", KILL, Keyring())
    as_li = Keyring({"Li Wei": public_key_text(KEY)})
    assert "trusted as Li Wei" in kill_problem("s-1", KILL, as_li)
    assert "does not verify" in kill_problem("s-2", KILL, None)  # signed for another story
    assert "no signed kill" in kill_problem("s-1", None, None)


def test_a_killed_story_in_a_sync_conflict_still_goes_out_as_its_notice(tmp_path) -> None:
    """A conflict holds a story's earlier files as they were; a killed story's must not
    stay live for that: its notice replaces them whatever the conflict."""
    from newsdesk.publish.export import export
    from newsdesk.publish.verify import verify_export
    from tests.unit.publish.export_corpus import KEY as CHIEF_KEY
    from tests.unit.publish.export_corpus import KEYRING, NOW, SIGNER, approve, make_story
    from tests.unit.publish.export_source import MemorySource

    story = approve(make_story(1), status="published")
    export(MemorySource([story]), "html", tmp_path, NOW, signer=SIGNER)
    kill = sign_action(story.id, WorkflowAction(
        "kill", SIGNER.name, public_key_text(CHIEF_KEY), NOW, story.revision,
        story.content_hash, "published", "killed", "Withdrawn."), CHIEF_KEY)
    killed = story.replace(status="killed", actions=(kill,))
    source = MemorySource([killed], open_conflicts={story.id: "body"})
    report = export(source, "html", tmp_path, NOW, signer=SIGNER)
    assert report.killed == [story.id] and report.exported == []
    page = (tmp_path / "news" / "metro" / "story-1.html").read_text("utf-8")
    assert "Withdrawn." in page and "first sailing" not in page
    assert verify_export(tmp_path, KEYRING).ok
