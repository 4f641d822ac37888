"""The correction note drafted from the diff of the published and the corrected text (a table)."""

from __future__ import annotations

import pytest

from newsdesk.domain.corrections import draft_note

P = "An earlier version of this story"
CASES = [
    ("The mayor, Jon Smyth, opened it.", "The mayor, Jon Smith, opened it.",
     f"{P} misspelled Smith as Smyth."),
    ("The ferry returns on 9 March.", "The ferry returns on 10 March.",
     f"{P} gave the date as 9 March; it was 10 March."),
    ("It opened on Tuesday, 9 March.", "It opened on Wednesday, 10 March.",
     f"{P} gave the date as Tuesday, 9 March; it was Wednesday, 10 March."),
    ("Doors open on 2026-03-09.", "Doors open on 2026-03-10.",
     f"{P} gave the date as 2026-03-09; it was 2026-03-10."),
    ("Doors open at 9:30 daily.", "Doors open at 10:15 daily.",
     f"{P} gave the time as 9:30; it was 10:15."),
    ("The depot cost 12 million euros.", "The depot cost 21 million euros.",
     f"{P} gave the figure as 12; it was 21."),
    ("The mayor opened the depot.", "The governor opened the depot.",
     f"{P} gave governor as mayor."),
    ("Trams run daily.", "Trams run daily. Night trams start in May.",
     f"{P} left out “Night trams start in May”."),
    ("Trams run daily. Some say the depot is haunted.", "Trams run daily.",
     f"{P} wrongly included “Some say the depot is haunted”."),
    ("Same text.", "Same text.", ""),
    ("Same text.", "Same  text.\n", ""),  # spacing is not a correction
    ("a b c d e", "v b w d x f y z",
     f"{P} gave v as a. {P} gave w as c. {P} gave x f y z as e."),
    ("one two three four five six seven", "1 two 3 four 5 six 7",
     f"{P} gave 1 as one. {P} gave 3 as three. {P} gave 5 as five. "
     "It also made 1 other change."),
]


@pytest.mark.parametrize(("published", "corrected", "note"), CASES)
def test_draft_note(published: str, corrected: str, note: str) -> None:
    assert draft_note(published, corrected) == note


def test_a_long_addition_is_quoted_short() -> None:
    added = " ".join(f"word{n}" for n in range(30))
    note = draft_note("Start.", f"Start. {added}")
    assert note.endswith("word11 …”.") and "word12" not in note
