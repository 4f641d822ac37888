"""The arrival rule (wire/arrival.py) by a table, and a burst planned in order."""

from __future__ import annotations

import pytest

from newsdesk.wire.arrival import Known, on_arrival, plan
from tests.unit.wire_helpers import item


@pytest.mark.parametrize(
    ("existing", "twin", "version", "decision"),
    [
        (None, None, 1, "new"),
        (None, "urn:other", 1, "duplicate"),  # same text, another guid: another feed
        (Known(1), None, 2, "update"),
        (Known(1), "urn:other", 2, "update"),  # the guid decides before the text
        (Known(3), None, 3, "older_or_same"),  # a re-delivery
        (Known(3), None, 2, "older_or_same"),  # an old version arriving late
        (Known(1, duplicate=True), None, 2, "update"),
    ],
)
def test_on_arrival(existing, twin, version, decision):
    assert on_arrival(existing, twin, item("urn:a", version)) == decision


def test_a_burst_is_planned_as_if_its_items_came_one_by_one():
    burst = [
        item("urn:a", 1),
        item("urn:a", 3),
        item("urn:a", 2),  # late: older than the 3 just before it
        item("urn:b", 1),  # urn:a's text from another feed
        item("urn:b", 1),
        item("urn:c", 1, body="Other words entirely."),
    ]
    decisions = [(a.item.guid, a.decision, a.twin) for a in plan(burst, {}, {})]
    assert decisions == [
        ("urn:a", "new", ""),
        ("urn:a", "update", ""),
        ("urn:a", "older_or_same", ""),
        ("urn:b", "duplicate", "urn:a"),
        ("urn:b", "older_or_same", ""),
        ("urn:c", "new", ""),
    ]


def test_what_the_queue_holds_counts():
    a = item("urn:a", 2)
    arrivals = plan([a, item("urn:b")], {"urn:a": Known(2)}, {a.fingerprint: "urn:a"})
    assert [x.decision for x in arrivals] == ["older_or_same", "duplicate"]
    assert arrivals[1].twin == "urn:a"


def test_an_item_is_not_its_own_duplicate():
    a = item("urn:a", 2)
    assert plan([a], {}, {a.fingerprint: "urn:a"})[0].decision == "new"
