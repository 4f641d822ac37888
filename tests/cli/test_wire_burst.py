"""A burst dropped into the watched folder goes in whole, through worker processes, and is
searchable as soon as the command ends (the 10,000-item figure: bench_wire_burst.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newsdesk.desk.wire_journal import PARALLEL_FROM

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_wire_burst import generate


# Slow: the worker processes read a pass of PARALLEL_FROM files or more (about 5 s idle).
@pytest.mark.slow
def test_a_burst_of_every_format_goes_in_whole_and_is_searchable_at_once(newsdesk, tmp_path):
    drop = tmp_path / "drop"
    drop.mkdir()
    count = PARALLEL_FROM + 100  # enough for the worker processes to read them
    generate(drop, count, seed=7)
    report = json.loads(newsdesk("ingest", "--watch", str(drop), "--once", "--json").stdout)
    items = report["new"] + report["updated"] + report["already_queued"] + report["duplicates"]
    again = len(report["met_again"])  # byte-identical files: read once
    assert (report["files"], report["rejected"], items) == (count, [], count - again)
    assert sorted(p.name for p in drop.iterdir()) == [".done"]
    assert len(list((drop / ".done").iterdir())) == count
    queued = newsdesk.json("wire", "list", "--all", "--json", "--limit", "10000")
    assert len(queued) == report["new"] + report["duplicates"]
    assert len({row["guid"] for row in queued}) == len(queued)
    # Only the NewsML-G2 template's body names the Saltmarsh bridge.
    found = newsdesk.json("wire", "list", "--query", "saltmarsh", "--json", "--limit", "10000")
    assert {row["guid"] for row in found} == {
        row["guid"] for row in queued
        if row["state"] != "duplicate" and row["headline"].startswith("Tram line")}
    assert found
