"""The story list's sort arrow points the way the list runs: ▼ newest first (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QPoint, Qt

from newsdesk.domain.model import Story


def arrow_points(header, section: int) -> str:
    """'down' or 'up': which way the arrow drawn at the right of `section` points."""
    image = header.grab().toImage()
    # The arrow sits in the last pixels of the section, right of its title.
    left = header.sectionViewportPosition(section) + header.sectionSize(section) - 15
    background = image.pixelColor(left, image.height() // 2).lightness()
    widths = []
    for y in range(image.height()):
        inked = [x for x in range(left, left + 14)
                 if abs(image.pixelColor(x, y).lightness() - background) > 60]
        widths.append(max(inked) - min(inked) + 1 if len(inked) > 1 else 0)
    rows = [y for y, width in enumerate(widths) if width]
    assert rows, "no sort arrow drawn"
    widest = max(rows, key=lambda y: widths[y])
    return "down" if widest - rows[0] < rows[-1] - widest else "up"


def test_newest_first_shows_a_down_arrow_and_a_click_turns_both(qtbot, make_window, desk):
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for day in range(3):
        moment = start + timedelta(days=day)
        desk.store.insert(Story(slug=f"day-{day}", headline=f"Day {day}", revision=1,
                                created_at=moment, updated_at=moment))
    window = make_window(desk)
    window.resize(1440, 900)
    window.story_list.set_column_shown("updated_at", True)
    header = window.story_list.horizontalHeader()
    updated = 5
    assert header.sortIndicatorSection() == updated
    assert window.model.data(window.model.index(0, 1)) == "Day 2"  # newest first...
    assert arrow_points(header, updated) == "down"  # ...shown as ▼
    pos = QPoint(header.sectionViewportPosition(updated) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.model.data(window.model.index(0, 1)) == "Day 0"  # oldest first...
    assert arrow_points(header, updated) == "up"  # ...shown as ▲
