"""Every case of decide(base, local, remote), the one decision of a sync pass, in a table.

A row names, for each fact decide() looks at, the values it covers ("*": any); the test
expands every combination of the facts and checks that exactly one row covers it and
that decide() returns that row's action. So the table is the whole rule book, and a case
nobody thought of fails the test instead of being decided by accident.
"""

from __future__ import annotations

import itertools

import pytest

from newsdesk.sync.decide import Action, BaseView, Holds, SideView, decide

BASES = {
    "none": BaseView(False),
    "none, conflict": BaseView(False, False, True),
    "live": BaseView(True, False),
    "tombstone": BaseView(True, True),
    "live, conflict": BaseView(True, False, True),
    "tombstone, conflict": BaseView(True, True, True),
}
LOCAL = ("nothing", "purged", "live", "deleted")
REMOTE = ("nothing", "unreadable", "live", "deleted")
FLAG = (False, True)

KNOWN = "live|tombstone|live, conflict|tombstone, conflict"
AGREED = "live|tombstone"  # a base, no conflict
HERE = "live|deleted"  # a version of the story in this database
GONE = "nothing|purged"
FILE = "live|deleted"  # a readable file of the story

# base, local, local changed, remote, remote changed, same hash, restore missing -> action
TABLE: list[tuple[str, str, str, str, str, str, str, Action]] = [
    # A file that cannot be read: nothing is decided on it.
    ("*", "*", "*", "unreadable", "*", "*", "*", Action.HOLD),
    # First meeting: no base, no conflict.
    ("none", "live", "*", "nothing", "*", "*", "*", Action.EXPORT_FRESH),
    ("none", "nothing|purged|deleted", "*", "nothing", "*", "*", "*", Action.NOTHING),
    ("none", "purged", "*", FILE, "*", "*", "*", Action.PURGED_HERE),
    ("none", "nothing", "*", "live", "*", "*", "*", Action.IMPORT),
    ("none", "nothing", "*", "deleted", "*", "*", "*", Action.NOTHING),
    ("none", HERE, "*", FILE, "*", "yes", "*", Action.ADOPT),
    ("none", HERE, "*", FILE, "*", "no", "*", Action.MERGE),
    # The file vanished without a tombstone.
    ("none, conflict", "*", "*", "nothing", "*", "*", "*", Action.NOTHING),
    (KNOWN, HERE, "*", "nothing", "*", "*", "yes", Action.RESTORE_MISSING),
    (KNOWN, HERE, "yes", "nothing", "*", "*", "no", Action.MISSING_HELD),
    (KNOWN, HERE, "no", "nothing", "*", "*", "no", Action.MISSING),
    (KNOWN, GONE, "*", "nothing", "*", "*", "*", Action.MISSING),
    # An open conflict: both versions are merged again.
    ("none, conflict|live, conflict|tombstone, conflict", "*", "*", FILE, "*", "*", "*",
     Action.MERGE),
    # A base both agreed on, and a file: which side changed since.
    (AGREED, HERE, "yes", FILE, "yes", "*", "*", Action.MERGE),
    ("live", GONE, "*", FILE, "yes", "*", "*", Action.MERGE),  # purged here since
    (AGREED, "live", "yes", FILE, "no", "*", "*", Action.TAKE_LOCAL),
    (AGREED, "deleted", "yes", FILE, "no", "*", "*", Action.TOMBSTONE),
    ("live", GONE, "*", FILE, "no", "*", "*", Action.TOMBSTONE),
    (AGREED, HERE, "no", FILE, "yes", "*", "*", Action.TAKE_REMOTE),
    ("tombstone", GONE, "*", "live", "yes", "*", "*", Action.BRING_BACK),
    ("tombstone", GONE, "*", "deleted", "yes", "*", "*", Action.ADOPT),
    (AGREED, HERE, "no", FILE, "no", "*", "*", Action.BOOKKEEPING),
    ("tombstone", GONE, "*", FILE, "no", "*", "*", Action.BOOKKEEPING),
]


def covers(pattern: str, value: object) -> bool:
    if pattern == "*":
        return True
    if isinstance(value, bool):
        return pattern == ("yes" if value else "no")
    return value in pattern.split("|")


def cases():
    """Every combination of the facts decide() looks at."""
    return itertools.product(BASES, LOCAL, FLAG, REMOTE, FLAG, FLAG, FLAG)


def rows_for(case: tuple) -> list[tuple]:
    return [row for row in TABLE if all(covers(p, v) for p, v in zip(row[:7], case, strict=True))]


def test_every_case_is_in_the_table_once_and_decided_as_it_says():
    checked = 0
    for case in cases():
        base, local, local_changed, remote, remote_changed, same, restore = case
        rows = rows_for(case)
        assert len(rows) == 1, (case, rows)
        here = SideView(Holds(local), "h1", local_changed)
        there = SideView(Holds(remote), "h1" if same else "h2", remote_changed)
        got = decide(BASES[base], here, there, restore_missing=restore)
        assert got is rows[0][7], (case, got, rows[0][7])
        checked += 1
    assert checked == 6 * 4 * 2 * 4 * 2 * 2 * 2


def test_every_action_is_reached():
    assert {row[7] for row in TABLE} == set(Action)


@pytest.mark.parametrize(
    ("base", "local", "remote", "action"),
    [
        # The cases people ask about, in words.
        (BaseView(True), SideView(Holds.LIVE, changed=True), SideView(Holds.DELETED),
         Action.TAKE_LOCAL),  # an edit beats a delete made there (kept, written back)
        (BaseView(True), SideView(Holds.LIVE), SideView(Holds.DELETED, changed=True),
         Action.TAKE_REMOTE),  # deleted there, untouched here: to the trash here
        (BaseView(True), SideView(Holds.LIVE, changed=True),
         SideView(Holds.DELETED, changed=True), Action.MERGE),  # the merge keeps the edit
        (BaseView(True), SideView(Holds.LIVE), SideView(Holds.NOTHING), Action.MISSING),
        (BaseView(False), SideView(Holds.PURGED), SideView(Holds.LIVE), Action.PURGED_HERE),
    ],
)
def test_the_cases_in_words(base, local, remote, action):
    assert decide(base, local, remote) is action
