"""The house rules of DESIGN section 2, checked on the source: layers run one way."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "desktop" / "newsdesk"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(where: Path):
    return sorted(p for p in where.rglob("*.py") if "__pycache__" not in p.parts)


def outside_ui():
    return [p for p in modules(PACKAGE) if "ui" not in p.relative_to(PACKAGE).parts]


def test_package_has_modules():
    assert len(outside_ui()) > 5
    assert modules(PACKAGE / "ui")


@pytest.mark.parametrize("path", outside_ui(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_nothing_outside_ui_imports_qt(path):
    bad = {m for m in imported_modules(path) if m.split(".")[0] in QT_MODULES}
    assert not bad, f"{path.name} imports {bad}; only newsdesk.ui may use Qt"


@pytest.mark.parametrize("path", modules(PACKAGE / "ui"), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_ui_never_touches_the_database(path):
    imports = imported_modules(path)
    bad = {m for m in imports if m in {"sqlite3", "sqlite_utils"} or m.startswith("newsdesk.store")}
    assert not bad, f"{path.name} imports {bad}; the window goes through newsdesk.desk"
    source = path.read_text(encoding="utf-8").upper()
    for statement in ("INSERT INTO", "UPDATE STORIES", "DELETE FROM", "SELECT * FROM"):
        assert statement not in source, f"{path.name} contains SQL ({statement})"


@pytest.mark.parametrize(
    "path",
    [p for p in outside_ui() if p.name != "cli.py" and p.name != "__main__.py"],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_core_never_imports_the_window_or_the_desk(path):
    imports = imported_modules(path)
    assert not {m for m in imports if m.startswith("newsdesk.ui")}
    if path.relative_to(PACKAGE).parts[0] != "desk":
        assert not {m for m in imports if m.startswith("newsdesk.desk")}, (
            f"{path.name}: core modules do not call the Desk"
        )


@pytest.mark.parametrize("path", modules(PACKAGE), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_owns(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and doc.strip(), f"{path} needs a one-line module docstring"
