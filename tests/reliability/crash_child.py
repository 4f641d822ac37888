"""A fork server for the crash tests: imports Newsdesk once, then forks one worker per task.

Starting Python and importing Newsdesk takes seconds on a CI machine; forking an
already-imported process takes milliseconds, so the crash loops can kill dozens of
workers within their time budget. The server itself never opens a database: each
forked worker opens its own Desk, exactly as a freshly started app would.

Protocol (one JSON object per line): the test writes a task on stdin; the server
answers `pid N`, the worker writes its lines, then the server writes `exit N STATUS`
once the worker is gone (finished or killed). Worker lines are written with one
os.write each (atomic on a pipe), so a SIGKILL never leaves half an acknowledgement.

Tasks:
- {"task": "save", "db": PATH, "seed": N}: save stories through Desk in a loop, forever;
  after each committed save, `ack ID REVISION CONTENT_HASH`.
- {"task": "sync", "db": PATH, "folder": PATH}: one `desk.sync(folder)` in small
  batches; `progress DONE` lines, then `finished`.
"""

from __future__ import annotations

import json
import os
import random
import sys


def emit(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def paragraph(rng: random.Random, token: str) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))
    return f"{token} {words}."


WORDS = ("council", "harbour", "ferry", "budget", "vote", "school", "library", "marathon",
         "record", "grant", "night", "bus", "timetable", "mayor", "river", "bridge", "storm")


def save_loop(db: str, seed: int) -> None:
    from newsdesk.desk import Desk
    from newsdesk.store import StaleRevision

    rng = random.Random(seed)
    desk = Desk.open(db)
    ids = [row.id for row in desk.list_rows(limit=10_000)]
    n = 0
    while True:
        n += 1
        token = f"s{seed}n{n}"
        if len(ids) < 3 or rng.random() < 0.15:
            story = desk.create(
                headline=f"Crash story {token}",
                body=paragraph(rng, token),
                tags=("crash", token),
            )
            ids.append(story.id)
        else:
            story = desk.get(rng.choice(ids))
            paragraphs = story.body.split("\n\n")
            if rng.random() < 0.1:
                # A long body spills over several database pages (overflow pages).
                paragraphs = [paragraph(rng, token) for _ in range(rng.randint(50, 300))]
            elif len(paragraphs) > 40 or rng.random() < 0.2:
                paragraphs = paragraphs[: rng.randint(1, 5)]
            paragraphs.append(paragraph(rng, token))
            changed = story.replace(body="\n\n".join(paragraphs), deck=f"Deck {token}")
            try:
                story = desk.save(changed, story.revision)
            except StaleRevision:  # cannot happen with one writer; say so loudly
                emit(f"stale {story.id}")
                continue
        emit(f"ack {story.id} {story.revision} {story.content_hash}")


def sync_once(db: str, folder: str) -> None:
    from newsdesk.desk import Desk
    from newsdesk.sync import engine

    # Small batches: a kill lands between batches as well as inside one.
    engine.BATCH = 5
    desk = Desk.open(db)
    desk.sync(folder, progress=lambda done, _total, _label: emit(f"progress {done}"))
    desk.close()
    emit("finished")


def run(task: dict) -> None:
    if task["task"] == "save":
        save_loop(task["db"], int(task["seed"]))
    elif task["task"] == "sync":
        sync_once(task["db"], task["folder"])
    else:
        raise ValueError(task["task"])


def main() -> None:
    # Imported here, before any fork, so that workers start in milliseconds.
    import newsdesk.desk
    import newsdesk.sync.engine  # noqa: F401

    emit("ready")
    for line in sys.stdin:
        task = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run(task)
            except BaseException as exc:
                emit(f"error {type(exc).__name__}: {exc}")
                code = 1
            os._exit(code)
        emit(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        emit(f"exit {pid} {status}")


if __name__ == "__main__":
    main()
