"""What the window's start leaves for later: modules, spelling squiggles, the first backup,
and the story body built in one go (issue 8: the window up in under two seconds)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PySide6.QtGui import QTextCharFormat

from newsdesk.cli import build_parser, read_command_line
from newsdesk.desk import Desk
from newsdesk.formats.source.blocks import split_blocks
from newsdesk.formats.source.inline import Run, parse_inline
from newsdesk.ui.editor import BodyEditor
from newsdesk.ui.editor.document import render, to_markdown

# Loaded when first used, never by the way up: the dashboard, publishing, the dialogs.
NOT_AT_START = (
    "numpy",
    "pyqtgraph",
    "newsdesk.cli.commands.export",
    "newsdesk.publish.export",
    "newsdesk.ui.panes.dashboard",
    "newsdesk.ui.dialogs.history",
    "newsdesk.ui.dialogs.sections",
    "newsdesk.ui.dialogs.stale_save",
    "newsdesk.ui.dialogs.sync",
    "newsdesk.ui.dialogs.export",
    "newsdesk.ui.dialogs.backup",
    "newsdesk.ui.dialogs.sync_conflicts",
    "newsdesk.desk.wire",  # the wire queue: with the first story taken from the wire
    "newsdesk.ui.features.wire",
)

_START = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from newsdesk.cli import read_command_line
read_command_line(["--db", sys.argv[1]])
from newsdesk.desk import Desk
from newsdesk.ui.app import create_application
from newsdesk.ui.main_window import MainWindow
app = create_application([sys.argv[0]])
window = MainWindow(Desk.open(sys.argv[1], seed=True))
window.show()
app.processEvents()
print(json.dumps({"rows": window.model.rowCount(), "loaded": sorted(sys.modules)}))
os._exit(0)
"""


def test_the_way_up_imports_only_what_the_first_screen_needs(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", _START, str(tmp_path / "desk.db")],
        capture_output=True, text=True, timeout=120, check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["rows"] > 0  # the seeded samples are listed
    assert [name for name in NOT_AT_START if name in figures["loaded"]] == []


def test_a_command_line_without_a_command_is_read_without_the_commands(tmp_path, capsys):
    parser, args = read_command_line(["--db", str(tmp_path / "x.db")])
    assert args.command is None and args.db == tmp_path / "x.db" and not args.self_test
    assert parser.add_help is False  # the window's own small parser
    parser, args = read_command_line(["--db", str(tmp_path / "x.db"), "list", "--json"])
    assert args.command == "list" and args.json
    # Help and mistakes come from the full parser, which knows every command.
    with pytest.raises(SystemExit) as exit_help:
        read_command_line(["--help"])
    assert exit_help.value.code == 0 and "export" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_bad:
        read_command_line(["--db"])
    assert exit_bad.value.code == 2 and "--db" in capsys.readouterr().err
    assert "export" in build_parser().format_help()


def test_parsed_runs_are_shared_safely_and_match_character_by_character_reading():
    text = ("A long stretch of plain words " * 40 + "with **bold**, _em_, a [link](https://x.y), "
            "`code`, <b>tag</b>, &amp; and a\\*star. ") * 3
    runs = parse_inline(text)
    assert "".join(r.text for r in runs).count("bold") == 3
    assert Run("bold", bold=True) in runs and Run("em", italic=True) in runs
    assert any(r.href == "https://x.y" and r.text == "link" for r in runs)
    assert Run("`code`", raw=True, code=True) in runs and Run("&amp;", raw=True) in runs
    runs.append(Run("changed by a caller"))
    assert parse_inline(text)[-1] != Run("changed by a caller")
    assert parse_inline(text) == runs[:-1]


def test_a_body_loads_in_one_silent_edit_and_says_so_once(qtbot):
    editor = BodyEditor()
    qtbot.addWidget(editor)
    changes: list[tuple[int, int, int]] = []
    editor.rich.document().contentsChange.connect(lambda *a: changes.append(a))
    loaded: list[int] = []
    editor.loaded.connect(lambda: loaded.append(1))
    body = "".join(f"Paragraph {n} with *some* **styled** words.\n\n" for n in range(60))
    editor.set_markdown(body)
    assert changes == [] and loaded == [1]
    assert editor.markdown() == body and not editor.is_modified()
    assert editor.rich.document().blockCount() == 60


def test_markdown_from_known_signatures_is_what_reading_the_document_gives(qapp):
    from PySide6.QtGui import QTextDocument

    text = "# Head\n\n- one\n- two\n\n> quoted *words*\n\nPlain [link](u) text.\n"
    doc = QTextDocument()
    layout = split_blocks(text)
    signatures = render(layout, doc)
    assert to_markdown(doc, layout, signatures, signatures) == to_markdown(doc, layout, signatures)
    assert to_markdown(doc, layout, signatures, signatures)[0] == text


def _underlined(window) -> list[str]:
    found = []
    block = window.editor.rich.document().firstBlock()
    while block.isValid():
        found += [
            block.text()[r.start : r.start + r.length]
            for r in block.layout().formats()
            if r.format.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline
        ]
        block = block.next()
    return found


def test_squiggles_follow_once_a_story_has_settled(qtbot, make_window, desk: Desk, monkeypatch):
    passed = desk.create(headline="Passed", body="The ferry will recieve a new engine.\n")
    stayed = desk.create(headline="Stayed", body="Harbour teh quay.\n")
    window = make_window(desk)
    spelling = window.copy_desk.spelling
    qtbot.waitUntil(lambda: not spelling.is_checking(), timeout=3000)
    checked: list[str] = []
    real = Desk.misspelled

    def misspelled(self: Desk, text: str, story=None):
        checked.append(text)
        return real(self, text, story)

    monkeypatch.setattr(Desk, "misspelled", misspelled)
    window.open_story(passed.id)
    window.open_story(stayed.id)
    # Opening checks nothing: the story shows first, its squiggles come after.
    assert checked == [] and _underlined(window) == [] and spelling.is_checking()
    qtbot.waitUntil(lambda: _underlined(window) == ["teh"], timeout=3000)
    # The story only passed through was never checked.
    assert not any("recieve" in text for text in checked)
    assert not window.editor.is_modified() and not window.isWindowModified()


def test_icons_are_drawn_at_the_size_and_ratio_asked_for(qapp):
    from PySide6.QtCore import QRect, QSize, Qt
    from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap

    from newsdesk.ui import icons

    icon = icons.line_icon("save", "#1d1d1f")
    sharp = icon.pixmap(QSize(24, 24), 2.0)
    assert (sharp.width(), sharp.devicePixelRatio()) == (48, 2.0)
    image = icon.pixmap(QSize(24, 24), 1.0).toImage()
    assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24))
    disabled = icon.pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled).toImage()
    assert disabled != image  # greyed by the style, as fixed pixmaps would be
    assert icons.app_icon().pixmap(QSize(256, 256), 1.0).width() == 256
    assert QSize(256, 256) in icons.app_icon().availableSizes()  # for the window manager
    assert icons.line_icon("no such icon", "#000000").isNull()
    canvas = QPixmap(24, 24)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    icon.paint(painter, QRect(0, 0, 24, 24))  # how line edits and item views draw icons
    painter.end()
    same = QImage.Format.Format_ARGB32
    assert canvas.toImage().convertToFormat(same) == image.convertToFormat(same)
