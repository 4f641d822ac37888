"""Delivery decisions, by table: what a push's answer means, the waits between tries, and
the outcome (and exit code) of a sync from what its report holds."""

from __future__ import annotations

import pytest

from newsdesk.sync.delivery import Backoff
from newsdesk.sync.git import BEHIND, FAILED, PUSHED, one_line, push_result
from newsdesk.sync.report import OUTCOMES, SyncReport, outcome_of

REF = "HEAD:refs/heads/main"


@pytest.mark.parametrize(
    ("code", "out", "err", "expected"),
    [
        (0, f"To r.git\n*\t{REF}\t[new branch]\nDone\n", "", (PUSHED, "")),
        (0, f"To r.git\n=\t{REF}\t[up to date]\nDone\n", "", (PUSHED, "")),
        # Lost a race: fetch, merge and push again.
        (1, f"To r.git\n!\t{REF}\t[rejected] (fetch first)\nDone\n",
         "error: failed to push some refs\nhint: Updates were rejected",
         (BEHIND, "[rejected] (fetch first)")),
        (1, f"To r.git\n!\t{REF}\t[rejected] (non-fast-forward)\nDone\n", "",
         (BEHIND, "[rejected] (non-fast-forward)")),
        (1, f"To r.git\n!\t{REF}\t[remote rejected] (failed to update ref)\nDone\n",
         "remote: error: cannot lock ref 'refs/heads/main': is at 77bb but expected 7715",
         (BEHIND, "[remote rejected] (failed to update ref)")),
        # Refused for good: trying again would not help.
        (1, f"To r.git\n!\t{REF}\t[remote rejected] (pre-receive hook declined)\nDone\n",
         "remote: pushes are closed today",
         (FAILED, "[remote rejected] (pre-receive hook declined)")),
        (128, "", "fatal: 'r.git' is not a git repository\nfatal: Could not read it.\n",
         (FAILED, "fatal: 'r.git' is not a git repository fatal: Could not read it.")),
        (1, "", "", (FAILED, "git push exited 1")),
        # Race words without a refused ref (here in a fatal error) do not make a race.
        (128, "", "fatal: cannot lock ref 'x'", (FAILED, "fatal: cannot lock ref 'x'")),
    ],
)
def test_what_a_push_answer_means(code, out, err, expected):
    assert push_result(code, out, err) == expected


def test_git_messages_become_one_line():
    assert one_line("fatal: a\n\n  hint: b  \n") == "fatal: a hint: b"


@pytest.mark.parametrize(
    ("random", "retry", "expected"),
    [
        (1.0, 1, 0.25),
        (1.0, 2, 0.5),
        (1.0, 5, 4.0),
        (1.0, 9, 4.0),  # never more than the cap
        (0.5, 3, 0.5),
        (0.0, 4, 0.0),  # full jitter: anything from no wait to the top
    ],
)
def test_waits_grow_with_each_retry_up_to_a_cap(random, retry, expected):
    assert Backoff(random=lambda: random).delay(retry) == expected


def test_the_default_waits_stay_within_a_few_seconds():
    backoff = Backoff(random=lambda: 1.0)
    assert sum(backoff.delay(n) for n in range(1, backoff.attempts)) == 7.75


@pytest.mark.parametrize(
    ("stopped", "kinds", "expected"),
    [
        (False, set(), "ok"),
        (False, {"exported", "imported", "renamed", "git", "note"}, "ok"),
        (False, {"conflict"}, "needs_person"),
        (False, {"missing", "exported"}, "needs_person"),
        (False, {"invalid"}, "needs_person"),
        (False, {"error"}, "not_delivered"),
        (False, {"skipped"}, "not_delivered"),
        (False, {"conflict", "error"}, "not_delivered"),  # the next sync says the rest
        (True, {"error", "conflict"}, "stopped"),
        (True, set(), "stopped"),
    ],
)
def test_the_outcome_of_a_sync(stopped, kinds, expected):
    assert outcome_of(stopped, kinds) == expected
    report = SyncReport("x", stopped="gone" if stopped else "")
    for kind in sorted(kinds):
        report.add(kind, "...")
    assert report.outcome == expected
    assert report.exit_code == OUTCOMES[expected]
    assert report.delivered is (expected in ("ok", "needs_person"))


def test_exit_codes_are_distinct():
    assert OUTCOMES == {"ok": 0, "needs_person": 1, "stopped": 2, "not_delivered": 3}
