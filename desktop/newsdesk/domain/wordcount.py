"""Word count of Markdown text: words as a reader counts them, markup aside."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_MD_NOISE_RE = re.compile(
    r"(^|\n)\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s)|\]\([^)]*\)|[*_`~\[\]]"
)


# Only link targets and numbered-list markers hold word characters among the markup; any
# other markup is punctuation that splits words just as the space replacing it would, so
# text without them is counted as it stands. (A line that starts with a digit after
# blanks is all it takes to be careful.)
def _has_wordy_markup(text: str) -> bool:
    return "](" in text or any(line.lstrip()[:1].isdigit() for line in text.split("\n"))


# ASCII text is counted with str methods at C speed: letters and digits become "a", the
# joiners of _WORD_RE become "j", everything else a space.
_ASCII_CLASSES = str.maketrans(
    {chr(c): "a" if chr(c).isalnum() else "j" if chr(c) in "'.-" else " " for c in range(128)}
)


def word_count(text: str) -> int:
    """Words in Markdown text, markup aside; each CJK character counts as a word."""
    if _has_wordy_markup(text):
        text = _MD_NOISE_RE.sub(" ", text)
    if not text.isascii():
        return len(_WORD_RE.findall(text))
    # A word starts where a run of "a" does, unless a joiner ties that run to the one
    # before it (a joiner with an "a" on both sides).
    classes = text.translate(_ASCII_CLASSES)
    starts = classes.count(" a") + classes.count("ja") + classes.startswith("a")
    tied = (
        classes.count("aj")
        - classes.count("aj ")
        - classes.count("ajj")
        - classes.endswith("aj")
    )
    return starts - tied
