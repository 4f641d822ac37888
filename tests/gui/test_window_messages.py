"""What the window says: counted nouns, one word for a finding's severity (issue 19)."""

from __future__ import annotations

from newsdesk.domain.model import Story
from newsdesk.formats.markdown import dumps
from newsdesk.ui.jobs.imports import ImportSummary


def test_importing_one_story_says_one_story(qtbot, make_window, desk, tmp_path):
    path = tmp_path / "one.md"
    path.write_text(dumps(Story(headline="Bridge closes", slug="bridge-closes", body="Text.")),
                    encoding="utf-8")
    window = make_window(desk)
    results: list[ImportSummary] = []
    window.import_paths([path], quiet=True)
    window.importer.running[-1].done.connect(results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    qtbot.waitUntil(lambda: "Imported" in window.status.currentMessage())
    assert window.status.currentMessage() == "Imported 1 story"


def test_style_findings_are_notes_in_the_window_as_in_the_command(qtbot, make_window, desk):
    from newsdesk.copydesk.checks import SEVERITIES
    from newsdesk.ui.panes.checks_panel import SEVERITY_LABELS

    assert SEVERITIES == ("error", "warning", "note")
    assert all(SEVERITY_LABELS[s] == s for s in SEVERITIES)
