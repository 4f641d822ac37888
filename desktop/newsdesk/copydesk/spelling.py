"""Spell checking for copy: pyspellchecker's English dictionary plus the newsroom word list.

The dictionary is American; with the house spelling en-GB (rules.yaml `spelling`, the
default) British forms of its words are accepted too ("harbour", "metres":
newsdesk.copydesk.british).

`misspelled(text)` returns (start, length, word) for each word not known. Words are left
alone when they hold digits ("20th", "COP28"), are ALL CAPS (acronyms), sit in a URL, e-mail
address or Markdown link target, are on the newsroom word list (rules.yaml `words` and
words.txt in the config dir), or appear in the story's own metadata (pass `story`: a name in
the byline or dateline is not a typo in the body). `add_word` puts a word on the list.
"""

from __future__ import annotations

import contextlib
import marshal
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import platformdirs
from spellchecker import SpellChecker

from newsdesk.copydesk import british
from newsdesk.copydesk import rules as rules_module
from newsdesk.copydesk.rules import Rules, load_rules
from newsdesk.disk.atomic import write_atomic
from newsdesk.domain.model import Story

Miss = tuple[int, int, str]

# Letters with inner apostrophes or hyphens; digits glued on make the whole token exempt.
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SKIP_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|\S+@\S+\.\S+|\]\([^)]*\)|`[^`\n]*`|<[^>\n]*>", re.I
)
_ENGLISH_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# Other digit characters ("²") fail _ENGLISH_RE, so they are left alone all the same.
_DIGIT_RE = re.compile(r"\d")
_METADATA_FIELDS = ("headline", "byline", "editor", "source", "section", "caption")
_SPELLCHECKER_VERSION = version("pyspellchecker")


@lru_cache(maxsize=1)
def _dictionary() -> SpellChecker:
    return SpellChecker(language="en")


@lru_cache(maxsize=1)
def _known_words() -> frozenset[str]:
    """The dictionary's words, which is all that checking needs. Reading pyspellchecker's
    compressed JSON takes over a second, so the word set is kept in the user cache folder
    (per pyspellchecker version) and read from there in a few hundredths of a second."""
    cache = platformdirs.user_cache_path("newsdesk", appauthor=False) / (
        f"spelling-en-{_SPELLCHECKER_VERSION}.marshal"
    )
    try:
        words = marshal.loads(cache.read_bytes())
        if isinstance(words, frozenset):
            return words
    except (OSError, EOFError, ValueError, TypeError):
        pass
    words = frozenset(_dictionary().word_frequency.dictionary)
    with contextlib.suppress(OSError):  # a cache: without it, the next start is slower
        write_atomic(cache, marshal.dumps(words), strict=False)
    return words


def frequency(word: str) -> int:
    """How common a word is in the English dictionary (0 when unknown)."""
    return int(_dictionary().word_frequency[word.lower()])


def is_known(word: str, rules: Rules | None = None) -> bool:
    """True when the dictionary (in the house spelling) or the newsroom word list knows
    the word."""
    rules = rules or load_rules()
    lowered = word.lower().replace("’", "'")
    if rules.knows(lowered) or _in_dictionary(lowered, rules.spelling):
        return True
    if lowered.endswith("'s"):
        stem = lowered[:-2]
        return rules.knows(stem) or _in_dictionary(stem, rules.spelling)
    return False


@lru_cache(maxsize=65536)
def _in_dictionary(lowered: str, spelling: str) -> bool:
    # The dictionary is American: in en-GB a British form of a word it knows is accepted.
    known = _known_words()
    if lowered in known:
        return True
    if spelling != "en-GB":
        return False
    return lowered in british.british_words() or any(
        form in known for form in british.american_forms(lowered)
    )


def story_words(story: Story) -> frozenset[str]:
    """Words from the story's metadata and tags, taken as correct wherever they appear."""
    texts = [getattr(story, name) for name in _METADATA_FIELDS]
    texts += [story.dateline.place, *story.tags, _source_editor(story)]
    return frozenset(w.casefold() for text in texts for w in re.findall(r"[^\W\d_]+", text))


def _source_editor(story: Story) -> str:
    """The agency's editor from a wire trailer (kept with the source, see formats.wire)."""
    return str(story.extra.get("source_editor") or "")


_last_words: list[tuple[tuple[object, ...], frozenset[str]]] = []


def _story_words_once(story: Story) -> frozenset[str]:
    # The editor checks a story block by block: its words are gathered once, not per block.
    key = (*(getattr(story, name) for name in _METADATA_FIELDS), story.dateline.place,
           story.tags, _source_editor(story))
    if not _last_words or _last_words[0][0] != key:
        _last_words[:] = [(key, story_words(story))]
    return _last_words[0][1]


def misspelled(text: str, story: Story | None = None, rules: Rules | None = None) -> list[Miss]:
    """(start, length, word) of each unknown word in the text, in order."""
    rules = rules or load_rules()
    known_here = _story_words_once(story) if story is not None else frozenset()
    skipped = [(m.start(), m.end()) for m in _SKIP_RE.finditer(text)]
    verdicts: dict[str, bool] = {}  # a body repeats its words: judge each once

    def wrong(word: str) -> bool:
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = not (_exempt(word, known_here) or is_known(word, rules))
        return verdict

    misses: list[Miss] = []
    for match in _TOKEN_RE.finditer(text):
        if skipped and any(start <= match.start() < end for start, end in skipped):
            continue
        if not _DIGIT_RE.search(match.group(0)):
            misses.extend(_misses_in(match, wrong))
    return misses


def _misses_in(match: re.Match[str], wrong: Callable[[str], bool]) -> Iterator[Miss]:
    """The unknown words of one token: itself, or each part of a hyphenated one."""
    token = match.group(0)
    parts = re.finditer(r"[^\-]+", token) if "-" in token else (match,)
    for part in parts:
        if wrong(part.group(0).strip("'’")):
            # The token's own match counts from the text, a part's from the token.
            start = part.start() if part is match else match.start() + part.start()
            yield (start, len(part.group(0)), part.group(0))


def _exempt(word: str, known_here: frozenset[str]) -> bool:
    if len(word) < 2 or word.isupper():
        return True
    if not _ENGLISH_RE.fullmatch(word):
        return True  # the dictionary is English; other scripts and accents are not judged
    base = word[:-2] if word.endswith(("'s", "’s")) else word
    return base.casefold() in known_here


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
