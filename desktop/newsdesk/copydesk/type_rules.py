"""The house rules of each story type: required fields, word limits, target, sections.

A pure data module under rules.py: the built-in rules of the seven types, and the parser
of a rules file's `types:` mapping (each key it names is checked; a bad value is a
ValueError whose message names the type and the key). The gate that applies them to a
story is story_types.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from newsdesk.domain.model import DEFAULT_TYPE, TYPE_RE, normalize_section

# The fields a type may require; "dateline" means both its place and its date.
REQUIRABLE: tuple[str, ...] = (
    "headline", "deck", "byline", "dateline", "section", "editor", "source", "tags",
    "caption", "body",
)
_KEYS = ("label", "required", "min_words", "max_words", "target", "sections")


@dataclass(frozen=True)
class TypeRule:
    """What a story of one type must have. 0 for a word count means no limit, and for
    the target "the house target" (rules `lengths: words`)."""

    name: str
    label: str
    required: tuple[str, ...] = ("headline", "body")
    min_words: int = 0
    max_words: int = 0
    target: int = 0
    # Sections a story of this type may be filed in (each with its sub-sections); empty
    # for any section.
    sections: tuple[str, ...] = ()


BUILTIN_TYPES: tuple[TypeRule, ...] = (
    TypeRule(DEFAULT_TYPE, "News", ("headline", "body"), 0, 3000, 0),
    TypeRule("brief", "Brief", ("headline", "body"), 20, 250, 150),
    TypeRule("analysis", "Analysis", ("headline", "deck", "byline", "body"), 400, 2500, 1200),
    TypeRule("opinion", "Opinion", ("headline", "byline", "body"), 300, 1500, 800,
             ("Opinion",)),
    TypeRule("obituary", "Obituary", ("headline", "byline", "dateline", "body"), 150, 2000,
             800),
    TypeRule("live", "Live", ("headline", "deck", "body"), 0, 20000, 1500),
    TypeRule("correction", "Correction", ("headline", "body"), 10, 300, 100),
)


def type_label(name: str) -> str:
    """The name people see for a type: the built-in label, else the name capitalized
    (exports have no house rules at hand: a desk's own label shows in the window)."""
    rule = next((rule for rule in BUILTIN_TYPES if rule.name == name), None)
    return rule.label if rule is not None else name.capitalize()


def parse_types(
    value: object, base: tuple[TypeRule, ...]
) -> tuple[TypeRule, ...]:
    """`base` with a rules file's `types:` applied: each named type changes only the keys
    it gives; a new name adds a type. ValueError names the type and key that is wrong."""
    if not isinstance(value, dict):
        raise ValueError("expected a mapping of type names")
    rules = {rule.name: rule for rule in base}
    for name, spec in value.items():
        if not isinstance(name, str) or not TYPE_RE.match(name):
            raise ValueError(f"{name!r} is not a type name (a lower-case word such as brief)")
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            raise ValueError(f"{name}: expected a mapping of {', '.join(_KEYS)}")
        rule = rules.get(name) or TypeRule(name, name.capitalize())
        rules[name] = _apply(rule, spec)
    return tuple(rules.values())


def _apply(rule: TypeRule, spec: dict[object, object]) -> TypeRule:
    changes: dict[str, object] = {}
    for key, item in spec.items():
        where = f"{rule.name}: {key}"
        if key == "label":
            if not isinstance(item, str) or not item.strip():
                raise ValueError(f"{where}: expected a non-empty text")
            changes["label"] = item.strip()
        elif key == "required":
            changes["required"] = _required(item, where)
        elif key in ("min_words", "max_words", "target"):
            changes[str(key)] = _count(item, where)
        elif key == "sections":
            changes["sections"] = _sections(item, where)
        else:
            raise ValueError(f"{where}: unknown key (known: {', '.join(_KEYS)})")
    new = replace(rule, **changes)  # type: ignore[arg-type]
    if new.max_words and new.min_words > new.max_words:
        raise ValueError(f"{rule.name}: min_words {new.min_words} is above max_words "
                         f"{new.max_words}")
    return new


def _required(item: object, where: str) -> tuple[str, ...]:
    if not isinstance(item, list) or not all(isinstance(name, str) for name in item):
        raise ValueError(f"{where}: expected a list of field names")
    unknown = [name for name in item if name not in REQUIRABLE]
    if unknown:
        raise ValueError(f"{where}: no field {unknown[0]!r} (known: {', '.join(REQUIRABLE)})")
    return tuple(dict.fromkeys(item))


def _count(item: object, where: str) -> int:
    if isinstance(item, bool) or not isinstance(item, int) or item < 0:
        raise ValueError(f"{where}: expected a whole number (0 for none), not {item!r}")
    return item


def _sections(item: object, where: str) -> tuple[str, ...]:
    if not isinstance(item, list) or not all(isinstance(s, str) and s.strip() for s in item):
        raise ValueError(f"{where}: expected a list of section names")
    return tuple(normalize_section(section) for section in item)
