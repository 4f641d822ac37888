"""`newsdesk --self-test`: drive the real window through one edit and save on a throwaway desk."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import newsdesk
from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError
from newsdesk.ui.jobs import autosave

if TYPE_CHECKING:
    from newsdesk.ui.main_window import MainWindow

DEFAULT_TIMEOUT_S = 60.0
HEADLINE = "Self-test: ferry timetable checked"
BODY = "The self-test typed this sentence into the editor."


class SelfTestFailed(NewsdeskError):
    """One step of the self-test did not do what it should."""


def check(condition: object, message: str) -> None:
    if not condition:
        raise SelfTestFailed(message)


def run(timeout: float = DEFAULT_TIMEOUT_S, out: TextIO | None = None) -> int:
    """The whole self-test; 0 when it passed, 1 (and a message on stderr) when not."""
    out = out or sys.stdout
    _offscreen_without_display()
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-self-test-"))
    watchdog = _watchdog(timeout, folder)
    started = time.monotonic()
    try:
        with _settings_in(folder / "config"), _slot_errors() as errors:
            revision = _exercise(folder / "self-test.db", errors)
    except Exception as exc:  # anything at all must end in a message, never a hang or a trace
        if not isinstance(exc, SelfTestFailed):
            traceback.print_exc()
        print(f"newsdesk: self-test failed: {exc}", file=sys.stderr)
        return 1
    finally:
        watchdog.cancel()
        shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        print(f"newsdesk: self-test failed: could not remove {folder}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    print(
        f"newsdesk {newsdesk.__version__} self-test passed: window shown, story saved as "
        f"revision {revision} and read back, temporary desk removed ({elapsed:.1f} s)",
        file=out,
    )
    return 0


def _exercise(db: Path, errors: list[str]) -> int:
    """Open a seeded desk, edit and save through the window, then read the save back."""
    from newsdesk.ui.app import create_application
    from newsdesk.ui.main_window import MainWindow

    desk = Desk.open(db, seed=True)
    try:
        check(desk.count() > 0, "the temporary database was not seeded with the sample stories")
        app = create_application([sys.argv[0] if sys.argv else "newsdesk"])
        window = MainWindow(desk)
        try:
            story_id = _edit_and_save(window, errors)
        except BaseException:
            # Closing with edits it could not save would ask whether to discard them, and
            # nobody is there to answer: drop them, the desk is thrown away anyway.
            window.autosaver.start(None)
            raise
        finally:
            closed = window.close()
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        check(closed, "the window refused to close (edits it could not save?)")
        check(not errors, f"the window raised an error: {errors[0] if errors else ''}")
    finally:
        desk.close()
    with Desk.open(db) as fresh:
        stored = fresh.get(story_id)
    check(stored.headline == HEADLINE, f"the saved headline is {stored.headline!r}")
    check(BODY in stored.body, f"the saved body lacks the typed text: {stored.body!r}")
    check(stored.revision >= 2, f"the story is still at revision {stored.revision}")
    return stored.revision


def _edit_and_save(window: MainWindow, errors: list[str]) -> str:
    window.show()
    check(QTest.qWaitForWindowExposed(window, 10_000), "the main window was never shown")

    window.actions_["new_story"].trigger()
    story = window.current_story()
    check(story is not None, "File › New Story opened no story")

    headline = window.metadata.headline
    headline.setFocus()
    headline.selectAll()
    QTest.keyClicks(headline, HEADLINE)
    check(headline.text() == HEADLINE, f"the headline field shows {headline.text()!r}")

    editor = window.editor
    check(not editor.is_read_only(), "the body editor is read-only on a new story")
    body = editor.source if editor.is_source_shown() else editor.rich
    body.setFocus()
    QTest.keyClicks(body, BODY)
    check(BODY in editor.markdown(), "the typed body text is not in the editor's Markdown")
    check(window.autosaver.is_dirty(), "the window did not notice the edits")

    window.actions_["save"].trigger()
    detail = window.status.save_detail()
    check(not errors, f"the window raised an error: {errors[0] if errors else ''}")
    check(
        window.autosaver.state == autosave.SAVED and not window.autosaver.is_dirty(),
        f"File › Save left the story {window.autosaver.state}: {detail}",
    )
    saved = window.current_story()
    check(saved.revision > story.revision, "File › Save did not store a new revision")
    check(window.model.row_of(story.id) is not None, "the new story is not in the story list")
    _check_data_files(window.desk)
    return story.id


def _check_data_files(desk: Desk) -> None:
    """What a bundle can lose and still start: the dictionary and the house rules."""
    misses = [word for _start, _length, word in desk.misspelled("Teh ferry sails at noon")]
    check(misses == ["Teh"], f"the spelling dictionary did not load (flagged {misses})")
    problems = desk.rules().problems
    check(not problems, f"the house rules did not load: {problems[:1]}")


def _offscreen_without_display() -> None:
    # A build machine or CI has no display: draw offscreen there rather than abort.
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@contextmanager
def _settings_in(folder: Path) -> Iterator[None]:
    """Window layout, profile and word list go to the temporary folder, not the user's."""
    before = os.environ.get("NEWSDESK_CONFIG_DIR")
    os.environ["NEWSDESK_CONFIG_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NEWSDESK_CONFIG_DIR", None)
        else:
            os.environ["NEWSDESK_CONFIG_DIR"] = before


@contextmanager
def _slot_errors() -> Iterator[list[str]]:
    """Exceptions raised inside Qt slots are only printed by Qt; collect them to fail on."""
    errors: list[str] = []
    previous = sys.excepthook

    def hook(kind, value, tb) -> None:
        errors.append(f"{kind.__name__}: {value}")
        previous(kind, value, tb)

    sys.excepthook = hook
    try:
        yield errors
    finally:
        sys.excepthook = previous


def _watchdog(timeout: float, folder: Path) -> threading.Timer:
    """Ends the process if the test is stuck (a modal dialog, a lock) after `timeout` s."""

    def fire() -> None:
        # Straight to file descriptor 2: sys.stderr may be a stream nobody reads any more.
        os.write(2, f"newsdesk: self-test failed: no result after {timeout:g} s\n".encode())
        shutil.rmtree(folder, ignore_errors=True)
        os._exit(1)

    timer = threading.Timer(timeout, fire)
    timer.daemon = True
    timer.start()
    return timer
