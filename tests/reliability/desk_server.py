"""A Desk in its own process, driven one JSON request per line (the state machine's app).

The test process never touches this process's connection: it reads the database file
through connections of its own, as another terminal or laptop would, and at the end it
kills this process with SIGKILL. Every answer is written only after the Desk call
returned, so an answer is an acknowledgement.

Request: {"op": NAME, "as": "editor"|"chief", ...arguments}. Answer: {"ok": VALUE} or
{"error": EXCEPTION_CLASS, "message": TEXT}. Run: python desk_server.py DB EDITOR_DIR CHIEF_DIR.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> None:
    from newsdesk.desk import Desk
    from newsdesk.identity.profile import Profile

    db, editor_dir, chief_dir = sys.argv[1:4]
    profiles = {"editor": Profile.load(Path(editor_dir)), "chief": Profile.load(Path(chief_dir))}
    desk = Desk.open(db)
    sys.stdout.write(json.dumps({"ok": "ready"}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        request = json.loads(line)
        desk.use_profile(profiles[request.pop("as", "editor")])
        try:
            answer = {"ok": OPS[request.pop("op")](desk, **request)}
        except Exception as exc:  # every refusal goes back to the test, which judges it
            answer = {"error": type(exc).__name__, "message": str(exc)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


def _story(story) -> dict:
    return {"id": story.id, "slug": story.slug, "revision": story.revision,
            "status": story.status}


def create(desk, headline: str, body: str) -> dict:
    return _story(desk.create(headline=headline, body=body))


def save(desk, id: str, headline: str, body: str) -> dict:
    story = desk.get(id)
    return _story(desk.save(story.replace(headline=headline, body=body), story.revision))


def rows(desk, **filters) -> list[str]:
    return [row.id for row in desk.list_rows(**filters)]


def count(desk, **filters) -> int:
    return desk.count(**filters)


def status_counts(desk, **filters) -> dict:
    return desk.status_counts(**filters)


def search(desk, query: str) -> list[str]:
    return [row.id for row in desk.search(query, limit=10_000)]


def transition(desk, id: str, action: str, note: str = "") -> dict:
    return _story(desk.transition(id, action, note))


def delete(desk, id: str) -> None:
    desk.delete(id)


def undelete(desk, id: str) -> dict:
    return _story(desk.undelete(id))


def import_paths(desk, paths: list[str]) -> dict:
    report = desk.import_paths(paths)
    return {"imported": [_story(s) for s in report.imported],
            "rejected": [str(reason) for _path, reason in report.rejected]}


def sync(desk, folder: str) -> dict:
    report = desk.sync(folder)
    return {"stopped": report.stopped,
            "kinds": sorted({entry.kind for entry in report.entries})}


def export(desk, fmt: str, out: str) -> dict:
    report = desk.export(fmt, out)
    return {"exported": report.exported_ids, "published": list(report.published),
            "skipped": [list(s) for s in report.skipped]}


def backup(desk) -> str:
    return str(desk.backup())


OPS = {f.__name__: f for f in (create, save, rows, count, status_counts, search, transition,
                               delete, undelete, import_paths, sync, export, backup)}

if __name__ == "__main__":
    main()
