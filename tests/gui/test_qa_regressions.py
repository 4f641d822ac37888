"""Regressions found by driving the real window: a click kept after "keep editing", and
typed paragraphs in a new story that looked like line breaks."""

from PySide6.QtCore import Qt

from newsdesk.ui import open_story


def test_a_click_on_another_story_leaves_the_open_one_selected_when_the_user_stays(
    qtbot, make_window, desk, monkeypatch
):
    story = desk.create(headline="Keep this headline", slug="keep-this")
    other = desk.create(headline="Another story", slug="another-story")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.metadata.slug.setText("../../x")
    monkeypatch.setattr(open_story, "confirm_discard", lambda *_a: False)

    view = window.story_list
    row = window.model.row_of(other.id)
    cell = view.visualRect(window.model.index(row, 1)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.wait(50)

    assert window.current_story().id == story.id
    selected = {window.model.story_id(i.row()) for i in view.selectionModel().selectedRows()}
    assert selected == {story.id}


def test_paragraphs_typed_into_a_new_story_are_spaced_like_loaded_ones(qtbot, make_window, desk):
    window = make_window(desk)
    window.new_story()
    rich = window.editor.rich
    rich.setFocus()
    qtbot.keyClicks(rich, "First paragraph.")
    qtbot.keyClick(rich, Qt.Key.Key_Return)
    qtbot.keyClicks(rich, "Second paragraph.")

    assert window.editor.markdown() == "First paragraph.\n\nSecond paragraph.\n"
    window.editor.set_markdown(window.editor.markdown())
    loaded = rich.document().begin().blockFormat().bottomMargin()
    assert loaded > 0
    window.editor.set_markdown("")
    qtbot.keyClicks(rich, "First paragraph.")
    qtbot.keyClick(rich, Qt.Key.Key_Return)
    typed = rich.document().begin().blockFormat().bottomMargin()
    assert typed == loaded
