"""The story list: paging from SQL, filters, search as you type, sorting, stable selection."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from newsdesk.ui.panes.story_list_model import PAGE_SIZE, StoryTableModel


def _seed(desk):
    made = {}
    for headline, section, status in [
        ("Harbour ferry timetable changes", "News / Metro", "draft"),
        ("Council budget passes", "News / Metro", "in_review"),
        ("Cup final tickets sell out", "Sport", "approved"),
        ("Gallery opens new wing", "Culture", "in_review"),
    ]:
        story = desk.create(headline=headline, section=section, body=f"{headline}. More text.")
        if status != "draft":
            story = desk.store.set_status(
                story.id, status, expected_revision=story.revision, actor="test", action="test"
            )
        made[headline] = story
    return made


def test_filter_by_status_and_section_with_counts(qtbot, make_window, desk):
    _seed(desk)
    window = make_window(desk)
    bar = window.filter_bar
    assert window.model.total == 4
    bar.status.setCurrentIndex(bar.status.findData("in_review"))
    assert window.model.total == 2
    assert {window.model.data(window.model.index(r, 3)) for r in range(2)} == {"In review"}
    bar.section.setCurrentIndex(bar.section.findData("Culture"))
    assert window.model.total == 1
    # Counts per status follow the other filters (here: the section).
    assert bar.status.itemText(bar.status.findData("in_review")) == "In review (1)"
    assert bar.status.itemText(0) == "All statuses (1)"
    bar.status.setCurrentIndex(0)
    bar.section.setCurrentIndex(0)
    assert window.model.total == 4


def test_mine_shows_stories_edited_by_the_profile_name(qtbot, make_window, desk):
    desk.create(headline="Somebody else's", editor="Another Editor")
    mine = desk.create(headline="My own", editor=desk.profile.name)
    window = make_window(desk)
    window.filter_bar.mine.click()
    assert window.model.total == 1
    assert window.model.story_id(0) == mine.id


def test_search_as_you_type_is_debounced_and_safe(qtbot, make_window, desk):
    _seed(desk)
    window = make_window(desk)
    calls = []
    window.filter_bar.filters_changed.connect(calls.append)
    qtbot.keyClicks(window.filter_bar.search, "ferry")
    assert calls == []  # nothing runs while the user is typing
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=3000)
    assert len(calls) == 1
    assert "ferry" in window.model.data(window.model.index(0, 1)).lower()
    window.filter_bar.search.setText('"unbalanced AND (')  # FTS syntax must not break the list
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=3000)
    assert window.model.total >= 0


def test_list_pages_rows_and_sorts_in_sql(qtbot, desk):
    for n in range(PAGE_SIZE + 30):
        desk.create(headline=f"Story {n:03d}", body="word " * (n % 7))
    model = StoryTableModel(desk)
    model.refresh()
    assert model.total == PAGE_SIZE + 30
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == PAGE_SIZE + 30
    assert not model.canFetchMore()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == PAGE_SIZE
    assert model.data(model.index(0, 1)) == "Story 000"
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 1)) == f"Story {PAGE_SIZE + 29:03d}"


def test_header_click_sorts_and_selection_survives_refresh(qtbot, make_window, desk):
    made = _seed(desk)
    window = make_window(desk)
    target = made["Gallery opens new wing"]
    window.story_list.select_story(target.id)
    header = window.story_list.horizontalHeader()
    pos = QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.model.sort_key()[0] == "headline"
    assert window.story_list.current_story_id() == target.id
    row = window.model.row_of(target.id)
    assert window.story_list.selectionModel().isRowSelected(row)
    window.refresh()
    assert window.story_list.selectionModel().isRowSelected(window.model.row_of(target.id))
    assert window.current_story().id == target.id


def test_saving_updates_the_row_in_place(qtbot, make_window, desk):
    story = desk.create(headline="Before")
    window = make_window(desk)
    window.story_list.select_story(story.id)
    window.metadata.headline.setText("After")
    assert window.save_now()
    row = window.model.row_of(story.id)
    assert window.model.data(window.model.index(row, 1)) == "After"


def test_counts_arrive_from_the_background_and_stale_ones_are_dropped(qtbot, make_window, desk):
    _seed(desk)
    window = make_window(desk)
    bar = window.filter_bar
    with qtbot.waitSignal(window.model.counted, timeout=5000):
        bar.section.setCurrentIndex(bar.section.findData("Sport"))
        bar.section.setCurrentIndex(bar.section.findData("News / Metro"))  # supersedes Sport
    qtbot.waitUntil(lambda: bar.status.itemText(0) == "All statuses (2)", timeout=5000)
    assert window.model.rowCount() == 2
    assert window.status.list_counts.text() == "2 stories"
    bar.status.setCurrentIndex(bar.status.findData("in_review"))
    assert window.status.list_counts.text() == "1 of 2 stories"


def test_updated_column_is_short_and_unambiguous():
    from datetime import datetime, timedelta

    from newsdesk.ui.panes.story_list_model import format_updated

    now = datetime(2026, 6, 15, 14, 30).astimezone()
    assert format_updated(now - timedelta(hours=2), now) == "12:30"
    assert format_updated(now - timedelta(days=3), now) == "12 Jun"
    assert format_updated(now - timedelta(days=400), now) == "2025-05-11"
