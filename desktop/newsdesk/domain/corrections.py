"""The correction note Newsdesk drafts from what changed between the published and the
corrected text (pure): the editor reads it, edits it, and records it with the correction.

Each change of the word diff becomes one sentence in the house style:
- a word or name replaced by one close to it (by edit distance): "An earlier version of
  this story misspelled Smyth as Smith." (the right spelling first, as newspapers print it);
- a date, time or figure replaced: "…gave the date as 9 March; it was 10 March.";
- any other replacement: "…gave the mayor as the deputy mayor." (what it is now, then what
  it said);
- words added or taken out: "…left out “…”." / "…wrongly included “…”.".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

PREFIX = "An earlier version of this story"
MAX_CHANGES = 3  # more than this and the note names the first and counts the rest
MAX_QUOTE_WORDS = 12
CLOSE = 0.6  # difflib's ratio from which two spellings are one name misspelled
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "yesterday", "today", "tomorrow",
}
_EDGE_PUNCT = "\"'“”‘’.,;:!?()[]"
_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?$|^\d{1,2}\s*[ap]\.?m\.?$", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}/\d{1,2}(?:/\d{2,4})?$")


@dataclass(frozen=True)
class Change:
    """One run of the word diff: what the published text said and what it says now, with
    the words on either side (to tell a date from a figure)."""

    old: str
    new: str
    before: str = ""  # the word before the run, in both texts
    after: str = ""  # the word after it

    @property
    def context(self) -> str:
        return f"{self.before} {self.after}"


def draft_note(published: str, corrected: str) -> str:
    """The drafted note for the change from `published` to `corrected` ("" if none)."""
    changes = word_changes(published, corrected)
    if not changes:
        return ""
    sentences = [sentence(change) for change in changes[:MAX_CHANGES]]
    rest = len(changes) - MAX_CHANGES
    if rest > 0:
        sentences.append(f"It also made {rest} other change{'s' if rest > 1 else ''}.")
    return " ".join(sentences)


def word_changes(old_text: str, new_text: str) -> list[Change]:
    """The runs of words that differ, in order (punctuation at their ends set aside)."""
    old, new = old_text.split(), new_text.split()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changes = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = " ".join(old[max(0, i1 - 1) : i1]), " ".join(old[i2 : i2 + 1])
        gone, came = _clean(" ".join(old[i1:i2])), _clean(" ".join(new[j1:j2]))
        if gone != came:
            changes.append(Change(gone, came, before, after))
    return changes


def _clean(words: str) -> str:
    return words.strip(_EDGE_PUNCT + " ")


def sentence(change: Change) -> str:
    """One change as a sentence of the note."""
    if not change.old:
        return f"{PREFIX} left out “{_quote(change.new)}”."
    if not change.new:
        return f"{PREFIX} wrongly included “{_quote(change.old)}”."
    kind = quantity(change)
    if kind:
        old, new = change.old, change.new
        month = _clean(change.after)
        if kind == "date" and month.casefold() in _MONTHS:  # "9 March", not "9"
            old, new = f"{old} {month}", f"{new} {month}"
        return f"{PREFIX} gave the {kind} as {old}; it was {new}."
    if _close(change.old, change.new):
        return f"{PREFIX} misspelled {change.new} as {change.old}."
    return f"{PREFIX} gave {change.new} as {change.old}."


def quantity(change: Change) -> str:
    """'date', 'time' or 'figure' when the change is one, else ''."""
    words = f"{change.old} {change.new}".split()
    near = [_clean(w).casefold() for w in (*words, *change.context.split())]
    if all(_TIME.match(text) for text in (change.old, change.new)):
        return "time"
    if any(_ISO_DATE.match(_clean(w)) for w in words) or (
        any(w in _MONTHS for w in near) and _has_digit_or_month(change)
    ):
        return "date"
    if all(any(c.isdigit() for c in text) for text in (change.old, change.new)):
        return "figure"
    return ""


def _has_digit_or_month(change: Change) -> bool:
    return all(
        any(c.isdigit() for c in text) or any(_clean(w).casefold() in _MONTHS
                                              for w in text.split())
        for text in (change.old, change.new)
    )


def _close(old: str, new: str) -> bool:
    """Two spellings of one thing: short, and close by edit distance (difflib's ratio)."""
    if len(old.split()) > 3 or len(new.split()) > 3:
        return False
    return difflib.SequenceMatcher(a=old.casefold(), b=new.casefold()).ratio() >= CLOSE


def _quote(text: str) -> str:
    words = text.split()
    if len(words) <= MAX_QUOTE_WORDS:
        return text
    return " ".join(words[:MAX_QUOTE_WORDS]) + " …"
