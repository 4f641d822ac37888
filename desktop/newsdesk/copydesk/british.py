"""British spelling: the American forms a British word takes, for an American dictionary.

pyspellchecker's English dictionary is American, so "harbour", "metres" and "organisation"
would look like typos. `american_forms(word)` gives what a compact set of regular patterns
maps a British word to (-our/-or, -re/-er, -ise/-ize, -yse/-yze, -ogue/-og, -ence/-ense, the
doubled l of "travelled" and the single l of "fulfil"); the spell checker accepts the word
when its dictionary knows one of them. Words no pattern covers ("kerb", "tyres",
"programme", "paediatric") are listed in resources/en-GB.txt (`british_words()`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

WORD_LIST = "en-GB.txt"

# (pattern, replacement) over a lower-case word. Each needs a stem in front, so a short
# typo is not waved through because some short word happens to differ by the pattern.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # colour, harbours, favourite, honourable, neighbourhood, harbourmaster
        (r"(?<=[a-z]{2})our", "or"),
        # metre, kilometres, theatre, fibre, centred
        (r"(?<=[a-z]{2}[^aeiou\W])re$", "er"),
        (r"(?<=[a-z]{2}[^aeiou\W])res$", "ers"),
        (r"(?<=[a-z]{2}[^aeiou\W])red$", "ered"),
        # organise, organisation, recognised, realising, criticises
        (r"(?<=[a-z]{2})is(e|es|ed|ing|er|ers|ation|ations|able|ably)$", r"iz\1"),
        # analyse, paralysed
        (r"(?<=[a-z]{2})ys(e|es|ed|ing|er|ers)$", r"yz\1"),
        # catalogue, dialogues, catalogued
        (r"(?<=[a-z]{2})ogue(s?)$", r"og\1"),
        (r"(?<=[a-z]{2})ogued$", "oged"),
        # defence, offences, licence, pretence
        (r"(?<=[a-z]{2}[fct])ence(s?)$", r"ense\1"),
        # travelled, cancelling, modeller, counsellor
        (r"(?<=[a-z]{2}[aeiou])ll(ed|ing|er|ers|or|ors)$", r"l\1"),
        # fulfil, enrols; enrolment, instalments, skilful, wilfully
        (r"(?<=[a-z]{3}[aeiou])l(s?)$", r"ll\1"),
        (r"(?<=[a-z][aeiou])l(ment|ments|ful|fully)$", r"ll\1"),
    )
)


def american_forms(word: str) -> set[str]:
    """The spellings the patterns map a lower-case British word to (one or two steps, as in
    "recognisable" or "manoeuvres"); empty when none applies."""
    forms: set[str] = set()
    frontier = {word}
    for _step in range(2):
        frontier = {
            pattern.sub(replacement, form)
            for form in frontier
            for pattern, replacement in _PATTERNS
        } - frontier - forms - {word}
        forms |= frontier
    return forms


@lru_cache(maxsize=1)
def british_words() -> frozenset[str]:
    """British spellings no pattern covers, lower case (resources/en-GB.txt)."""
    text = files("newsdesk.resources").joinpath(WORD_LIST).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line.casefold() for line in lines if line and not line.startswith("#"))
