"""The main window end to end: create, edit, autosave, reopen, undo, invalid input, conflicts."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from newsdesk.desk import Desk
from newsdesk.domain.model import Dateline
from newsdesk.ui import open_story
from newsdesk.ui.dialogs import stale_save
from newsdesk.ui.jobs import autosave
from tests.gui.conftest import body_input


def saved(window) -> bool:
    return window.autosaver.state == autosave.SAVED and not window.autosaver.is_dirty()


def test_new_story_is_typed_autosaved_and_found_again_after_reopening(
    qtbot, make_window, desk, db_path
):
    window = make_window(desk)
    window.actions_["new_story"].trigger()
    story_id = window.current_story().id
    assert window.story_list.current_story_id() == story_id

    window.metadata.headline.selectAll()
    qtbot.keyClicks(window.metadata.headline, "Tram depot reopens after repairs")
    window.metadata.place.setText("Eastgate")
    window.metadata.date.set_value(date(2026, 3, 4))
    window.metadata.tags.setText("transport, trams")
    qtbot.keyClicks(body_input(window), "The depot on Mill Road is open again.")
    assert window.autosaver.state == autosave.UNSAVED

    qtbot.waitUntil(lambda: saved(window), timeout=5000)  # the debounce timer fires by itself
    stored = desk.get(story_id)
    assert stored.headline == "Tram depot reopens after repairs"
    assert stored.slug == "tram-depot-reopens-after"  # followed the headline
    assert stored.dateline == Dateline("Eastgate", date(2026, 3, 4))
    assert stored.tags == ("transport", "trams")
    assert "Mill Road" in stored.body
    assert "Saved" in window.status.save_text()

    window.close()
    with Desk.open(db_path) as again:
        reopened = make_window(again)
        assert reopened.current_story().id == story_id
        assert reopened.metadata.headline.text() == "Tram depot reopens after repairs"
        assert reopened.metadata.place.text() == "Eastgate"
        assert reopened.metadata.tags.text() == "transport, trams"
        assert "Mill Road" in reopened.editor.markdown()
        reopened.close()


def test_switching_stories_saves_at_once(qtbot, make_window, desk):
    first = desk.create(headline="First story")
    second = desk.create(headline="Second story")
    window = make_window(desk)
    window.story_list.select_story(first.id)
    window.metadata.byline.setText("Ana Ferreira")
    assert window.autosaver.is_dirty()
    window.story_list.select_story(second.id)  # no waiting: leaving a story saves it
    assert desk.get(first.id).byline == "Ana Ferreira"
    assert window.current_story().id == second.id


def test_undo_in_the_body_editor(qtbot, make_window, desk):
    story = desk.create(headline="Undo me", body="Original text.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    target = body_input(window)
    target.setFocus()
    target.moveCursor(target.textCursor().MoveOperation.End)
    qtbot.keyClicks(target, " Added words")
    assert window.editor.markdown().rstrip().endswith("Added words")
    window.editor.action_undo.trigger()
    assert "Added words" not in window.editor.markdown()
    assert window.editor.markdown().strip() == "Original text."


def test_invalid_fields_are_marked_and_never_saved(qtbot, make_window, desk, monkeypatch):
    story = desk.create(headline="Keep this headline", slug="keep-this")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.metadata.slug.setText("../../x")
    window.metadata.headline.clear()
    assert window.save_now() is False
    assert window.autosaver.state == autosave.INVALID
    for field in (window.metadata.headline, window.metadata.slug):
        assert field.property("invalid") is True
        assert field.toolTip()
    stored = desk.get(story.id)
    assert (stored.headline, stored.slug, stored.revision) == ("Keep this headline", "keep-this", 1)

    asked = []
    monkeypatch.setattr(open_story, "confirm_discard", lambda _w, d: asked.append(d) or False)
    other = desk.create(headline="Another")
    window.refresh()
    window.story_list.select_story(other.id)
    assert asked and window.current_story().id == story.id  # stayed: the user keeps editing

    window.metadata.headline.setText("Fixed headline")
    window.metadata.slug.setText("fixed-headline")
    assert window.save_now()
    assert window.metadata.headline.property("invalid") is False
    assert desk.get(story.id).headline == "Fixed headline"


def test_headline_counts_characters_and_warns_past_the_house_limit(make_window, desk):
    story = desk.create(headline="Short")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    assert window.metadata.headline_count.text() == "5 / 64"
    window.metadata.headline.setText("x" * 70)
    assert window.metadata.headline_count.text() == "70 / 64"
    assert window.metadata.headline_count.property("role") == "warning"


def test_slug_follows_the_headline_until_edited_by_hand(make_window, desk):
    story = desk.create(headline="Budget vote", slug="budget-vote")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    meta = window.metadata
    meta.headline.setText("Budget vote delayed")
    assert meta.slug.text() == "budget-vote-delayed"
    meta.slug.setText("budget")
    meta.slug.textEdited.emit("budget")  # as if typed
    meta.headline.setText("Budget vote delayed again")
    assert meta.slug.text() == "budget"
    meta.slug_reset.click()
    assert meta.slug.text() == "budget-vote-delayed"


def _open_with_rival_save(make_window, desk, db_path, rival_headline):
    story = desk.create(headline="Shared story", body="Body text.")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    with Desk.open(db_path) as rival:
        theirs = rival.get(story.id).replace(headline=rival_headline)
        rival.save(theirs, expected_revision=1)
    window.metadata.byline.setText("My Byline")
    return window, story


def test_stale_revision_keep_mine_saves_over_after_asking(qtbot, make_window, desk, db_path,
                                                          monkeypatch):
    seen = []

    def choose(_parent, mine, theirs):
        seen.append((mine.byline, theirs.headline, theirs.revision))
        return stale_save.KEEP_MINE

    monkeypatch.setattr(stale_save, "ask", choose)
    window, story = _open_with_rival_save(make_window, desk, db_path, "Their headline")
    # The window hears of their save: the edits wait for a choice (banner), then an
    # explicit save asks with the comparison.
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    assert not seen and window.autosaver.state == autosave.CONFLICT
    window.save_now()
    qtbot.waitUntil(lambda: bool(seen) and saved(window), timeout=5000)
    assert seen == [("My Byline", "Their headline", 2)]
    stored = desk.get(story.id)
    assert stored.revision == 3
    assert stored.byline == "My Byline"
    assert stored.headline == "Shared story"  # mine, chosen knowingly


def test_stale_revision_take_theirs_reloads_the_window(qtbot, make_window, desk, db_path,
                                                       monkeypatch):
    monkeypatch.setattr(stale_save, "ask", lambda *_a: stale_save.TAKE_THEIRS)
    window, story = _open_with_rival_save(make_window, desk, db_path, "Their headline")
    assert window.save_now()
    assert window.metadata.headline.text() == "Their headline"
    assert window.metadata.byline.text() == ""
    assert desk.get(story.id).revision == 2


def test_stale_revision_cancel_keeps_edits_unsaved(qtbot, make_window, desk, db_path,
                                                   monkeypatch):
    monkeypatch.setattr(stale_save, "ask", lambda *_a: stale_save.CANCEL)
    window, story = _open_with_rival_save(make_window, desk, db_path, "Their headline")
    assert window.save_now() is False
    assert window.autosaver.state == autosave.CONFLICT
    assert window.metadata.byline.text() == "My Byline"
    assert desk.get(story.id).byline == ""
    monkeypatch.setattr(open_story, "confirm_discard", lambda *_a: True)


def test_conflict_dialog_lists_what_differs(qtbot, desk):
    mine = desk.create(headline="Mine", body="one\ntwo")
    theirs = mine.replace(headline="Theirs", body="one\nthree", revision=2)
    dialog = stale_save.ConflictDialog(mine, theirs)
    qtbot.addWidget(dialog)
    text = stale_save.describe_differences(mine, theirs)
    assert "headline:" in text and "Theirs" in text and "Mine" in text
    assert "-three" in text and "+two" in text


def test_actions_have_shortcuts_and_workflow_needs_a_story(make_window, desk):
    window = make_window(desk)
    a = window.actions_
    expected = {
        "new_story": "Ctrl+N", "import": "Ctrl+O", "save": "Ctrl+S", "find": "Ctrl+F",
        "next_story": "Ctrl+PgDown", "quit": "Ctrl+Q", "delete": "Del",
    }
    for key, shortcut in expected.items():
        assert a[key].shortcut().toString() == shortcut, key
    assert "Alt+Down" in [s.toString() for s in a["next_story"].shortcuts()]
    for key in ("submit", "approve", "request_changes", "publish", "spike", "restore"):
        assert not a[key].isEnabled(), key
        assert "no story is open" in a[key].toolTip()
    menus = [m.title() for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))]
    assert {"&File", "&Edit", "&Story", "&View"} <= set(menus)


def test_next_and_previous_story_move_through_the_list(qtbot, make_window, desk):
    for n in range(3):
        desk.create(headline=f"Story {n}")
    window = make_window(desk)
    first = window.current_story().id
    window.actions_["next_story"].trigger()
    assert window.current_story().id == window.model.story_id(1)
    window.actions_["previous_story"].trigger()
    assert window.current_story().id == first


def test_delete_moves_to_trash_and_restore_brings_it_back(qtbot, make_window, desk):
    story = desk.create(headline="Regrettable")
    keep = desk.create(headline="Keeper")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.activateWindow()
    window.story_list.setFocus()
    qtbot.waitUntil(window.story_list.hasFocus)
    qtbot.keyClick(window.story_list, Qt.Key.Key_Delete)
    assert window.model.row_of(story.id) is None
    assert window.current_story().id == keep.id

    from newsdesk.ui.dialogs.trash import TrashDialog

    dialog = TrashDialog(desk, window)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    dialog.restore_button.click()
    assert dialog.restored == [story.id]
    assert dialog.list.count() == 0
    window.refresh()
    assert window.model.row_of(story.id) is not None


def test_manage_sections_adds_to_the_managed_list(qtbot, make_window, desk):
    from newsdesk.ui.dialogs.sections import SectionsDialog

    window = make_window(desk)
    dialog = SectionsDialog(desk, window)
    qtbot.addWidget(dialog)
    dialog.path.setText("Science /  Space")
    dialog.add_button.click()
    assert "Science / Space" in desk.sections()
    assert dialog.list.currentItem().text() == "Science / Space"
    dialog.remove_button.click()
    assert "Science / Space" not in desk.sections()
    dialog.path.setText("Travel")
    dialog.add_button.click()
    window.sections.reload()
    assert window.metadata.section.findData("Travel") >= 0
    assert window.filter_bar.section.findData("Travel") >= 0
