"""The window reaches the database only through the Desk's services: no module of `ui/`
reads an attribute called `store` (a Desk's store, a service's), so what it changes is
always told as Changes (issue 18; the Wire view used to build its own WireDesk over
`desk.store`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "desktop" / "newsdesk" / "ui"


def store_reads(source: str) -> list[int]:
    """The lines of `source` that read an attribute named `store`."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Attribute) and node.attr == "store")


@pytest.mark.parametrize(("source", "lines"), [
    ("wire = WireDesk(desk.store, desk.actor)", [1]),
    ("rows = self.desk.store.db.execute('SELECT 1')", [1]),
    ("wire = self.desk.wire\nrows = wire.rows()", []),
    ("store = 'a word'\nrestore = desk.restore_backup", []),
])
def test_the_rule_finds_a_store_read(source, lines):
    assert store_reads(source) == lines


def test_no_module_of_the_window_reads_the_store():
    found = {str(path.relative_to(UI)): lines for path in sorted(UI.rglob("*.py"))
             if (lines := store_reads(path.read_text(encoding="utf-8")))}
    assert found == {}
