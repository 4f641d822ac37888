"""The fleet test (issue 17): five laptops on one bare git remote, ten rounds of random
edits and planted clashes, syncing in random order and some at the same time through
the real `newsdesk sync`; then the checks of tests/fleet/checks.py. A fixed seed; the
timing of concurrent pushes still varies from run to run, and every check must hold
whatever it is. The benchmark (tests/benchmarks/bench_fleet.py) runs 20 and 50 laptops.
"""

from __future__ import annotations

import shutil
import time

import pytest

from tests.fleet import checks
from tests.fleet.simulation import Plan, simulate

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.slow,
]

PLAN = Plan(laptops=5, rounds=10, seed=17)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    started = time.perf_counter()
    fleet = simulate(tmp_path_factory.mktemp("fleet"), PLAN)
    fleet.seconds = time.perf_counter() - started  # type: ignore[attr-defined]
    yield fleet
    fleet.close()


def settling_runs(fleet):
    return [run for run in fleet.runs if run.round == -1]


def test_the_fleet_did_real_work(fleet):
    figures = checks.figures(fleet, PLAN.rounds, fleet.seconds)
    print(figures)
    assert figures.edits_made >= 60 and figures.concurrent_syncs >= 10  # about 120 and 35
    assert figures.slug_renames >= 1  # the planted same-headline stories clashed
    assert figures.conflicts >= 1  # the planted same-paragraph edits clashed


def test_it_settles(fleet):
    assert checks.settled(fleet, settling_runs(fleet)) == []


def test_every_laptop_holds_the_same_stories(fleet):
    assert checks.converged(fleet) == []


def test_no_edit_is_lost(fleet):
    assert checks.edits_found(fleet) == []


def test_no_conflict_markers(fleet):
    assert checks.no_markers(fleet) == []


def test_no_duplicate_ids_or_slugs(fleet):
    assert checks.unique_ids_and_slugs(fleet) == []


def test_no_resurrection_without_an_edit_or_undelete(fleet):
    assert checks.no_resurrection(fleet) == []


def test_commits_touch_only_the_stories_a_laptop_changed(fleet):
    assert checks.commits_touch_only_what_changed(fleet, fleet.runs) == []


def test_every_sync_delivers(fleet):
    assert checks.syncs_delivered(fleet.runs) == []
    assert [run.laptop for run in fleet.runs if run.outcome == "not_delivered"] == []


def test_conflicts_only_where_both_sides_changed_the_same_thing(fleet):
    # Every round with planted clashes has two laptops edit neighbouring paragraphs of one
    # story: the paragraph merge must take both, never call them a conflict.
    assert checks.real_conflicts(fleet) == []
