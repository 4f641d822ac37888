"""The wire sub-commands of `newsdesk`: `ingest` (files, or a watched folder) and `wire`
(list, show, take, diff, merge) over the incoming queue (desk/wire.py).

Exit codes: 0 done; 1 some files were rejected (ingest), or an agency update clashes with
the desk's edits and no --prefer was given (merge: the clashes are printed, nothing
changed); 2 an error (one line on stderr, nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from newsdesk.cli.command import Command
from newsdesk.cli.output import emit_json, emit_json_rows

if TYPE_CHECKING:
    from newsdesk.desk import Desk
    from newsdesk.desk.wire import WireDesk
    from newsdesk.domain.model import Story
    from newsdesk.store.wire_queue import WireRow
    from newsdesk.sync.merge import FieldConflict
    from newsdesk.wire.update import AgencyUpdate

STATE_WORDS = {"new": "new", "taken": "taken", "updated": "taken; agency update available",
               "duplicate": "duplicate"}


def _wire(desk: Desk) -> WireDesk:
    return desk.wire


# ingest


def _build_ingest(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="FILE",
                   help="wire files of any format (NewsML-G2, NITF, ninjs, plain text)")
    p.add_argument("--watch", metavar="DIR", help="ingest the files dropped into DIR, moving "
                   "each to DIR/.done/ (or DIR/.rejected/ with a .reason file)")
    p.add_argument("--once", action="store_true",
                   help="with --watch: one pass over what is there, then exit")
    p.add_argument("--json", action="store_true", help="what was done, as JSON")


def cmd_ingest(desk: Desk, args: argparse.Namespace) -> int:
    from newsdesk.cli.progress import progress_bar, wanted

    if bool(args.watch) == bool(args.paths):
        raise _usage("give wire files, or --watch DIR (not both)")
    if args.once and not args.watch:
        raise _usage("--once goes with --watch DIR")
    wire = _wire(desk)
    if args.paths:
        with progress_bar("Ingesting", "file", enabled=wanted(args.json)) as progress:
            report = wire.ingest_paths(args.paths, progress=progress)
        rejected = [(str(path), reason) for path, reason in report.rejected]
        _say(report.arrivals.as_dict(), report.files, rejected, args.json,
             [str(path) for path in report.again])
        return 1 if rejected else 0
    return _watch(wire, args)


def _watch(wire: WireDesk, args: argparse.Namespace) -> int:
    from newsdesk.desk.wire_watch import FolderWatch, WatchReport

    watch = FolderWatch(wire, args.watch)

    def said(report: WatchReport) -> None:
        for error in report.errors:
            print(f"newsdesk: {error}", file=sys.stderr, flush=True)
        if not args.json and (report.done or report.rejected):
            _say(report.arrivals.as_dict(), len(report.done), report.rejected, False)
            sys.stdout.flush()

    if not args.once:
        print(f"watching {watch.folder} (Ctrl-C stops)", file=sys.stderr)
    total = watch.run(once=args.once, on_pass=said)
    if args.json:
        emit_json({**total.arrivals.as_dict(), "files": len(total.done),
                   "rejected": [{"file": n, "reason": r} for n, r in total.rejected],
                   "met_again": total.again, "still_being_written": total.waiting})
    elif total.waiting:
        print(f"still being written (left for the next pass): {', '.join(total.waiting)}",
              file=sys.stderr)
    return 1 if total.rejected else 0


def _say(counts: dict[str, int], files: int, rejected: list[tuple[str, str]],
         as_json: bool, again: list[str] | None = None) -> None:
    again = again or []
    if as_json:
        emit_json({**counts, "files": files,
                   "rejected": [{"file": n, "reason": r} for n, r in rejected],
                   "met_again": again})
        return
    print(f"{files} file(s): {counts['new']} new, {counts['updated']} updated, "
          f"{counts['already_queued']} already queued, {counts['duplicates']} duplicate(s)")
    if again:
        print(f"{len(again)} file(s) ingested before (in the journal): nothing done again")
    for _name, reason in rejected:
        print(f"rejected: {reason}", file=sys.stderr)


# wire list | show | take | diff | merge


def _build_wire(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="wire_action", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="the queue, newest first")
    listing.add_argument("--query", "-q", default="", help="words to search headline and body")
    listing.add_argument("--all", action="store_true", help="duplicates too")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    for name, text in (("show", "one item: its fields and state"),
                       ("take", "make a draft of an item; you are its editor"),
                       ("diff", "what an agency update of a taken story changes"),
                       ("merge", "merge an agency update into the story taken")):
        action = sub.add_parser(name, help=text, description=text)
        action.add_argument("ref", metavar="REF",
                            help="the item's number or guid, or the story taken (slug or id)")
        action.add_argument("--json", action="store_true")
        if name == "merge":
            action.add_argument("--prefer", choices=("desk", "agency"),
                                help="for clashes: keep the desk's text or take the agency's")


def cmd_wire(desk: Desk, args: argparse.Namespace) -> int:
    wire = _wire(desk)
    action = args.wire_action
    if action == "list":
        if args.limit < 1:
            raise _usage("--limit must be at least 1")
        rows = wire.rows(query=args.query, duplicates=args.all, limit=args.limit)
        if args.json:
            emit_json_rows(_row_dict(row) for row in rows)
        else:
            for row in rows:
                print(_row_line(row))
        total = wire.count(query=args.query, duplicates=args.all)
        if total > len(rows) and not args.json:
            print(f"({total - len(rows)} more; use --limit)", file=sys.stderr)
        return 0
    if action == "show":
        return _show(wire, args)
    if action == "take":
        story = wire.take(args.ref)
        if args.json:
            emit_json({"id": story.id, "slug": story.slug, "editor": story.editor})
        else:
            print(f"{story.id}  {story.slug}  (draft; editor {story.editor})")
        return 0
    return _update(wire, args)


def _show(wire: WireDesk, args: argparse.Namespace) -> int:
    from newsdesk.formats.wire_json import item_to_dict

    row = wire.row(args.ref)
    item = wire.item(row)
    copies = wire.copies(row)
    if args.json:
        emit_json({**_row_dict(row), "item": item_to_dict(item),
                   "duplicates": [{"guid": g, "provider": p} for g, p in copies]})
        return 0
    print(_row_line(row))
    for label, value in (("guid", row.guid), ("version", row.version),
                         ("provider", row.provider), ("format", row.format),
                         ("sent", row.sent), ("byline", item.byline),
                         ("dateline", item.dateline_text), ("deck", item.deck)):
        if value not in ("", None):
            print(f"{label}: {value}")
    for guid, provider in copies:
        print(f"also from: {provider or 'another feed'} ({guid})")
    print()
    print(item.body)
    return 0


def _update(wire: WireDesk, args: argparse.Namespace) -> int:
    update = wire.agency_update(args.ref)
    if args.wire_action == "diff":
        if args.json:
            emit_json({"taken_version": update.taken.version,
                       "version": update.newer.version,
                       "changes": update.agency_changes.as_dict(),
                       "conflicts": [_conflict(c) for c in update.conflicts]})
        else:
            _print_update(update)
        return 0
    if update.conflicts and not args.prefer:
        _print_update(update)
        print("newsdesk: the desk and the agency changed the same text; nothing was changed. "
              "Merge with --prefer desk or --prefer agency for the clashes", file=sys.stderr)
        return 1
    story, update = wire.merge_update(args.ref, args.prefer)
    if args.json:
        emit_json({"id": story.id, "slug": story.slug, "revision": story.revision,
                   "version": update.newer.version,
                   "conflicts": [_conflict(c) for c in update.conflicts]})
    else:
        print(f"{story.id}  {story.slug}: merged the agency's version {update.newer.version} "
              f"(revision {story.revision})")
    return 0


def _print_update(update: AgencyUpdate) -> None:
    from newsdesk.wire.update import describe

    print("\n".join(describe(update)))


def _conflict(conflict: FieldConflict) -> dict[str, object]:
    def text(value: object) -> object:
        return value if value is None or isinstance(value, str | int) else str(value)

    return {"label": conflict.label, "taken": text(conflict.base),
            "desk": text(conflict.local), "agency": text(conflict.remote)}


def _row_dict(row: WireRow) -> dict[str, object]:
    return {"number": row.rid, "guid": row.guid, "version": row.version,
            "agency": row.provider, "received_at": row.received_at, "sent": row.sent,
            "urgency": row.urgency, "headline": row.headline, "state": row.state,
            "duplicate_of": row.duplicate_of or None, "story_id": row.story_id or None,
            "taken_by": row.taken_by or None}


def _row_line(row: WireRow) -> str:
    urgency = str(row.urgency) if row.urgency is not None else "-"
    when = (row.sent or row.received_at)[:16].replace("T", " ")
    return (f"{row.rid:>5}  {when}  u{urgency}  {row.provider[:24]:<24}  {row.headline}"
            f"  [{STATE_WORDS.get(row.state, row.state)}]")


def agency_update_json(desk: Desk, story: Story) -> dict[str, object]:
    """For `newsdesk show`: a story taken from the wire gets `agency_update` (None when it
    is up to date with the agency, else the version waiting and the line that says so);
    other stories get nothing (the wire queue is not even read)."""
    from datetime import date

    from newsdesk.wire.update import notice

    if "wire" not in story.extra:
        return {}
    row = desk.wire.pending_update(story.id)
    if row is None:
        return {"agency_update": None}
    line = notice(row.version, row.provider, row.sent or row.received_at, date.today())
    return {"agency_update": {
        "version": row.version, "taken_version": row.taken_version, "agency": row.provider,
        "sent": row.sent or None, "notice": line,
        "line": f"{line} (newsdesk wire diff {story.slug}; newsdesk wire merge {story.slug})",
    }}


def _usage(message: str) -> Exception:
    from newsdesk.domain.model import NewsdeskError

    return NewsdeskError(message)


COMMANDS = (
    Command("ingest", "put wire files (or a watched folder's) into the incoming queue",
            _build_ingest, cmd_ingest),
    Command("wire", "the incoming wire queue: list, show, take, diff, merge", _build_wire,
            cmd_wire),
)
