"""History people can read: sessions, named versions, side by side (issue 19)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from newsdesk.identity.profile import Profile
from newsdesk.ui.dialogs import history as history_view
from tests.gui.conftest import activate


def test_a_burst_of_typing_is_one_entry_named_and_compared_side_by_side(
    qtbot, make_window, desk, monkeypatch
):
    desk.use_profile(Profile("Ada Writer", "editor"))
    story = desk.create(headline="Tram depot", body="The depot opens.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    rich = window.editor.rich
    rich.setFocus()
    rich.moveCursor(rich.textCursor().MoveOperation.End)
    for word in (" It", " opens", " on", " Monday."):  # four autosaved revisions
        qtbot.keyClicks(rich, word)
        assert window.save_now()
    assert desk.get(story.id).revision == 5
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(),
                                       history_view.HistoryDialog))
    dialog = QApplication.activeModalWidget()
    view = dialog.view
    assert view.events.topLevelItemCount() == 1
    entry = view.events.topLevelItem(0)
    assert entry.text(1).startswith("Ada Writer (")  # with the key's fingerprint
    assert [entry.text(i) for i in (2, 3, 4)] == ["Created and edited (5 saves)", "1–5", "+7 −0"]
    assert entry.childCount() == 5  # every save is still there, underneath
    assert view.events.currentItem() is entry  # the newest line is chosen at first...
    assert (view.from_rev.currentData(), view.to_rev.currentData()) == (1, 5)  # ...compared

    # Choosing a save compares the text before it with the text after, side by side.
    view.events.setCurrentItem(entry.child(4))
    assert (view.from_rev.currentData(), view.to_rev.currentData()) == (4, 5)
    html = view.diff_view.toHtml()
    assert "Revision 4" in html and "Revision 5" in html and "Monday." in html
    assert view.diff_view.toPlainText().count("The depot opens. It opens on") == 2

    monkeypatch.setattr(history_view, "ask_name", lambda _parent, _n, _current: "as subbed")
    assert view.name_selected()
    assert desk.named_versions(story.id)[5].name == "as subbed"
    assert "as subbed" in view.events.topLevelItem(0).text(6)
    assert "as subbed" in view.to_rev.currentText()
    dialog.close()
