"""Bad input, fuzzed: wire text, Markdown front matter, files, search queries, names.

None may crash with anything but a clean NewsdeskError, none may write outside its
folder: sync file names and export paths are derived from slugs and sections a file can
set to anything (`../../etc/x`, `CON`, `aux.md`), so every path is checked to stay
inside its tree and to avoid names Windows reserves for devices.
"""

from __future__ import annotations

import contextlib
import os
import string
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.desk import Desk
from newsdesk.domain.model import NewsdeskError, Story, slugify
from newsdesk.formats.markdown import dumps, loads, read_markdown
from newsdesk.formats.wire import parse_wire, read_wire
from newsdesk.publish import html as html_writer
from newsdesk.publish import hugo
from newsdesk.publish.export import export
from newsdesk.publish.files import section_folders
from newsdesk.sync.layout import STORIES_DIR, story_relpath
from tests.unit.publish.export_corpus import NOW, approve, make_story
from tests.unit.publish.export_source import MemorySource

EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED = {"count": 0}

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                    *(f"lpt{i}" for i in range(1, 10))}
HOSTILE_NAMES = [
    "../../etc/x", "..", ".", "/etc/passwd", "..\\..\\windows\\x", "C:\\x", "CON", "con",
    "aux.md", "AUX", "nul", "NUL.txt", "com1", "LPT9", "prn.html", "a/../../b", "~", "-",
    "\x00", "x\x00y", " ", "story:stream", "..%2f..%2fetc", "ｃｏｎ", "c\u0301on", "a" * 500,
]
YAML_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(8)
    )
)
HOSTILE_FRONT = [
    YAML_BOMB,
    "headline: !!python/object/apply:os.system ['touch /tmp/newsdesk-pwned']\n",
    "headline: !!python/object:newsdesk.domain.model.Story {}\n",
    "headline: !!python/name:os.system\n",
    "tags: " + "[" * 5000 + "]" * 5000 + "\n",
    "extra: " + "[" * 30 + "x" + "]" * 30 + "\n",
    "headline: x\nheadline: y\n",
    "? [a, b]\n: c\n",
    "slug: ../../etc/x\nheadline: Escape\n",
    "slug: CON\nheadline: Device\nsection: AUX / nul\n",
    "headline: x\nrevision: 99999999999999999999999999\n",
    "headline: x\ncreated_at: 0000-00-00\n",
    "headline: x\nembargo: '2026-13-45T99:99:99Z'\n",
    "headline: x\napprovals: [{approver: a, revision: -1}]\n",
    "headline: \"\\ud800\"\n",
    "headline: *unknown_alias\n",
    "headline: x\n\t- tab\n",
    "%YAML 1.1\n---\nheadline: x\n",
]
FRONT_KEYS = st.sampled_from(
    ["id", "slug", "headline", "deck", "byline", "section", "tags", "status", "revision",
     "embargo", "created_at", "approvals", "dateline", "extra_key", "body"]
)
YAML_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE_NAMES),
    st.integers(),
    st.lists(st.text(max_size=10), max_size=5),
    st.sampled_from(["!!binary aGk=", "&x 1", "*x", "[", "{", "|", ">", "~", "null", "2026-01-01",
                     "!!python/tuple [1]", "@x", "`x`", "'unterminated", '"\\x"']),
)


def _front_matter(pairs: list[tuple[str, object]]) -> str:
    lines = []
    for key, value in pairs:
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(repr(v) for v in value)}]")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


def _loads_or_clean_error(text: str) -> Story | None:
    TRIED["count"] += 1
    try:
        return loads(text, "fuzz.md")
    except NewsdeskError:
        return None


@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Desk:
    folder = tmp_path_factory.mktemp("fuzzdesk")
    with Desk.open(folder / "desk.db") as d:
        d.create(headline="Harbour ferries add late sailings", body="Ferries run late.")
        d.create(headline="Council passes budget", body="The vote was close.", tags=("budget",))
        yield d


# -- wire text and Markdown front matter ----------------------------------------------------


@FUZZ
@given(st.text(max_size=3000))
def test_wire_text_of_any_shape(text: str):
    TRIED["count"] += 1
    try:
        result = parse_wire(text, "fuzz.txt")
    except NewsdeskError:
        return
    assert isinstance(result.story, Story)


@FUZZ
@given(st.lists(st.sampled_from(["\n", "\r\n", "News / Metro", "Source: x Editor: y", "---",
                                 "\u00a0", "\ufeff", "Headline", "2023-11-06", "\x00", "\x1b",
                                 "\u2028", "Photo:", "By ", "* ", "#"]), max_size=60))
def test_wire_layout_pieces_in_any_order(pieces: list[str]):
    TRIED["count"] += 1
    with contextlib.suppress(NewsdeskError):
        parse_wire("".join(pieces), "fuzz.txt")


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from([".txt", ".md"]))
def test_files_of_random_bytes(tmp_path_factory, data: bytes, suffix: str):
    TRIED["count"] += 1
    path = tmp_path_factory.mktemp("bytes") / f"fuzz{suffix}"
    path.write_bytes(data)
    with contextlib.suppress(NewsdeskError):
        (read_wire if suffix == ".txt" else read_markdown)(path)


@FUZZ
@given(st.lists(st.tuples(FRONT_KEYS, YAML_VALUES), max_size=12), st.text(max_size=200))
def test_front_matter_of_random_keys_and_values(pairs, body: str):
    story = _loads_or_clean_error(f"---\n{_front_matter(pairs)}\n---\n{body}")
    if story is not None:
        # What loads accepts, dumps writes back and loads reads the same.
        assert loads(dumps(story), "again.md") == story


@pytest.mark.parametrize("front", HOSTILE_FRONT, ids=range(len(HOSTILE_FRONT)))
def test_hostile_front_matter_is_refused_or_read_as_plain_text(front: str):
    story = _loads_or_clean_error(f"---\n{front}---\nBody.\n")
    assert not Path("/tmp/newsdesk-pwned").exists()
    if story is not None:
        for value in (story.headline, story.slug, story.section, *story.tags):
            assert isinstance(value, str)


@FUZZ
@given(st.text(max_size=600))
def test_any_text_as_a_markdown_file(text: str):
    _loads_or_clean_error(text)
    _loads_or_clean_error("---\n" + text)


@pytest.fixture(scope="module")
def huge_files(tmp_path_factory) -> list[Path]:
    """Files of 50 MB, written once: plain text, a wire layout, front matter then text."""
    folder = tmp_path_factory.mktemp("huge")
    line = b"Ferries run late on the harbour route tonight, the operator said.\n"
    block = line * (50 * 1024 * 1024 // len(line) + 1)
    paths = []
    for name, head in (("plain.txt", b""), ("wire.txt", b"News / Metro\n\nHeadline\n\n"),
                       ("story.md", b"---\nheadline: Big\n---\n"),
                       ("front.md", b"---\nheadline: Big\ndeck: " + b"x" * 1024)):
        path = folder / name
        with open(path, "wb") as handle:
            handle.write(head)
            handle.write(block)
        paths.append(path)
    return paths


@pytest.mark.slow
def test_fifty_megabyte_files_are_refused_cleanly(huge_files: list[Path], tmp_path: Path):
    for path in huge_files:
        TRIED["count"] += 1
        assert path.stat().st_size >= 50 * 1024 * 1024
        with pytest.raises(NewsdeskError, match=r"too big|larger"):
            (read_wire if path.suffix == ".txt" else read_markdown)(path)
    with Desk.open(tmp_path / "desk.db") as desk:
        report = desk.import_paths(huge_files)
        assert report.imported == [] and len(report.rejected) == len(huge_files)
        assert desk.count() == 0


@pytest.mark.slow
def test_fifty_megabytes_of_text_in_memory(huge_files: list[Path]):
    """Text that arrives without a file (pasted): slow is fine, a crash is not."""
    text = huge_files[2].read_text(encoding="utf-8")
    TRIED["count"] += 2
    story = _loads_or_clean_error(text)
    assert story is None or len(story.body) > 1_000_000
    with contextlib.suppress(NewsdeskError):
        parse_wire(text[:5_000_000], "paste")


# -- search ---------------------------------------------------------------------------------


FTS_PIECES = st.sampled_from(
    ['"', "'", "*", "(", ")", "AND", "OR", "NOT", "NEAR", "NEAR(", "^", ":", "-", "+", "{",
     "}", "headline:", "body:x", "\x00", "\\", "%", "_", "ferry", "café", "上海", " ", "\n",
     "\u200b", "🙂", "a" * 300]
)


@FUZZ
@given(st.one_of(st.text(max_size=200), st.lists(FTS_PIECES, max_size=20).map("".join)))
def test_any_search_query(desk: Desk, query: str):
    TRIED["count"] += 1
    try:
        rows = desk.search(query)
        desk.list_rows(query=query, limit=5)
        desk.count(query=query)
    except NewsdeskError:
        return
    assert isinstance(rows, list)


# -- names: nothing written outside its folder ---------------------------------------------


def _safe_relpath(rel: str) -> None:
    """A relative POSIX path that stays inside its tree and that Windows can create."""
    path = PurePosixPath(rel)
    assert rel and not path.is_absolute() and "\\" not in rel, rel
    assert all(part not in ("", ".", "..") for part in path.parts), rel
    for part in PurePosixPath(rel).parts:
        assert part.split(".")[0].lower() not in WINDOWS_RESERVED, rel
        assert not set(part) & set('<>:"|?*\\\x00'), rel


@FUZZ
@given(st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=80)),
       st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=80)))
def test_file_names_derived_from_any_slug_and_section(slug_text: str, section: str):
    TRIED["count"] += 1
    slug = slugify(slug_text)
    story = make_story(1, slug=slug, section=section)
    rel = story_relpath(story)
    assert rel.startswith(f"{STORIES_DIR}/")
    _safe_relpath(rel)
    _safe_relpath(hugo.story_path(story))
    _safe_relpath(html_writer.page_path(story.section, story.slug))
    for folder in section_folders(section):
        _safe_relpath(folder)


@pytest.mark.slow
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_slugs_and_sections_export_and_sync_inside_their_folders(tmp_path, name):
    TRIED["count"] += 1
    slug = slugify(name)
    story = make_story(1, slug=slug, section=f"{name} / {name}", headline=name or "x")
    for fmt in ("hugo", "html", "ninjs"):
        out = tmp_path / fmt
        export(MemorySource([approve(story)]), fmt, out, NOW)
        for path in out.rglob("*"):
            assert out in path.resolve().parents
            _safe_relpath(str(path.relative_to(out)).replace(os.sep, "/"))
    area = tmp_path / "sync"
    with Desk.open(area / "desk.db") as desk:
        try:
            saved = desk.create(slug=slug, headline=name.strip() or "x", section=name)
        except NewsdeskError:
            return
        folder = area / "shared"
        report = desk.sync(folder)
        assert not report.stopped
        files = [p for p in area.rglob("*.md") if folder not in p.parents]
        assert files == []
        (written,) = (folder / STORIES_DIR).rglob("*.md")
        _safe_relpath(str(written.relative_to(folder)).replace(os.sep, "/"))
        assert loads(written.read_text(encoding="utf-8")).id == saved.id


@pytest.mark.slow
@settings(FUZZ, max_examples=max(EXAMPLES // 4, 10))  # a desk and a sync per example
@given(st.text(alphabet=string.printable + "../\\:", max_size=60))
def test_imported_markdown_with_any_slug_stays_inside_the_sync_folder(tmp_path_factory, slug):
    TRIED["count"] += 1
    root = tmp_path_factory.mktemp("slug")
    quoted = slug.replace("\\", "/").replace('"', "")
    text = f'---\nslug: "{quoted}"\nheadline: "Slug test"\n---\nBody.\n'
    src = root / "in.md"
    src.write_text(text, encoding="utf-8")
    with Desk.open(root / "desk.db") as desk:
        report = desk.import_paths([src])
        if not report.imported:  # refused with a reason: nothing to sync
            assert report.rejected and desk.count() == 0
            return
        desk.sync(root / "shared")
    for path in root.rglob("*.md"):
        assert path == src or (root / "shared" / STORIES_DIR) in path.parents


def test_report_fuzz_cases():
    print(f"\nfuzz: {TRIED['count']} cases tried")
