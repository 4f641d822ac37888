"""`newsdesk check` names a style finding a note, as the window does (issue 19)."""

from __future__ import annotations

from newsdesk.domain.model import Dateline, Story
from newsdesk.formats.markdown import dumps


def test_a_style_finding_is_a_note(newsdesk, tmp_path):
    story = Story(headline="Mayor speaks", slug="mayor-speaks", byline="Ana Costa",
                  section="News", dateline=Dateline("Leeds"), body='She said "yes" today.\n')
    path = tmp_path / "mayor.md"
    path.write_text(dumps(story), encoding="utf-8")
    newsdesk("import", str(path))
    text = newsdesk("check", "mayor-speaks").stdout
    assert [line.split()[0] for line in text.splitlines()[:-1]].count("note") == 2
    assert "info" not in text
    assert text.splitlines()[-1] == "mayor-speaks: 4 words, 1 min read; 3 findings, 0 errors"
    found = newsdesk.json("check", "mayor-speaks", "--json")["findings"]
    assert {f["severity"] for f in found if f["check"] == "quotes"} == {"note"}
