"""Guard against PySide6 6.12 on Python 3.11 dropping a reference to None on every call.

Each call of a Qt method that returns nothing (`setText`, `insertText`, ...) or that
returns a null object (`QTextBlock.textList()` outside a list, an unset
`QTextFormat.property()`) releases a reference to None that it never took: the wheel
assumes None is immortal, which it is only from Python 3.12. After a few thousand calls
None's count reaches zero and the interpreter aborts ("none_dealloc"). Giving None a very
large count makes it as good as immortal, which is what Python 3.12 does itself.
"""

from __future__ import annotations

import ctypes
import sys

_LARGE = 1 << 40


def protect_none() -> None:
    """Make None's reference count too large to run out (idempotent; no-op on 3.12+)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < _LARGE:
        count.value += _LARGE
