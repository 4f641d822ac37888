"""The Qt binding the project installs keeps Python's singletons alive.

PySide6 6.12 wheels assume None, True and False are immortal, which they are only from
Python 3.12: on 3.11 every call that returns nothing and every signal emitted from Python
drops a reference, and the interpreter aborts after a few thousand. pyproject.toml keeps
6.12 away from Python 3.11; this test fails if a broken binding slips back in.
"""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class Probe(QObject):
    fired = Signal()


def test_calls_that_return_nothing_keep_none_alive(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert sys.getrefcount(None) >= before - 50


def test_signals_emitted_from_python_keep_true_alive(qapp):
    probe = Probe()
    before = sys.getrefcount(True)
    for _ in range(2000):
        probe.fired.emit()
    assert sys.getrefcount(True) >= before - 50
