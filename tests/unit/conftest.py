"""Fixtures shared by the unit tests of sync: two laptops and the folder between them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.store import Store


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[Store, Store, Path]]:
    a = Store.open(tmp_path / "a.db")
    b = Store.open(tmp_path / "b.db")
    yield a, b, tmp_path / "shared"
    a.close()
    b.close()
