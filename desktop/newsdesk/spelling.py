"""Spell checking for copy: pyspellchecker's English dictionary plus the newsroom word list.

`misspelled(text)` returns (start, length, word) for each word not known. Words are left
alone when they hold digits ("20th", "COP28"), are ALL CAPS (acronyms), sit in a URL, e-mail
address or Markdown link target, are on the newsroom word list (rules.yaml `words` and
words.txt in the config dir), or appear in the story's own metadata (pass `story`: a name in
the byline or dateline is not a typo in the body). `add_word` puts a word on the list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spellchecker import SpellChecker

from newsdesk import rules as rules_module
from newsdesk.model import Story
from newsdesk.rules import Rules, load_rules

Miss = tuple[int, int, str]

# Letters with inner apostrophes or hyphens; digits glued on make the whole token exempt.
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SKIP_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|\S+@\S+\.\S+|\]\([^)]*\)|`[^`\n]*`|<[^>\n]*>", re.I
)
_ENGLISH_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_METADATA_FIELDS = ("headline", "byline", "editor", "source", "section", "caption")


@lru_cache(maxsize=1)
def _dictionary() -> SpellChecker:
    return SpellChecker(language="en")


def frequency(word: str) -> int:
    """How common a word is in the English dictionary (0 when unknown)."""
    return int(_dictionary().word_frequency[word.lower()])


def is_known(word: str, rules: Rules | None = None) -> bool:
    """True when the dictionary or the newsroom word list knows the word."""
    rules = rules or load_rules()
    lowered = word.lower().replace("’", "'")
    if rules.knows(lowered) or lowered in _dictionary():
        return True
    if lowered.endswith("'s"):
        stem = lowered[:-2]
        return rules.knows(stem) or stem in _dictionary()
    return False


def story_words(story: Story) -> frozenset[str]:
    """Words from the story's metadata and tags, taken as correct wherever they appear."""
    texts = [getattr(story, name) for name in _METADATA_FIELDS]
    texts += [story.dateline.place, *story.tags]
    return frozenset(w.casefold() for text in texts for w in re.findall(r"[^\W\d_]+", text))


def misspelled(text: str, story: Story | None = None, rules: Rules | None = None) -> list[Miss]:
    """(start, length, word) of each unknown word in the text, in order."""
    rules = rules or load_rules()
    known_here = story_words(story) if story is not None else frozenset()
    skipped = [(m.start(), m.end()) for m in _SKIP_RE.finditer(text)]
    misses: list[Miss] = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group(0)
        if any(start <= match.start() < end for start, end in skipped):
            continue
        if any(ch.isdigit() for ch in token):
            continue
        offset = match.start()
        for part in re.finditer(r"[^\-]+", token):
            word = part.group(0).strip("'’")
            if _exempt(word, known_here) or is_known(word, rules):
                continue
            misses.append((offset + part.start(), len(part.group(0)), part.group(0)))
    return misses


def _exempt(word: str, known_here: frozenset[str]) -> bool:
    if len(word) < 2 or word.isupper():
        return True
    if not _ENGLISH_RE.fullmatch(word):
        return True  # the dictionary is English; other scripts and accents are not judged
    base = re.sub(r"['’]s$", "", word).casefold()
    return base in known_here


def suggestions(word: str, limit: int = 5) -> list[str]:
    """Likely corrections, most likely first, in the word's own capitalization."""
    candidates = _dictionary().candidates(word.lower()) or set()
    ranked = sorted(candidates - {word.lower()}, key=frequency, reverse=True)[:limit]
    if word[:1].isupper():
        ranked = [w.capitalize() for w in ranked]
    return ranked


def add_word(word: str, directory: Path | None = None) -> Path:
    """Put a word on the newsroom word list (words.txt in the config dir)."""
    return rules_module.add_word(word, directory)
