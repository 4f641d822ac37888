"""The layers of docs/architecture.md as import contracts, checked on the source.

    front ends (cli, ui)  ->  desk  ->  core (store, sync, publish, formats, ...)  ->  model

A module's imports are every `import` and `from ... import` in it, wherever they stand
(inside functions and under `if TYPE_CHECKING:` too: a type is a dependency as well).
- model level (the story and the small modules it is made of) imports nothing of ours
  but the model level;
- core imports core and the model, never the desk or a front end;
- the desk imports the desk, core and the model;
- the window (ui/) imports anything below it, but never the store: it goes through the
  desk; the command line (cli/) imports anything below it, and of the window only what
  opens it; nothing imports the command line.
- Only ui/ imports Qt. Only store/ imports sqlite3 or sqlite-utils at run time (a type
  named for a hint is not a dependency on the database) and holds SQL.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "newsdesk"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")
DATABASE_MODULES = ("sqlite3", "sqlite_utils")
MODEL_LEVEL = frozenset({
    "newsdesk", "newsdesk.domain", "newsdesk.domain.model", "newsdesk.domain.signed",
    "newsdesk.domain.times", "newsdesk.domain.wordcount", "newsdesk.domain.wording",
})
ALLOWED = {
    "model": {"model"},
    "core": {"core", "model"},
    "desk": {"desk", "core", "model"},
    "ui": {"ui", "desk", "core", "model"},
    "cli": {"cli", "desk", "core", "model"},
}
# What the command line may take from the window: what opens it (and its package).
CLI_OPENS = frozenset({"newsdesk.ui", "newsdesk.ui.app", "newsdesk.ui.self_test"})
# Modules other work owns that import the database's modules at run time, listed exactly:
# the test fails on any other, and on one of these once it is gone (then take it off).
KNOWN_DATABASE_IMPORTS = {
    ("newsdesk.sync.conflicts", "sqlite_utils"),
    ("newsdesk.sync.pass_state", "sqlite_utils"),
    ("newsdesk.sync.scan", "sqlite_utils"),
}
# SQL as the store writes it: keywords in capitals, in a string of the source.
SQL = re.compile(
    r"\bSELECT\b[^\n]*\bFROM\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bCREATE\s+(?:TABLE|INDEX|TRIGGER|VIEW)\b|\bPRAGMA\s+\w+"
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in path.parts
}


def layer(module: str) -> str:
    """model, core, desk, ui or cli (cli: the command line and `python -m newsdesk`)."""
    if module in MODEL_LEVEL:
        return "model"
    top = module.split(".")[1] if "." in module else ""
    if module == "newsdesk.__main__" or top == "cli":
        return "cli"
    return top if top in ("ui", "desk") else "core"


def imports(path: Path, *, at_run_time: bool = False) -> set[str]:
    """Every module `path` imports by name (relative imports resolved); `at_run_time`
    leaves out what only `if TYPE_CHECKING:` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if at_run_time:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(inner) for child in node.body for inner in ast.walk(child))
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES)
    return found


def ours(names: set[str]) -> set[str]:
    return {name for name in names if name in MODULES and name != "newsdesk"}


def broken_contracts(module: str, imported: set[str]) -> list[str]:
    """What `module` imports against the layers (see the module docstring)."""
    mine = layer(module)
    broken = []
    for other in sorted(ours(imported)):
        theirs = layer(other)
        if theirs in ALLOWED[mine]:
            if mine == "ui" and other.startswith("newsdesk.store"):
                broken.append(f"{other} (the window goes through the desk)")
            continue
        if mine == "cli" and other in CLI_OPENS:
            continue
        broken.append(f"{other} ({mine} may not import {theirs})")
    return broken


def test_the_layers_are_told_apart():
    assert layer("newsdesk.domain.model") == layer("newsdesk.domain.signed") == "model"
    assert layer("newsdesk.store.store") == layer("newsdesk.copydesk.checks") == "core"
    assert layer("newsdesk.desk.stories") == "desk"
    assert layer("newsdesk.ui.editor.widget") == "ui"
    assert layer("newsdesk.cli.commands.sync") == layer("newsdesk.__main__") == "cli"
    assert set(MODULES) >= MODEL_LEVEL and len(MODULES) > 100


@pytest.mark.parametrize(
    ("module", "imported", "broken"),
    [
        ("newsdesk.domain.model", {"newsdesk.domain.times", "json"}, []),
        ("newsdesk.domain.model", {"newsdesk.store.store"}, ["newsdesk.store.store (model may not "
                                                      "import core)"]),
        ("newsdesk.sync.engine", {"newsdesk.store.feed", "newsdesk.domain.model"}, []),
        ("newsdesk.sync.engine", {"newsdesk.desk"}, ["newsdesk.desk (core may not import desk)"]),
        ("newsdesk.publish.export", {"newsdesk.ui.app"}, ["newsdesk.ui.app (core may not "
                                                          "import ui)"]),
        ("newsdesk.desk.exchange", {"newsdesk.sync", "newsdesk.publish.export"}, []),
        ("newsdesk.desk.exchange", {"newsdesk.cli.main"}, ["newsdesk.cli.main (desk may not "
                                                           "import cli)"]),
        ("newsdesk.ui.main_window", {"newsdesk.desk", "newsdesk.copydesk.checks"}, []),
        ("newsdesk.ui.main_window", {"newsdesk.store.records"},
         ["newsdesk.store.records (the window goes through the desk)"]),
        ("newsdesk.ui.app", {"newsdesk.cli.main"}, ["newsdesk.cli.main (ui may not import cli)"]),
        ("newsdesk.cli.main", {"newsdesk.ui.app", "newsdesk.desk", "newsdesk.store.errors"}, []),
        ("newsdesk.cli.main", {"newsdesk.ui.main_window"},
         ["newsdesk.ui.main_window (cli may not import ui)"]),
    ],
)
def test_the_contracts_as_a_table(module, imported, broken):
    assert broken_contracts(module, imported) == broken


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_keeps_to_its_layer(module):
    assert broken_contracts(module, imports(MODULES[module])) == []


@pytest.mark.parametrize("module", [m for m in sorted(MODULES) if layer(m) != "ui"])
def test_nothing_outside_ui_imports_qt(module):
    bad = {m for m in imports(MODULES[module]) if m.split(".")[0] in QT_MODULES}
    assert not bad, f"{module} imports {bad}; only newsdesk.ui may use Qt"


def test_only_the_store_imports_the_database():
    found = {
        (module, name.split(".")[0])
        for module, path in MODULES.items() if not module.startswith("newsdesk.store")
        for name in imports(path, at_run_time=True) if name.split(".")[0] in DATABASE_MODULES
    }
    assert found - KNOWN_DATABASE_IMPORTS == set(), "only newsdesk.store may import these"
    gone = KNOWN_DATABASE_IMPORTS - found
    assert not gone, f"gone: take these off KNOWN_DATABASE_IMPORTS: {sorted(gone)}"


def sql_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    texts = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return [match.group(0) for text in texts for match in SQL.finditer(text)]


def test_the_sql_finder_finds_sql_and_not_prose(tmp_path):
    path = tmp_path / "x.py"
    path.write_text(
        'A = "SELECT id FROM stories WHERE x"\nB = f"UPDATE stories SET {c}"\n'
        'C = "select the stories from the list; update the trash"\nD = "PRAGMA data_version"\n',
        encoding="utf-8",
    )
    assert sorted(sql_in(path)) == ["PRAGMA data_version", "SELECT id FROM", "UPDATE stories SET"]


@pytest.mark.parametrize(
    "module", [m for m in sorted(MODULES) if not m.startswith("newsdesk.store")]
)
def test_sql_lives_in_the_store(module):
    assert sql_in(MODULES[module]) == [], f"{module} holds SQL; it belongs in newsdesk.store"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_owns(module):
    doc = ast.get_docstring(ast.parse(MODULES[module].read_text(encoding="utf-8")))
    assert doc and doc.strip(), f"{MODULES[module]} needs a one-line module docstring"


ACTIONS_MODULE = "newsdesk.ui.actions"


def actions_made(path: Path) -> list[str]:
    """Where a module makes a QAction: QAction(...), or a menu's or toolbar's
    addAction given text (which makes one behind the scenes)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        texts = [arg for arg in node.args if isinstance(arg, ast.Constant | ast.JoinedStr)]
        if name == "QAction" or (name == "addAction" and (texts or len(node.args) > 1)):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_actions_made_are_found():
    sample = PACKAGE.parent / "newsdesk" / "ui" / "actions.py"
    assert any("QAction(" in line for line in actions_made(sample))


@pytest.mark.parametrize(
    "module", [m for m in sorted(MODULES) if layer(m) == "ui" and m != ACTIONS_MODULE])
def test_every_action_is_made_by_the_registry(module):
    assert actions_made(MODULES[module]) == [], (
        f"{module} makes a QAction; make it in ui/actions.py (a spec, editor_actions or "
        "menu_entry) and take it from there"
    )
