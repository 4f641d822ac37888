"""word_count's fast paths count exactly what the plain regex definition counts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import word_count

# The definition: markup replaced by spaces, then words (CJK characters one each).
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+(?:['’.-][^\W_]+)*")
_NOISE = re.compile(r"(^|\n)\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s)|\]\([^)]*\)|[*_`~\[\]]")


def reference(text: str) -> int:
    return len(_WORD.findall(_NOISE.sub(" ", text)))


PIECES = st.sampled_from(
    ["a", "Zed", "42", " ", "\n", "\t", "\r", ".", "-", "'", "’", "_", "*", "`", "~", "[",
     "]", "(", ")", "](", "#", ">", "+", ",", "\n1. ", "\n- ", "\n> ", "2)", "中", "é", "²",
     "\x1c", "\u2028"]
)


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=24).map("".join))
def test_word_count_matches_the_definition(text: str) -> None:
    assert word_count(text) == reference(text)


@given(st.text(max_size=60))
def test_word_count_matches_the_definition_on_any_text(text: str) -> None:
    assert word_count(text) == reference(text)


def test_word_count_examples() -> None:
    assert word_count("") == 0
    assert word_count("The council's plan, e.g. a well-known one.") == 7
    assert word_count("1. First [link](http://x.example/a-b) and **bold**\n2) two") == 5
    assert word_count("# Head\n\n- item one\n> quote") == 4
    assert word_count("东京 rain") == 3
