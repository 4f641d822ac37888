"""The replay that decides which signed actions a laptop accepts from outside (a table)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.domain.model import WorkflowAction
from newsdesk.domain.trust import Step, Trust, Verdict, claim_refusal, legacy_status, replay

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHIEF, OTHER, EDITOR = "Y2hpZWY=", "b3RoZXI=", "ZWRpdG9y"
TRUST = Trust(frozenset({CHIEF}))
TO = {"submit": "in_review", "approve": "approved", "publish": "published",
      "request_changes": "draft", "spike": "spiked", "restore": "draft", "takedown": "withdrawn",
      "kill": "killed", "correct": "published", "update": "published"}


def step(action: str, minute: int, key: str = CHIEF, signed: bool = True, **changes) -> Step:
    record = WorkflowAction(
        action, "Someone", key, T0 + timedelta(minutes=minute), 1, "sha256:00", "",
        changes.pop("to_status", TO[action]), "", f"sig-{action}-{minute}",
    )
    return Step(record, signed)


# (start, steps, expected status, words each refused step's reason holds)
CASES = [
    ("draft", [step("submit", 1, EDITOR)], "in_review", []),
    ("draft", [step("submit", 1, EDITOR, signed=False)], "draft", ["does not verify"]),
    ("in_review", [step("approve", 1)], "approved", []),
    ("in_review", [step("approve", 1, OTHER)], "in_review", ["does not trust as a desk chief"]),
    ("in_review", [step("approve", 1, EDITOR)], "in_review", ["does not trust"]),
    ("approved", [step("publish", 1)], "published", []),
    ("published", [step("spike", 1)], "spiked", []),
    ("spiked", [step("restore", 1)], "draft", []),
    ("in_review", [step("request_changes", 1)], "draft", []),
    ("draft", [step("approve", 1)], "draft", ["does not apply to a story that is draft"]),
    ("spiked", [step("publish", 1)], "spiked", ["does not apply to a story that is spiked"]),
    ("spiked", [step("spike", 1, to_status="published")], "spiked", ["claims to lead to"]),
    # After publication: a trusted chief's kill is final; a correction needs no chief.
    ("published", [step("kill", 1)], "killed", []),
    ("published", [step("kill", 1, key=EDITOR)], "published", ["does not trust"]),
    ("killed", [step("approve", 1), step("publish", 2)], "killed",
     ["does not apply to a story that is killed"] * 2),
    ("published", [step("correct", 1, key=EDITOR), step("approve", 2)], "approved", []),
    ("published", [step("takedown", 1)], "published", ["unknown action 'takedown'"]),
    # A story met for the first time: its whole signed life, in order.
    ("draft", [step("submit", 1, EDITOR), step("approve", 2), step("publish", 3),
               step("spike", 4), step("restore", 5)], "draft", []),
    # A slow clock: the approval is timed before the submit it followed.
    ("draft", [step("approve", 1), step("submit", 2, EDITOR)], "approved", []),
    # The same actions in any order of the list: the same result.
    ("draft", [step("publish", 3), step("submit", 1, EDITOR), step("approve", 2)],
     "published", []),
    # A trusted spike after an untrusted approval: the spike applies, the approval not.
    ("in_review", [step("approve", 1, OTHER), step("spike", 2)], "spiked",
     ["does not trust as a desk chief"]),
]


@pytest.mark.parametrize(("start", "steps", "status", "refused"), CASES)
def test_replay(start: str, steps: list[Step], status: str, refused: list[str]) -> None:
    verdict = replay(start, steps, TRUST)
    assert verdict.status == status
    assert len(verdict.refused) == len(refused)
    for got, words in zip(verdict.refused, refused, strict=True):
        assert words in got.reason
    assert len(verdict.accepted) + len(verdict.refused) == len(steps)


def test_claim_refusal_names_the_step_that_would_have_led_there() -> None:
    verdict = replay("in_review", [step("approve", 1, OTHER)], TRUST)
    reason = claim_refusal("approved", verdict)
    assert reason is not None
    assert reason.startswith("status in_review -> approved not applied: the approve: signed by")
    assert claim_refusal("in_review", verdict) is None
    bare = claim_refusal("published", Verdict("spiked", "spiked"))
    assert bare == (
        "status spiked -> published not applied: no signed action by a trusted desk chief "
        "leads there (this laptop holds spiked)"
    )


@pytest.mark.parametrize(
    ("claimed", "trusted", "status"),
    [
        ("draft", False, "draft"),
        ("in_review", False, "in_review"),
        ("spiked", False, "spiked"),
        ("approved", True, "approved"),
        ("published", True, "published"),
        ("approved", False, "in_review"),
        ("published", False, "in_review"),
    ],
)
def test_legacy_status(claimed: str, trusted: bool, status: str) -> None:
    assert legacy_status(claimed, trusted) == status
