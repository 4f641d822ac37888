"""A realistic synthetic newsroom corpus for the benchmarks: generated text, never wire copy."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from newsdesk.domain.model import Dateline, Story, slugify

SECTIONS = (
    "News / Metro", "News / Nation", "News / World", "Business", "Business / Markets",
    "Sport", "Sport / Football", "Culture", "Culture / Books", "Opinion", "Science", "Health",
)
PLACES = ("Lisbon", "Leeds", "Osaka", "Nairobi", "Quito", "Tallinn", "Perth", "Porto", "Lyon",
          "Accra", "Bergen", "Cork", "Dundee", "Graz", "Hobart")
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Gita", "Hugo", "Iris", "Jun", "Kofi",
         "Lena", "Mateo", "Nadia", "Omar", "Pia", "Ravi", "Sara", "Tomas", "Yuki")
LAST = ("Almeida", "Brandt", "Chen", "Diallo", "Eriksen", "Fonseca", "Garcia", "Haddad", "Ito",
        "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi")
TAGS = ("transport", "housing", "schools", "health", "courts", "elections", "climate", "budget",
        "police", "energy", "football", "tennis", "theatre", "books", "markets", "jobs", "water",
        "tourism", "science", "farming", "technology", "weather", "art", "music", "rail")
STATUS_WEIGHTS = (("draft", 30), ("in_review", 10), ("approved", 10), ("published", 45),
                  ("spiked", 5))
NOUNS = ("council", "committee", "minister", "company", "hospital", "school", "court", "union",
         "bridge", "harbour", "market", "station", "museum", "library", "budget", "report",
         "plan", "team", "club", "festival", "road", "river", "farm", "factory", "clinic")
VERBS = ("approved", "rejected", "announced", "delayed", "opened", "closed", "reviewed",
         "funded", "cut", "expanded", "questioned", "welcomed", "criticised", "extended")
ADJECTIVES = ("new", "local", "regional", "annual", "public", "private", "small", "large",
              "late", "early", "controversial", "long-awaited", "temporary", "final")
FILLER = ("on Monday", "last week", "after a long debate", "according to officials",
          "for the first time", "despite objections", "in a statement", "this year",
          "from next month", "at a meeting", "by a narrow margin", "on Friday evening")


def sentence(rng: random.Random) -> str:
    subject = f"The {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    obj = f"the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(NOUNS)}"
    words = [subject, rng.choice(VERBS), obj, rng.choice(FILLER)]
    if rng.random() < 0.3:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        words.append(f", said {name}")
    return " ".join(words).replace(" ,", ",") + "."


def body(rng: random.Random, words: int) -> str:
    paragraphs, count = [], 0
    while count < words:
        para = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        count += len(para.split())
    return "\n\n".join(paragraphs) + "\n"


def headline(rng: random.Random) -> str:
    return (f"{rng.choice(ADJECTIVES).capitalize()} {rng.choice(NOUNS)} "
            f"{rng.choice(VERBS)} {rng.choice(NOUNS)} {rng.choice(NOUNS)} plan")


def stories(count: int, *, seed: int = 2026, min_words: int = 300,
            max_words: int = 1500) -> Iterator[Story]:
    """`count` stories with unique slugs, spread over two years of work."""
    rng = random.Random(seed)
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    start = datetime(2024, 11, 1, tzinfo=UTC)
    for n in range(count):
        created = start + timedelta(minutes=n * 10 + rng.randint(0, 9))
        head = headline(rng)
        yield Story(
            slug=f"{slugify(head, 18)}-{n:x}",
            headline=head,
            deck=sentence(rng),
            byline=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            dateline=Dateline(rng.choice(PLACES), date(created.year, created.month, created.day)),
            section=rng.choice(SECTIONS),
            editor=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            source="Staff",
            tags=tuple(rng.sample(TAGS, rng.randint(1, 4))),
            body=body(rng, rng.randint(min_words, max_words)),
            status=rng.choices(statuses, weights)[0],
            revision=rng.randint(1, 6),
            created_at=created,
            updated_at=created + timedelta(hours=rng.randint(1, 72)),
            modified_by=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        )
