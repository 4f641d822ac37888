"""The house rules the copy-desk checks apply: shipped defaults plus the desk's own rules file.

The defaults live in `resources/rules.yaml` (package `newsdesk.resources`). A desk overrides
them with `<config dir>/rules.yaml`, holding only the keys it changes; the config dir is
`NEWSDESK_CONFIG_DIR` or else the platform's user config folder. A rules file that cannot be
read, or a key with a bad value, is reported in `Rules.problems` and the default is kept, so
a typo in the desk's file never switches the checks off.

The newsroom word list is the `words` of both files plus `<config dir>/words.txt` (one word a
line), which is where words added from the editor go.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import yaml

from newsdesk.copydesk.type_rules import BUILTIN_TYPES, TypeRule, parse_types
from newsdesk.domain.model import NewsdeskError
from newsdesk.paths import config_dir

RULES_FILE = "rules.yaml"
WORDS_FILE = "words.txt"
QUOTE_STYLES = ("curly", "straight", "any")
# en-GB accepts British spellings ("harbour", "metres") besides the dictionary's American ones.
SPELLINGS = ("en-GB", "en-US")
DASHES = ("en", "em", "off")
# The copy-desk checks by name, in the order they run (checks.CHECKS holds them): what
# `disabled` may list. Here, not taken from checks, so that the rules need no checks.
CHECK_NAMES: tuple[str, ...] = (
    "repeated_paragraph", "headline", "length", "missing", "placeholder", "double_space",
    "quotes", "unbalanced", "name_variants", "embargo", "type", "pictures",
)
_LIMITS = ("headline", "deck", "slug", "picture_width")


class RulesError(NewsdeskError):
    """A rules file or word that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Rules:
    headline_limit: int = 64
    deck_limit: int = 160
    slug_limit: int = 24
    picture_width_limit: int = 1024  # pixels: a narrower picture is a warning
    # Exported pictures carry no metadata; with this, the creator and copyright notice
    # are written back (EXIF Artist and Copyright), never the location or the camera.
    picture_keep_credits: bool = False
    placeholder_words: tuple[str, ...] = ("TK", "XX", "XXX")
    placeholder_patterns: tuple[str, ...] = (r"\[\[[^\]\n]*\]\]",)
    quotes: str = "curly"
    dashes: str = "en"  # what "--" and " - " become as you type: en dash, em dash, or off
    ellipsis: bool = True  # "..." becomes "…"
    words_per_minute: int = 250
    # Fit to length: the target of a story's body in words, and of a story type as
    # (type, words) pairs (`lengths: types`; a type's own `target` is the other way).
    target_words: int = 600
    type_words: tuple[tuple[str, int], ...] = ()
    # The story types and their rules (type_rules.py; `types:` in a rules file).
    types: tuple[TypeRule, ...] = BUILTIN_TYPES
    spelling: str = "en-GB"
    words: frozenset[str] = frozenset()
    disabled: frozenset[str] = frozenset()
    # A killed story's Hugo page: the notice at its URL, or the page as a draft (issue 21).
    kill_page: str = "notice"
    # Messages about the desk's files (bad YAML, bad values); shown, never fatal.
    problems: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=(), compare=False)

    def type_rule(self, name: str) -> TypeRule | None:
        """The rules of the story type `name`, or None for a type the house does not have."""
        return next((rule for rule in self.types if rule.name == name), None)

    def type_names(self) -> tuple[str, ...]:
        return tuple(rule.name for rule in self.types)

    def knows(self, word: str) -> bool:
        """True when the word is on the newsroom word list (case-insensitive)."""
        return word.casefold() in self.words


def default_rules_text() -> str:
    return files("newsdesk.resources").joinpath(RULES_FILE).read_text(encoding="utf-8")


def load_rules(directory: Path | None = None) -> Rules:
    """The defaults, overridden by the desk's rules file and word list in `directory`."""
    directory = config_dir() if directory is None else directory
    rules, problems = apply_rules_text(Rules(), default_rules_text(), "default rules")
    if problems:  # the shipped file is ours: a mistake in it is a bug, not a desk setting
        raise RulesError("; ".join(problems))
    user_file = directory / RULES_FILE
    sources = ["default rules"]
    if user_file.exists():
        try:
            text = user_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems = [f"{user_file}: cannot be read ({exc}); house defaults used"]
        else:
            rules, problems = apply_rules_text(rules, text, str(user_file))
            sources.append(str(user_file))
    words, word_problems = _read_word_list(directory / WORDS_FILE)
    return replace(
        rules,
        words=rules.words | words,
        problems=(*problems, *word_problems),
        sources=tuple(sources),
    )


def apply_rules_text(base: Rules, text: str, source: str) -> tuple[Rules, list[str]]:
    """Rules from YAML text over `base`; each unusable key keeps its value and adds a problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return base, [f"{source}{where}: not valid YAML ({reason}); house defaults used"]
    if data is None:
        return base, []
    if not isinstance(data, dict):
        return base, [f"{source}: expected a mapping of rule names; house defaults used"]
    problems: list[str] = []
    changes: dict[str, object] = {}
    for key, value in data.items():
        if key not in _KEYS:
            problems.append(f"{source}: unknown rule {key!r} ignored (known: {', '.join(_KEYS)})")
            continue
        try:
            if key == "types":
                changes["types"] = parse_types(value, base.types)
            else:
                changes.update(_parse_key(str(key), value))
        except ValueError as exc:
            problems.append(f"{source}: {key}: {exc}; default kept")
    if "words" in changes:
        changes["words"] = base.words | changes["words"]  # type: ignore[operator]
    return replace(base, **changes), problems  # type: ignore[arg-type]


def _parse_key(key: str, value: object) -> dict[str, object]:
    """The Rules fields one key of a rules file sets; ValueError says what is wrong."""
    return _PARSERS[key](value)


def _parse_limits(value: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, limit in _mapping(value).items():
        if name not in _LIMITS:
            raise ValueError(f"unknown limit {name!r} (known: {', '.join(_LIMITS)})")
        out[f"{name}_limit"] = _positive_int(limit, f"limit {name}")
    return out


def _parse_placeholders(value: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, items in _mapping(value).items():
        if name == "words":
            out["placeholder_words"] = tuple(_strings(items, "placeholder words"))
        elif name == "patterns":
            patterns = tuple(_strings(items, "placeholder patterns"))
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(
                        f"pattern {pattern!r} is not a regular expression ({exc})"
                    ) from None
            out["placeholder_patterns"] = patterns
        else:
            raise ValueError(f"unknown key {name!r} (known: words, patterns)")
    return out


def _parse_typography(value: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, item in _mapping(value).items():
        if name == "dashes":
            out["dashes"] = _one_of(item, DASHES, "dashes: ")
        elif name == "ellipsis":
            if not isinstance(item, bool):
                raise ValueError(f"ellipsis: {item!r} is not true or false")
            out["ellipsis"] = item
        else:
            raise ValueError(f"unknown key {name!r} (known: dashes, ellipsis)")
    return out


def _parse_disabled(value: object) -> dict[str, object]:
    names = _strings(value, "disabled")
    unknown = [name for name in names if name not in CHECK_NAMES]
    if unknown:
        raise ValueError(f"no check named {', '.join(unknown)} (known: {', '.join(CHECK_NAMES)})")
    return {"disabled": frozenset(names)}


def _one_of(value: object, choices: tuple[str, ...], what: str = "") -> object:
    if value not in choices:
        raise ValueError(f"{what}{value!r} is not one of {', '.join(choices)}")
    return value


def _parse_lengths(value: object) -> dict[str, object]:
    spec = _mapping(value)
    out: dict[str, object] = {}
    for name, item in spec.items():
        if name == "words":
            out["target_words"] = _positive_int(item, "lengths: words")
        elif name == "types":
            out["type_words"] = tuple(
                (str(kind), _positive_int(words, f"lengths: types: {kind}"))
                for kind, words in _mapping(item or {}).items()
            )
        else:
            raise ValueError(f"unknown key {name!r} (known: words, types)")
    return out


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ValueError("expected a mapping")
    return {str(k): v for k, v in value.items()}


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a whole number above 0, not {value!r}")
    return value


def _strings(value: object, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{what} must be a list of non-empty text items")
    return [v.strip() for v in value]


_PARSERS: dict[str, Callable[[object], dict[str, object]]] = {
    "limits": _parse_limits,
    "placeholders": _parse_placeholders,
    "quotes": lambda value: {"quotes": _one_of(value, QUOTE_STYLES)},
    "typography": _parse_typography,
    "lengths": _parse_lengths,
    "words_per_minute": lambda value: {
        "words_per_minute": _positive_int(value, "words per minute")
    },
    "spelling": lambda value: {"spelling": _one_of(value, SPELLINGS)},
    "words": lambda value: {"words": frozenset(w.casefold() for w in _strings(value, "words"))},
    "disabled": _parse_disabled,
    "kill_page": lambda value: {"kill_page": _one_of(value, ("notice", "draft"))},
    "pictures": lambda value: {"picture_keep_credits": _flag(
        _mapping(value).get("keep_credits", False), "pictures keep_credits")},
}
# `types` is parsed over the types so far (apply_rules_text): a file names only what it
# changes, type by type and key by key.
_KEYS = (*_PARSERS, "types")


def _flag(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{what}: true or false, not {value!r}")
    return value


def _read_word_list(path: Path) -> tuple[frozenset[str], list[str]]:
    if not path.exists():
        return frozenset(), []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return frozenset(), [f"{path}: cannot be read ({exc}); word list not used"]
    words = (line.strip() for line in text.splitlines())
    return frozenset(w.casefold() for w in words if w and not w.startswith("#")), []


def add_word(word: str, directory: Path | None = None) -> Path:
    """Append a word to the desk's word list (words.txt in the config dir); returns the file."""
    word = word.strip()
    if not word or any(ch.isspace() for ch in word) or len(word) > 64:
        raise RulesError(f"{word[:40]!r}: a word-list entry is one word of at most 64 characters")
    directory = config_dir() if directory is None else directory
    path = directory / WORDS_FILE
    known, _ = _read_word_list(path)
    if word.casefold() in known:
        return path
    try:
        directory.mkdir(parents=True, exist_ok=True)
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            if existing and not existing.endswith("\n"):
                handle.write("\n")
            handle.write(word + "\n")
    except OSError as exc:
        raise RulesError(f"cannot add {word!r} to {path}: {exc}") from exc
    return path
