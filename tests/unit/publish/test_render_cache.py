"""The export's render cache: each approved body rendered once, by content hash, and
never trusted over the approved text when `full` asks for a fresh render."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from newsdesk.formats.html import render_body_html
from newsdesk.publish import html as html_layout
from newsdesk.publish import hugo, ninjs, render
from newsdesk.publish.export import FORMATS, export
from newsdesk.publish.render import body_renderer
from newsdesk.store import Store
from newsdesk.store.render_cache import StoreRenderCache
from tests.unit.publish.export_corpus import NOW, corpus
from tests.unit.publish.export_source import MemorySource


class MemoryCache:
    """A RenderCache in memory (publish/source.py), as the store's keeps it."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], str] = {}

    def bodies(self, hashes: Sequence[str], renderer: str) -> dict[str, str]:
        return {h: self.rows[h, renderer] for h in hashes if (h, renderer) in self.rows}

    def keep(self, bodies: Mapping[str, str], renderer: str) -> None:
        self.rows.update(((h, renderer), body) for h, body in bodies.items())


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def no_markdown(monkeypatch) -> None:
    """From now on, rendering a Markdown body fails the test."""
    def refuse(text: str) -> str:
        raise AssertionError("a body was rendered although the cache holds it")
    for module in (render, hugo, html_layout, ninjs):
        monkeypatch.setattr(module, "render_body_html", refuse)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_renders_each_approved_body_once_and_the_next_reads_it(
    tmp_path, monkeypatch, fmt
):
    stories = [s for s in corpus() if not s.extra.get("pictures")]
    cache = MemoryCache()
    export(MemorySource(stories), fmt, tmp_path / "one", NOW, cache=cache)
    kept = {h: body for (h, _renderer), body in cache.rows.items()}
    assert kept == {s.content_hash: render_body_html(s.body) for s in stories}
    no_markdown(monkeypatch)
    export(MemorySource(stories), fmt, tmp_path / "two", NOW, cache=cache)
    assert files(tmp_path / "two") == files(tmp_path / "one")


def test_full_renders_afresh_and_writes_over_a_poisoned_body(tmp_path):
    stories = corpus()[:3]
    cache = MemoryCache()
    export(MemorySource(stories), "html", tmp_path / "clean", NOW, cache=cache)
    for key in cache.rows:
        cache.rows[key] = "<p>poisoned</p>"
    export(MemorySource(stories), "html", tmp_path / "poisoned", NOW, cache=cache)
    assert b"poisoned" in b"".join(files(tmp_path / "poisoned").values())
    export(MemorySource(stories), "html", tmp_path / "poisoned", NOW, cache=cache, full=True)
    assert files(tmp_path / "poisoned") == files(tmp_path / "clean")
    assert "<p>poisoned</p>" not in cache.rows.values()


def test_the_store_keeps_bodies_by_hash_and_renderer(tmp_path):
    with Store.open(tmp_path / "desk.db") as store:
        cache = StoreRenderCache(store)
        cache.keep({"h1": "<p>one</p>", "h2": "<p>two</p>"}, "r1")
        cache.keep({"h1": "<p>again</p>"}, "r1")  # the same key: replaced
        cache.keep({"h1": "<p>other renderer</p>"}, "r2")
        assert cache.bodies(["h1", "h2", "h3"], "r1") == {"h1": "<p>again</p>",
                                                         "h2": "<p>two</p>"}
        assert cache.bodies(["h1"], "r2") == {"h1": "<p>other renderer</p>"}
        assert cache.bodies([f"h{n}" for n in range(1000)], "r1").keys() == {"h1", "h2"}
        assert not store.db.conn.in_transaction


def test_the_renderer_key_names_the_code_and_libraries():
    key = body_renderer()
    assert key.startswith("body/1 ") and "markdown-" in key and "nh3-" in key
    assert key == body_renderer()
