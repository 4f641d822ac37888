"""Data for the benchmark run: the cached corpus database, its working copy, wire files
to import and signed approvals for the export. Generated text only, never wire copy."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import time
from pathlib import Path

import corpus
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from newsdesk.domain.model import Approval, utcnow
from newsdesk.identity.signing import sign_approval
from newsdesk.store import Store, schema
from newsdesk.store.schema import SCHEMA_VERSION

RESULTS = Path(__file__).resolve().parent / "results"
CHUNK = 5000


def cache_key(count: int, seed: int) -> str:
    """Corpus size, seed, schema (its version and the text of the migrations) and the
    generator's own text: a change to any of them builds a new database instead of
    measuring a stale one."""
    return f"corpus-{count}-seed{seed}-schema{SCHEMA_VERSION}-{source_digest()}"


def source_digest(*more: Path) -> str:
    """Eight hex digits of the generator's and the migrations' text (and `more`)."""
    store = Path(schema.__file__).parent
    digest = hashlib.sha256()
    for path in (Path(corpus.__file__), store / "schema.py", store / "sync_tables.py", *more):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def cached_database(count: int, seed: int, log) -> tuple[Path, float | None]:
    """The corpus database for (count, seed), built once; returns (path, seconds spent
    building it, or None when it came from the cache)."""
    path = RESULTS / "cache" / f"{cache_key(count, seed)}.db"
    if path.exists():
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    log(f"building a {count:,}-story database (cached as {path.name}) ...")
    started = time.perf_counter()
    with Store.open(partial) as store:
        stories = corpus.stories(count, seed=seed)
        done = 0
        while done < count:
            part = [story for _, story in zip(range(CHUNK), stories, strict=False)]
            store.bulk_insert(part, actor="bench")
            done += len(part)
            log(f"  {done:,} stories, {time.perf_counter() - started:.0f} s")
    os.replace(partial, path)  # only a finished build is ever found in the cache
    return path, time.perf_counter() - started


def working_copy(source: Path, folder: Path) -> Path:
    """A copy to change (saves, sync, import, export), so the cache stays as built.

    The folder an earlier run left is moved aside, to be removed by `remove_stale` once
    this run's figures are taken: removing its hundred thousand files just before the
    first sync creates as many made the creates slow for minutes on a file system that
    holds back freshly freed inodes (ext4 without a journal, as on the machine the
    figures in the README come from), and the figures measured that, not Newsdesk."""
    fresh_folder(folder)
    target = folder / "desk.db"
    shutil.copyfile(source, target)
    return target


def fresh_folder(folder: Path) -> None:
    """An empty `folder`; what an earlier run left there is moved aside (working_copy)."""
    if folder.exists():
        folder.rename(folder.with_name(f"{folder.name}.stale-{time.time_ns()}"))
    folder.mkdir(parents=True)


def remove_stale(folder: Path) -> None:
    """Remove what earlier runs in `folder` left (see working_copy)."""
    for stale in folder.parent.glob(f"{folder.name}.stale-*"):
        shutil.rmtree(stale, ignore_errors=True)


def long_body(words: int, seed: int) -> str:
    return corpus.body(random.Random(seed), words)


def write_wire_files(folder: Path, count: int, seed: int = 11) -> list[Path]:
    """`count` wire text files in the layout of the sample feed: date and section lines,
    headline, standfirst and caption, paragraphs, then the Source/Editor trailer."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        place = rng.choice(corpus.PLACES)
        headline = (f"{place} {rng.choice(corpus.NOUNS)} {rng.choice(corpus.VERBS)} "
                    f"{rng.choice(corpus.ADJECTIVES)} {rng.choice(corpus.NOUNS)} plan "
                    f"after {rng.randint(2, 90)} days")
        body = corpus.body(rng, rng.randint(300, 900)).strip()
        editor = f"{rng.choice(corpus.FIRST)} {rng.choice(corpus.LAST)}"
        text = (
            f" date {day} \n{rng.choice(corpus.SECTIONS)}\n\n{headline}\n\n"
            f"{corpus.sentence(rng)}\n{corpus.sentence(rng)}\n\n{body}\n\n\n"
            f"Source: BENCHWIRE   Editor: {editor}\n"
        )
        path = folder / f"wire-bench-{day}-{n:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def approve(store: Store, count: int, approver: str, key: Ed25519PrivateKey) -> list[str]:
    """Make exactly `count` stories exportable: corpus stories marked approved or
    published carry no signed approval, so they go back to review first; then `count`
    of the others get a signed approval and the status approved (one transaction)."""
    now = utcnow()
    with store.transaction():
        store.db.execute(
            "UPDATE stories SET status = 'in_review' WHERE status IN ('approved', 'published')"
        )
        ids = [row[0] for row in store.db.execute(
            "SELECT id FROM stories WHERE deleted_at IS NULL ORDER BY rid LIMIT ?", [count]
        ).fetchall()]
        for story_id in ids:
            story = store.get(story_id)
            approval = Approval(approver, story.revision, story.content_hash, now)
            store.add_approval(story_id, sign_approval(story_id, approval, key))
            store.set_status(story_id, "approved", expected_revision=story.revision,
                             actor=approver, action="approve")
    return ids
