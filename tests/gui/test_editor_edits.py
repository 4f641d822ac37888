"""Editing in the body editor gives the Markdown a person expects; the rest stays as it was."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCharFormat, QTextCursor, QTextDocument

from newsdesk.domain.model import word_count
from newsdesk.formats.source.blocks import split_blocks
from newsdesk.formats.source.inline_write import quote_href
from newsdesk.ui.editor import BodyEditor, PreviewPane
from newsdesk.ui.editor.document import P_RAW, block_kind, prop, render, signature, to_markdown
from tests.unit.formats.source_corpus import BODIES, CORPUS

AWKWARD = (
    "Intro with <TK> and [[check name]] and 2*3*4 and snake_case_word.\n"
    "\n"
    "The budget passed on Tuesday.\n"
    "\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n"
    "\n"
    "Hard break here  \nand a backslash one\\\nend.\n"
    "\n"
    "```\n*code*\n```\n"
    "\n"
    "Last line, no newline"
)


@pytest.fixture
def editor(qtbot) -> BodyEditor:
    widget = BodyEditor()
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    return widget


def block_end(editor: BodyEditor, number: int) -> None:
    cursor = QTextCursor(editor.rich.document().findBlockByNumber(number))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.rich.setTextCursor(cursor)


def select_words(editor: BodyEditor, words: str) -> None:
    offset = editor.plain_text().index(words)
    editor.select_text(offset, len(words))


def test_typing_into_a_paragraph_changes_only_that_paragraph(editor, qtbot):
    editor.set_markdown(AWKWARD)
    with qtbot.waitSignal(editor.changed):
        block_end(editor, 1)
        qtbot.keyClicks(editor.rich, " Finally")
    expected = AWKWARD.replace("on Tuesday.", "on Tuesday. Finally")
    assert editor.markdown() == expected
    assert editor.is_modified()


def test_bold_a_word(editor):
    editor.set_markdown(AWKWARD)
    select_words(editor, "budget")
    editor.action_bold.trigger()
    assert editor.markdown() == AWKWARD.replace("The budget", "The **budget**")
    select_words(editor, "Tuesday")
    editor.action_italic.trigger()
    assert "The **budget** passed on *Tuesday*.\n" in editor.markdown()


def test_bold_is_toggled_off_again(editor):
    editor.set_markdown("Some **bold** words.\n")
    select_words(editor, "bold")
    assert editor.action_bold.isChecked()
    editor.action_bold.trigger()
    assert editor.markdown() == "Some bold words.\n"


def test_make_a_bulleted_and_a_numbered_list(editor):
    editor.set_markdown("Intro.\n\nApples\n\nPears\n\nOutro <TK>.\n")
    cursor = editor.rich.textCursor()
    cursor.setPosition(editor.rich.document().findBlockByNumber(1).position())
    cursor.setPosition(editor.rich.document().findBlockByNumber(2).position() + 2,
                       QTextCursor.MoveMode.KeepAnchor)
    editor.rich.setTextCursor(cursor)
    editor.action_bullets.trigger()
    assert editor.markdown() == "Intro.\n\n- Apples\n- Pears\n\nOutro <TK>.\n"
    editor.action_numbers.trigger()
    assert editor.markdown() == "Intro.\n\n1. Apples\n2. Pears\n\nOutro <TK>.\n"
    editor.action_numbers.trigger()
    assert editor.markdown() == "Intro.\n\nApples\n\nPears\n\nOutro <TK>.\n"


def test_enter_in_a_list_adds_an_item_and_keeps_the_other_items(editor, qtbot):
    editor.set_markdown("* one\n* two\n\nAfter.\n")
    block_end(editor, 1)
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.rich, "three")
    assert editor.markdown() == "* one\n* two\n* three\n\nAfter.\n"
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)  # on an empty item: leave the list
    qtbot.keyClicks(editor.rich, "Plain")
    assert editor.markdown() == "* one\n* two\n* three\n\nPlain\n\nAfter.\n"


def test_headings_quotes_and_paragraphs(editor, qtbot):
    editor.set_markdown("Title line\n\nA quote.\n")
    block_end(editor, 0)
    editor.action_heading2.trigger()
    assert editor.markdown() == "## Title line\n\nA quote.\n"
    editor.action_heading3.trigger()
    assert editor.markdown() == "### Title line\n\nA quote.\n"
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)  # after a heading comes a paragraph
    qtbot.keyClicks(editor.rich, "Body")
    assert editor.markdown() == "### Title line\n\nBody\n\nA quote.\n"
    block_end(editor, 2)
    editor.action_quote.trigger()
    assert editor.markdown() == "### Title line\n\nBody\n\n> A quote.\n"
    block_end(editor, 0)
    editor.action_paragraph.trigger()
    assert editor.markdown() == "Title line\n\nBody\n\n> A quote.\n"


def test_link_from_selection_and_removal(editor):
    editor.set_markdown("See the report today.\n")
    editor.ask_url = lambda current: "https://example.org/report"
    select_words(editor, "the report")
    editor.action_link.trigger()
    assert editor.markdown() == "See [the report](https://example.org/report) today.\n"
    editor.ask_url = lambda current: ""
    select_words(editor, "report")
    editor.rich.moveCursor(QTextCursor.MoveOperation.Left)
    editor.action_link.trigger()
    assert editor.markdown() == "See the report today.\n"


def test_typed_markup_characters_are_escaped_and_raw_text_is_not_extended(editor, qtbot):
    editor.set_markdown("Price <TK>\n")
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, " is 2*3 or *x* [y](z)")
    assert editor.markdown() == "Price <TK> is 2\\*3 or \\*x\\* \\[y](z)\n"


def test_new_paragraph_and_hard_break(editor, qtbot):
    editor.set_markdown("First\n")
    block_end(editor, 0)
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor.rich, "same paragraph")
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.rich, "# Second")
    assert editor.markdown() == "First  \nsame paragraph\n\n\\# Second\n"


def test_undo_returns_the_identical_body(editor, qtbot):
    editor.set_markdown(AWKWARD)
    select_words(editor, "budget")
    editor.action_bold.trigger()
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, "!")
    assert editor.is_modified()
    while editor.action_undo.isEnabled():
        editor.action_undo.trigger()
    assert editor.markdown() == AWKWARD
    assert not editor.is_modified()
    editor.action_redo.trigger()
    assert editor.markdown() != AWKWARD


def test_set_markdown_clears_history_and_modified_state(editor, qtbot):
    editor.set_markdown("One\n")
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, "x")
    editor.set_markdown("Two\n")
    assert not editor.action_undo.isEnabled()
    assert not editor.is_modified()
    assert editor.markdown() == "Two\n"
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, "!")
    editor.mark_saved()
    assert not editor.is_modified()


def test_counts_follow_the_text(editor, qtbot):
    seen = []
    editor.counts_changed.connect(lambda words, chars: seen.append((words, chars)))
    editor.set_markdown("Three **short** words\n\n- and two\n")
    assert seen[-1] == (word_count(editor.markdown()), len("Three short words") + 7)
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, " more")
    assert seen[-1] == (6, len("Three short words more") + 7)
    assert "6 words" in editor.count_label.text()


def test_find_replace_and_case(editor, qtbot):
    editor.set_markdown("Cat and cat and CAT.\n\n| cat |\n|---|\n")
    editor.action_find.trigger()
    bar = editor.find_bar
    assert not bar.isHidden()
    bar.find_edit.setText("cat")
    assert bar.find()
    assert editor.rich.textCursor().selectedText() == "Cat"
    bar.case_box.setChecked(True)
    assert bar.find()
    assert editor.rich.textCursor().selectedText() == "cat"
    assert editor.rich.textCursor().selectionStart() == 8
    editor.action_replace.trigger()
    bar.find_edit.setText("cat")
    bar.replace_edit.setText("dog")
    assert bar.replace_all() == 2
    assert editor.markdown() == "Cat and dog and CAT.\n\n| dog |\n|---|\n"
    editor.action_undo.trigger()  # one step undoes every replacement
    assert editor.markdown() == "Cat and cat and CAT.\n\n| cat |\n|---|\n"
    bar.find_edit.setText("nothing like this")
    assert not bar.find()
    assert bar.status.text() == "Not found"
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert bar.isHidden()


def test_source_view_edits_carry_over(editor, qtbot):
    editor.set_markdown(AWKWARD)
    editor.action_source.trigger()
    assert editor.is_source_shown()
    assert editor.source.toPlainText() == AWKWARD
    with qtbot.waitSignal(editor.changed):
        cursor = editor.source.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText("\n\nNew **para** from source.")
        editor.source.setTextCursor(cursor)
    expected = AWKWARD + "\n\nNew **para** from source."
    assert editor.markdown() == expected
    assert not editor.action_bold.isEnabled()
    editor.action_source.trigger()
    assert not editor.is_source_shown()
    assert editor.markdown() == expected
    assert "New para from source." in editor.plain_text()
    assert editor.is_modified()


def test_select_text_and_select_range(editor):
    editor.set_markdown("## Héad 🎉\n\nThe **budget** passed.\n")
    editor.select_text(editor.plain_text().index("budget"), 6)
    assert editor.rich.textCursor().selectedText() == "budget"
    markdown = editor.markdown()
    start = markdown.index("budget")
    editor.select_range(start, start + 6)
    assert editor.rich.textCursor().selectedText() == "budget"
    editor.show_source(True)
    editor.select_range(start, start + 6)
    assert editor.source.textCursor().selectedText() == "budget"


def test_read_only(editor, qtbot):
    editor.set_markdown("Locked text.\n")
    editor.set_read_only(True)
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, "x")
    assert editor.markdown() == "Locked text.\n"
    assert not editor.action_bold.isEnabled()
    assert not editor.action_replace.isEnabled()
    editor.set_read_only(False)
    assert editor.action_bold.isEnabled()


def test_actions_have_standard_shortcuts(editor):
    def keys(action):
        return [s.toString() for s in action.shortcuts()]

    assert QKeySequence(QKeySequence.StandardKey.Bold).toString() in keys(editor.action_bold)
    assert "Ctrl+K" in keys(editor.action_link)
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= set(keys(editor.action_redo))
    assert "Ctrl+H" in keys(editor.action_replace)
    assert len(editor.editor_actions()) == 14
    assert all(action.toolTip() for action in editor.editor_actions())


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_rewritten_blocks_read_back_the_same(qapp, text):
    """Every block written from its formats (as after an edit) shows the same again."""

    def shown(markdown: str) -> list:
        doc = QTextDocument()
        signatures = render(split_blocks(markdown), doc)
        out = []
        for sig in signatures:
            kind, where, content = sig
            if kind == "opaque":
                out.append((kind, content))
            elif content:
                runs = tuple((r.text, r.bold, r.italic, quote_href(r.href)) for r in content)
                out.append((kind, where[:2] if kind in ("item", "heading") else (), runs))
        return out

    doc = QTextDocument()
    layout = split_blocks(text)
    render(layout, doc)
    rewritten, _spans = to_markdown(doc, layout, [])  # no block counts as untouched
    assert shown(rewritten) == shown(text)
    block = doc.begin()
    assert signature(block)[0] in {"para", "heading", "item", "quote", "opaque"}


def test_preview_escapes_raw_html_and_follows_typing(editor, qtbot):
    preview = PreviewPane()
    qtbot.addWidget(preview)
    editor.set_markdown("Hello <script>alert(1)</script> and <b>bold</b>\n")
    preview.follow(editor)
    assert "&lt;script&gt;" in preview.html
    assert "<script" not in preview.html
    assert "<script>alert(1)</script>" in preview.browser.toPlainText()
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, " world")
    assert preview.is_pending()
    qtbot.waitUntil(lambda: "world" in preview.browser.toPlainText())


def test_editor_renders(editor):
    editor.set_markdown(AWKWARD)
    editor.show()
    assert not editor.grab().isNull()


def _shown_text(doc: QTextDocument) -> str:
    return " ".join(doc.toPlainText().split())


_typed = st.sampled_from(["x", " ", "*", "_", "[", "]", "(", ")", ">", "#", "- ", "1. ", "`",
                          "\\", "!", "&", "\n", "a b", "<!a", "<b ", "\u2028"])


@settings(max_examples=max(120, settings.default.max_examples), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(CORPUS) | BODIES.filter(lambda t: "<" not in t),
    st.lists(st.tuples(st.floats(0, 1), _typed), max_size=4),
)
# Found exploring after issue 15: `<!` typed at the start of a list item or a paragraph
# opened an HTML block the editor shows as written (marker and escapes included), so did a
# lone tag typed as a list item, and a heading of a lone `#` was written `# \\#`.
@example("-", [(0.0, "<!a")])
@example(CORPUS[17], [(0.0, "<!a")])
@example("# #", [(0.0, " ")])
@example("-", [(0.0, ">"), (0.0, "<b ")])  # a lone tag as a list item showed its marker
def test_typed_text_reads_back_the_same_after_saving(qapp, text, edits):
    """Typing anywhere editable, then saving and reopening, shows the same text."""
    doc = QTextDocument()
    layout = split_blocks(text)
    signatures = render(layout, doc)
    for fraction, typed in edits:
        cursor = QTextCursor(doc)
        cursor.setPosition(int(fraction * (doc.characterCount() - 1)))
        if block_kind(cursor.block()) == "opaque" or _inside_raw(cursor):
            continue  # protected text is written back as typed, by design
        cursor.insertText(typed, QTextCharFormat())
    saved, _spans = to_markdown(doc, layout, signatures)
    reopened = QTextDocument()
    render(split_blocks(saved), reopened)
    assert _shown_text(reopened) == _shown_text(doc)


def _inside_raw(cursor: QTextCursor) -> bool:
    if cursor.atBlockStart() or cursor.atBlockEnd():
        return False
    ahead = QTextCursor(cursor)
    ahead.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
    return bool(prop(cursor.charFormat(), P_RAW)) and bool(prop(ahead.charFormat(), P_RAW))


def test_windows_line_endings_stay_windows_line_endings(editor, qtbot):
    body = "First para.\r\n\r\nSecond para.\r\n"
    editor.set_markdown(body)
    block_end(editor, 0)
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return)
    qtbot.keyClicks(editor.rich, "Inserted")
    assert editor.markdown() == "First para.\r\n\r\nInserted\r\n\r\nSecond para.\r\n"


def test_a_tag_like_text_typed_over_a_hard_break_keeps_the_break(editor, qtbot):
    """Issue 15: `x <!a`, Shift+Enter, `> y` came back on one line as `x <!a   \\> y`."""
    editor.set_markdown("")
    editor.rich.setFocus()
    qtbot.keyClicks(editor.rich, "x <!a")
    qtbot.keyClick(editor.rich, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(editor.rich, "> y")
    markdown = editor.markdown()
    assert markdown == "x <!a  \n\\> y\n"
    typed = editor.plain_text()
    editor.set_markdown(markdown)  # saved and opened again
    assert editor.plain_text() == typed == "x <!a\n> y"  # the hard break shows as one
    block_end(editor, 0)
    qtbot.keyClicks(editor.rich, "es")  # an edit makes the editor write the block again
    assert editor.markdown() == "x <!a  \n\\> yes\n"
