"""`newsdesk --self-test` in process: it drives the real window, cleans up, and fails loudly."""

from __future__ import annotations

import io
import os
import re
import tempfile

import pytest

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui import self_test


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    """tempfile's folder, so a test can see what the self-test left behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def test_self_test_saves_through_the_window_and_removes_its_desk(qapp, temp_root):
    config_before = os.environ["NEWSDESK_CONFIG_DIR"]
    out = io.StringIO()
    assert self_test.run(timeout=120, out=out) == 0
    assert "self-test passed" in out.getvalue()
    assert re.search(r"saved as revision \d+ and read back", out.getvalue())
    assert list(temp_root.iterdir()) == []
    # The user's settings were neither used nor written: the window saved its layout in
    # the temporary folder, which is gone.
    assert os.environ["NEWSDESK_CONFIG_DIR"] == config_before
    assert not (os.path.exists(config_before) and os.listdir(config_before))


def test_a_save_that_fails_fails_the_self_test_with_the_reason(
    qapp, temp_root, monkeypatch, capsys
):
    def refuse(self, story, expected_revision):
        raise NewsdeskError("the disk is full")

    monkeypatch.setattr(Desk, "save", refuse)
    assert self_test.run(timeout=120, out=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "self-test failed" in err
    assert "the disk is full" in err
    assert list(temp_root.iterdir()) == []


def test_the_read_back_is_what_decides(qapp, temp_root, monkeypatch, capsys):
    # The window reports a save, but the database does not have the typed headline.
    real_get = Desk.get

    def stale_get(self, story_id):
        return real_get(self, story_id).replace(headline="Something else")

    monkeypatch.setattr(Desk, "get", stale_get)
    assert self_test.run(timeout=120, out=io.StringIO()) == 1
    assert "the saved headline is 'Something else'" in capsys.readouterr().err


def test_a_missing_dictionary_fails_the_self_test(qapp, temp_root, monkeypatch, capsys):
    # What a bundle without pyspellchecker's data would do: know no word at all, or none.
    monkeypatch.setattr(Desk, "misspelled", lambda self, text, story=None: [])
    assert self_test.run(timeout=120, out=io.StringIO()) == 1
    assert "the spelling dictionary did not load" in capsys.readouterr().err
    assert list(temp_root.iterdir()) == []
