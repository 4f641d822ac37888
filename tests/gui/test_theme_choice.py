"""View › Theme: System, Light or Dark, remembered for the next start (issue 19)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from newsdesk.desk import Desk
from newsdesk.ui import theme


@pytest.fixture
def light_again(qapp):
    yield
    theme.apply_theme(QApplication.instance(), dark=False)


def test_the_theme_is_chosen_in_view_and_remembered(qtbot, make_window, desk, db_path,
                                                   light_again):
    window = make_window(desk)
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    names = [a.text().replace("&", "") for a in menus["View"].actions()]
    assert {"System Theme", "Light Theme", "Dark Theme"} <= set(names)
    assert window.actions_["theme_system"].isChecked()
    window.actions_["theme_dark"].trigger()
    assert theme.is_dark()
    assert QApplication.instance().palette().base().color().lightness() < 80
    window.close()
    theme.apply_theme(QApplication.instance(), dark=False)  # as a new start would be

    with Desk.open(db_path) as again:
        reopened = make_window(again)
        assert reopened.actions_["theme_dark"].isChecked()
        assert theme.is_dark()
        reopened.actions_["theme_light"].trigger()
        assert not theme.is_dark()
        reopened.actions_["theme_system"].trigger()
        assert reopened.actions_["theme_system"].isChecked()
        reopened.close()
