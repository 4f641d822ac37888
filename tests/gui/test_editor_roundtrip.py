"""The body editor never damages a body: loading it into a Qt document and reading it
back gives identical text (the engine's own tests, without Qt, are in
tests/unit/formats/test_markdown_source.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from PySide6.QtGui import QTextDocument

from newsdesk.formats.source.blocks import split_blocks
from newsdesk.ui.editor import BodyEditor
from newsdesk.ui.editor.document import render, to_markdown
from tests.unit.formats.source_corpus import BODIES, CORPUS


def roundtrip(qtbot, text: str) -> str:
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.set_markdown(text)
    return editor.markdown()


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_unchanged_body_comes_back_identical(qtbot, text):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    editor.set_markdown(text)
    assert editor.markdown() == text
    assert not editor.is_modified()
    # through the source view and back, still untouched
    editor.show_source(True)
    assert editor.markdown() == text
    editor.show_source(False)
    assert editor.markdown() == text


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(BODIES)
def test_generated_bodies_come_back_identical(qapp, text):
    doc = QTextDocument()
    layout = split_blocks(text)
    assert layout.text() == text
    signatures = render(layout, doc)
    assert to_markdown(doc, layout, signatures)[0] == text


