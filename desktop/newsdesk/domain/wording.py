"""Counted nouns for messages: "1 story", "2 stories", "1,203 stories"."""

from __future__ import annotations

IRREGULAR = {"story": "stories", "entry": "entries", "is": "are"}


def plural(noun: str) -> str:
    return IRREGULAR.get(noun, noun + "s")


def count(n: int, noun: str) -> str:
    """`n` and the noun, singular for exactly one, with thousands separated."""
    return f"{n:,} {noun if n == 1 else plural(noun)}"
