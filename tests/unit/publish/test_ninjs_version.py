"""ninjs `version` counts the versions that went out (issue 21): 1 for the first
publication, one more for each corrected or updated version, whatever number of saves
came between; schema-valid, and `newsdesk verify-export` (another process) still accepts
the tree and still refuses one whose version was changed by hand."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.domain import lifecycle
from newsdesk.domain.model import WorkflowAction
from newsdesk.paths import config_dir
from tests.unit.publish.test_export_lifecycle import as_, validator

AT = datetime(2026, 3, 2, tzinfo=UTC)


def save(desk: Desk, old: str, new: str) -> None:
    as_(desk, "Ada Writer", "editor")
    story = desk.find("tram-depot")
    desk.save(story.replace(body=story.body.replace(old, new)), story.revision)


def export(desk: Desk, root: Path) -> dict:
    as_(desk, "Xu Fang", "desk_chief")
    desk.export("ninjs", root)
    doc = json.loads((root / f"{desk.find('tram-depot').id}.json").read_text("utf-8"))
    assert [e.message for e in validator().iter_errors(doc)] == []
    return doc


def verify(root: Path) -> subprocess.CompletedProcess:
    """`newsdesk verify-export` run by the receiver, with the chief's keyring."""
    env = {**os.environ, "NEWSDESK_CONFIG_DIR": str(config_dir() / "Xu")}
    return subprocess.run([sys.executable, "-m", "newsdesk", "verify-export", str(root)],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as d:
        yield d


def test_version_counts_published_versions_not_saves(desk, tmp_path):
    as_(desk, "Ada Writer", "editor")
    story = desk.create(headline="Tram depot opens", slug="tram-depot", section="News / Metro",
                        body="Mayor Jon Smyth opened the depot on 9 March.")
    save(desk, "opened", "opened at last")
    save(desk, "at last", "at long last")  # three saves before the first publication
    desk.transition(story.id, "submit")
    as_(desk, "Xu Fang", "desk_chief")
    desk.transition(story.id, "approve")
    root = tmp_path / "ninjs"
    assert export(desk, root)["version"] == "1"
    assert desk.find("tram-depot").revision == 3

    # A correction after two saves: the second version.
    save(desk, "Smyth", "Smith")
    save(desk, "9 March", "10 March")
    desk.after_publication("tram-depot", "correct", desk.draft_note("tram-depot"))
    as_(desk, "Xu Fang", "desk_chief")
    desk.transition("tram-depot", "approve")
    assert export(desk, root)["version"] == "2"

    # An update and a correction recorded for the same edit: one new version.
    save(desk, "the depot", "the depot; police have made a statement")
    desk.after_publication("tram-depot", "update", "adds police statement")
    desk.after_publication("tram-depot", "correct", "The statement came from the police.")
    as_(desk, "Xu Fang", "desk_chief")
    desk.transition("tram-depot", "approve")
    doc = export(desk, root)
    assert doc["version"] == "3"
    assert [d["role"] for d in doc["descriptions"]].count("correction") == 2
    assert verify(root).returncode == 0, verify(root).stdout

    # The receiver finds a version changed by hand.
    page = root / f"{story.id}.json"
    page.write_text(page.read_text("utf-8").replace('"version": "3"', '"version": "7"'), "utf-8")
    tampered = verify(root)
    assert tampered.returncode == 1
    assert f"{story.id}.json" in tampered.stdout + tampered.stderr


def _note(kind: str, content_hash: str) -> WorkflowAction:
    return WorkflowAction(action=kind, actor="Ada", public_key="", at=AT, revision=2,
                          content_hash=content_hash, from_status="published",
                          to_status="published", note="n")


@pytest.mark.parametrize(("kinds", "expected"), [
    ((), 1),
    ((("correct", "a"),), 2),
    ((("correct", "a"), ("update", "a")), 2),  # the same edit: one version
    ((("correct", "a"), ("update", "b")), 3),
    ((("correct", "a"), ("kill", "b")), 2),  # a kill is no note
])
def test_version_table(kinds, expected):
    assert lifecycle.version([_note(*kind) for kind in kinds]) == expected
