"""The checks panel: findings for the story in the window, debounced, clickable."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from newsdesk.domain.model import Dateline, Story
from newsdesk.ui.panes.checks_panel import FINDING_ROLE, ChecksPanel, where


def story(**changes) -> Story:
    fields = dict(
        slug="ferry",
        headline="Harbour ferry returns",
        deck="The ferry is back on the river.",
        byline="Mira Okafor",
        dateline=Dateline("Riverton", date(2026, 11, 24)),
        section="News / Metro",
        body="The ferry sailed on Monday.\n\nIt cost TK to refit.",
    )
    fields.update(changes)
    return Story(**fields)


class Source:
    """Stands in for the window: the story as it stands, and how often it was asked."""

    def __init__(self, value: Story | None):
        self.value = value
        self.calls = 0

    def __call__(self) -> Story | None:
        self.calls += 1
        return self.value


@pytest.fixture
def panel_for(qtbot, desk):
    def make(value: Story | None, delay_ms: int = 50) -> tuple[ChecksPanel, Source]:
        source = Source(value)
        panel = ChecksPanel(desk, source, delay_ms=delay_ms)
        qtbot.addWidget(panel)
        return panel, source

    return make


def items(panel: ChecksPanel) -> list[str]:
    return [panel.view.item(i).text() for i in range(panel.view.count())]


def test_refresh_lists_findings_with_where(panel_for):
    panel, _ = panel_for(story())
    panel.refresh()
    [text] = items(panel)
    assert "Unresolved placeholder “TK”" in text and "Body, line 3 · “TK”" in text
    assert panel.summary.text() == "1 error — 1 min read"


def test_typing_is_debounced_into_one_run(panel_for, qtbot):
    panel, source = panel_for(story(), delay_ms=30)
    for _ in range(5):
        panel.schedule()
    assert source.calls == 0
    qtbot.waitUntil(lambda: source.calls == 1)
    qtbot.wait(60)
    assert source.calls == 1 and panel.view.count() == 1


def test_clicking_a_finding_emits_it(panel_for, qtbot):
    value = story()
    panel, _ = panel_for(value)
    panel.refresh()
    panel.resize(320, 300)
    panel.show()
    qtbot.waitExposed(panel)
    item = panel.view.item(0)
    rect = panel.view.visualItemRect(item)
    with qtbot.waitSignal(panel.finding_activated) as signal:
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    finding = signal.args[0]
    assert finding == item.data(FINDING_ROLE)
    assert value.body[finding.start : finding.start + finding.length] == "TK"


def test_clean_story_and_no_story(panel_for):
    panel, source = panel_for(story(body="The ferry sailed on Monday."))
    panel.refresh()
    assert panel.view.count() == 0 and panel.summary.text() == "No problems found — 1 min read"
    source.value = None
    panel.refresh()
    assert panel.summary.text() == "No story open"


def test_style_notes_can_be_hidden(panel_for):
    panel, _ = panel_for(story(body='He said "yes".'))
    panel.refresh()
    assert panel.view.count() == 2 and "2 notes" in panel.summary.text()
    panel.show_notes.setChecked(False)
    assert panel.view.count() == 0


def test_where_names_metadata_fields():
    value = story(headline="")
    from newsdesk.copydesk.checks import run_checks

    finding = next(f for f in run_checks(value) if f.check == "headline")
    assert where(value, finding) == "Headline"


# --- in the main window ---


def finding_rows(panel: ChecksPanel) -> list:
    return [panel.view.item(i).data(FINDING_ROLE) for i in range(panel.view.count())]


def test_window_checks_follow_typing_and_select_text(qtbot, make_window, desk):
    from PySide6.QtGui import QTextCursor

    from tests.gui.conftest import body_input

    story = desk.create(
        headline="Tram depot reopens", byline="Ana Costa", section="News / Metro",
        dateline=Dateline("Eastgate", date(2026, 3, 4)), body="The depot is open again.",
    )
    window = make_window(desk)
    window.story_list.select_story(story.id)
    tools = window.copy_desk
    qtbot.waitUntil(
        lambda: tools.checks.summary.text().startswith("No problems found"), timeout=3000
    )

    body = body_input(window)
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(body, " It cost TK.")
    qtbot.waitUntil(lambda: any(f.check == "placeholder" for f in finding_rows(tools.checks)),
                    timeout=3000)
    [tk] = [f for f in finding_rows(tools.checks) if f.check == "placeholder"]
    tools.select_finding(tk)
    assert window.editor.rich.textCursor().selectedText() == "TK"

    window.metadata.headline.setText("A" * 70)
    qtbot.waitUntil(lambda: any(f.check == "headline" for f in finding_rows(tools.checks)),
                    timeout=3000)
    [long] = [f for f in finding_rows(tools.checks) if f.check == "headline"]
    tools.select_finding(long)
    assert window.metadata.headline.selectedText() == "A" * 6


def test_window_view_menu_toggles_checks_and_dashboard(make_window, desk):
    window = make_window(desk)
    tools = window.copy_desk
    assert tools.checks.isVisible() and not tools.dashboard_window.isVisible()
    tools.checks_action.setChecked(False)
    assert not tools.checks.isVisible()
    tools.dashboard_action.trigger()
    assert tools.dashboard_window.isVisible() and tools.dashboard.stats is not None


def test_spelling_squiggles_and_word_list(qtbot, desk):
    from PySide6.QtGui import QTextCharFormat, QTextDocument

    from newsdesk.ui.editor.spell_highlighter import SpellHighlighter

    document = QTextDocument("The ferry will recieve Lindqvist today.")
    highlighter = SpellHighlighter(document, desk, lambda: None)
    highlighter.rehighlight()

    def underlined() -> list[str]:
        block = document.firstBlock()
        return [
            block.text()[r.start : r.start + r.length]
            for r in block.layout().formats()
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
        ]

    assert underlined() == ["recieve", "Lindqvist"]
    desk.add_word("Lindqvist")
    highlighter.rehighlight()
    assert underlined() == ["recieve"]
    # Squiggles are drawn over the text, never written into it.
    assert document.toPlainText() == "The ferry will recieve Lindqvist today."
    highlighter.set_enabled(False)
    assert underlined() == []


def test_spelling_menu_offers_fixes_and_adds_words(qtbot, desk):
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QTextEdit

    from newsdesk.ui.editor.spell_highlighter import SpellHighlighter, spelling_menu

    edit = QTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText("They recieve Okonjo today.")
    edit.resize(400, 200)
    edit.show()
    qtbot.waitExposed(edit)
    highlighter = SpellHighlighter(edit.document(), desk, lambda: None)
    messages: list[str] = []

    def point_at(word: str):
        cursor = QTextCursor(edit.document())
        cursor.setPosition(edit.toPlainText().index(word) + 2)
        return edit.cursorRect(cursor).center()

    menu = spelling_menu(edit, point_at("recieve"), highlighter, messages.append)
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "receive" and "Add “recieve” to Word List" in texts
    next(a for a in menu.actions() if a.text() == "receive").trigger()
    assert edit.toPlainText() == "They receive Okonjo today."

    menu = spelling_menu(edit, point_at("Okonjo"), highlighter, messages.append)
    next(a for a in menu.actions() if a.text().startswith("Add “Okonjo”")).trigger()
    assert desk.rules().knows("okonjo") and messages == ["Added “Okonjo” to the newsroom word list"]
    menu = spelling_menu(edit, point_at("today"), highlighter, messages.append)
    assert not any(a.text().startswith("Add ") for a in menu.actions())


def test_switching_stories_squiggles_without_an_edit(qtbot, make_window, desk):
    from PySide6.QtGui import QTextCharFormat

    first = desk.create(headline="Ferry", body="The harbour ferry will recieve an engine.\n")
    second = desk.create(headline="Quay", body="Metres of new quay in a bright colour.\n")
    window = make_window(desk)
    changed: list[int] = []
    window.editor.changed.connect(lambda: changed.append(1))

    def underlined() -> list[str]:
        block = window.editor.rich.document().firstBlock()
        return [
            block.text()[r.start : r.start + r.length]
            for r in block.layout().formats()
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
        ]

    for story, expected in ((second, []), (first, ["recieve"]), (second, [])):
        window.story_list.select_story(story.id)
        qtbot.waitUntil(lambda expected=expected: underlined() == expected, timeout=3000)
    assert changed == []  # squiggles are drawn, not typed: nothing to save
    assert not window.editor.is_modified() and not window.isWindowModified()
