"""Guard against PySide6 6.12 on Python 3.11 dropping a reference to True on every emit.

`SignalInstance.emit()` returns True without taking a reference to it: the wheel assumes
True is immortal, which it is only from Python 3.12. On 3.11 each signal emitted from
Python lowers True's count by one, and after a few thousand emits (pyqtgraph emits several
per repaint) the interpreter aborts ("bool_dealloc: deallocating True or False"). Giving
True and False a very large count makes them as good as immortal, as Python 3.12 does.
The editor's `_none_guard` does the same for None.
"""

from __future__ import annotations

import ctypes
import sys

_LARGE = 1 << 40


def protect_bools() -> None:
    """Make True's and False's counts too large to run out (idempotent; no-op on 3.12+)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for value in (True, False):
        count = ctypes.c_ssize_t.from_address(id(value))
        if count.value < _LARGE:
            count.value += _LARGE
