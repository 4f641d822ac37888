"""`newsdesk ingest` and `newsdesk wire` end to end: the queue as a user and an agency meet it.

Every test runs the real command in a subprocess on the files an agency would drop.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.formats.detect import parse_wire_file
from newsdesk.formats.wire_json import item_to_dict
from tests.cli.conftest import newsdesk_executable
from tests.unit.wire_helpers import BODY, ninjs, write_ninjs

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples" / "wire"
UPDATED = BODY + "\n\nA night ferry is added."


@pytest.fixture
def drop(tmp_path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def ingest(newsdesk, folder: Path, check: int = 0) -> dict:
    return json.loads(newsdesk("ingest", "--watch", str(folder), "--once", "--json",
                               check=check).stdout)


def queue(newsdesk, *extra: str) -> list[dict]:
    return newsdesk.json("wire", "list", "--json", *extra)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_every_format_lands_in_the_queue_with_every_mapped_field(newsdesk, drop):
    for sample in SAMPLES.iterdir():
        if "v4" not in sample.name:
            shutil.copy(sample, drop)
    report = ingest(newsdesk, drop)
    assert (report["files"], report["new"], report["rejected"]) == (6, 7, [])
    assert names(drop) == [".done"]
    assert len(names(drop / ".done")) == 6
    rows = queue(newsdesk)
    expected = {item.guid: item for sample in SAMPLES.iterdir() if "v4" not in sample.name
                for item in parse_wire_file(sample)}
    assert {row["guid"] for row in rows} == set(expected)
    for row in rows:
        item = expected[row["guid"]]
        assert (row["agency"], row["urgency"], row["headline"], row["state"]) == (
            item.provider, item.urgency, item.headline, "new")
        shown = newsdesk.json("wire", "show", str(row["number"]), "--json")
        assert shown["item"] == item_to_dict(item)  # every field, unmapped ones too
    assert newsdesk.json("list", "--json") == []  # wire items, not drafts


def test_take_makes_a_draft_whose_editor_is_the_taker(newsdesk, drop):
    newsdesk("profile", "--name", "Ana Ruiz", "--role", "editor")
    shutil.copy(SAMPLES / "nitf-3.6.xml", drop)
    ingest(newsdesk, drop)
    (row,) = queue(newsdesk)
    taken = newsdesk.json("wire", "take", str(row["number"]), "--json")
    story = newsdesk.json("show", taken["slug"], "--json")
    assert (story["status"], story["editor"], story["headline"]) == (
        "draft", "Ana Ruiz", row["headline"])
    (after,) = queue(newsdesk)
    assert (after["state"], after["story_id"], after["taken_by"]) == (
        "taken", taken["id"], "Ana Ruiz")
    again = newsdesk("wire", "take", str(row["number"]), check=2)
    assert "already taken by Ana Ruiz" in again.stderr


def test_an_agency_update_of_a_taken_story_shows_the_diff_and_merges(newsdesk, drop):
    shutil.copy(SAMPLES / "newsml-g2-newsitem.xml", drop)
    ingest(newsdesk, drop)
    slug = newsdesk.json("wire", "take", "1", "--json")["slug"]
    assert newsdesk.json("show", slug, "--json")["agency_update"] is None
    with Desk.open(newsdesk.db) as desk:  # an editor's change to the draft meanwhile
        story = desk.find(slug)
        desk.save(story.replace(body=story.body.replace("Builders", "Crews", 1)), story.revision)
    shutil.copy(SAMPLES / "newsml-g2-newsitem-v4.xml", drop)
    assert ingest(newsdesk, drop)["updated"] == 1
    assert "agency update available" in newsdesk("wire", "list").stdout
    # `newsdesk show` says so too, plain and as JSON.
    assert ("agency update available: v4 from Northwind Press Agency, 2026-03-09 11:20 "
            f"(newsdesk wire diff {slug}; newsdesk wire merge {slug})"
            in newsdesk("show", slug).stdout.splitlines())
    waiting = newsdesk.json("show", slug, "--json")["agency_update"]
    assert (waiting["version"], waiting["taken_version"], waiting["agency"]) == (
        4, 3, "Northwind Press Agency")
    diff = newsdesk("wire", "diff", slug).stdout
    assert "version 3 -> 4" in diff
    assert "+ paragraph 7: Mayor Ruth Adeyemi" in diff
    merged = newsdesk.json("wire", "merge", slug, "--json")
    assert (merged["version"], merged["conflicts"]) == (4, [])
    shown = newsdesk.json("show", slug, "--json")
    assert "Crews finished" in shown["body"] and "Mayor Ruth Adeyemi" in shown["body"]
    assert shown["agency_update"] is None
    assert "agency update" not in newsdesk("show", slug).stdout
    assert queue(newsdesk)[0]["state"] == "taken"
    assert "up to date" in newsdesk("wire", "diff", slug, check=2).stderr


def test_a_clash_is_printed_and_nothing_changes_without_a_choice(newsdesk, drop):
    write_ninjs(drop, "a.json", "urn:a", 1)
    ingest(newsdesk, drop)
    slug = newsdesk.json("wire", "take", "urn:a", "--json")["slug"]
    with Desk.open(newsdesk.db) as desk:
        story = desk.find(slug)
        desk.save(story.replace(body=BODY.replace("on the quay", "at the kiosk")), story.revision)
    write_ninjs(drop, "a2.json", "urn:a", 2, body=BODY.replace("on the quay", "online"))
    ingest(newsdesk, drop)
    refused = newsdesk("wire", "merge", slug, check=1)
    assert "clash in body (paragraph 2)" in refused.stdout
    assert "Timetables are at the kiosk." in refused.stdout
    assert "nothing was changed" in refused.stderr
    assert "at the kiosk" in newsdesk.json("show", slug, "--json")["body"]
    newsdesk("wire", "merge", slug, "--prefer", "desk")
    assert "at the kiosk" in newsdesk.json("show", slug, "--json")["body"]
    assert queue(newsdesk)[0]["state"] == "taken"


def test_the_same_story_from_two_feeds_is_listed_once(newsdesk, drop):
    write_ninjs(drop, "feed-a.json", "urn:feed-a:1", feed="Feed A")
    # The same words as HTML from another feed, under its own guid.
    other = ninjs("urn:feed-b:77", feed="Feed B")
    other["bodies"] = [{"role": "main", "contenttype": "text/html",
                        "value": "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))}]
    (drop / "feed-b.json").write_text(json.dumps(other))
    report = ingest(newsdesk, drop)
    assert (report["new"], report["duplicates"]) == (1, 1)
    assert [r["guid"] for r in queue(newsdesk)] == ["urn:feed-a:1"]
    assert len(queue(newsdesk, "--all")) == 2
    assert "also from: Feed B (urn:feed-b:77)" in newsdesk("wire", "show", "urn:feed-a:1").stdout


def test_nothing_is_ingested_twice(newsdesk, drop):
    path = write_ninjs(drop, "a.json", "urn:a", 1)
    data = path.read_bytes()
    ingest(newsdesk, drop)
    (drop / "a.json").write_bytes(data)  # delivered again, same name
    (drop / "copy.json").write_bytes(data)  # and under another
    report = ingest(newsdesk, drop)
    assert (report["new"], report["updated"], sorted(report["met_again"])) == (
        0, 0, ["a.json", "copy.json"])
    assert names(drop / ".done") == ["a-2.json", "a.json", "copy.json"]
    assert len(queue(newsdesk)) == 1


def test_a_file_still_being_written_is_left_alone(newsdesk, drop):
    write_ninjs(drop, "a.json.tmp", "urn:a", 1)
    write_ninjs(drop, ".b.json", "urn:b", 1)
    report = ingest(newsdesk, drop)
    assert report["files"] == 0 and queue(newsdesk) == []
    (drop / "a.json.tmp").rename(drop / "a.json")
    assert ingest(newsdesk, drop)["new"] == 1
    assert names(drop) == [".b.json", ".done"]


HOSTILE = {
    "bomb.xml": (b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "aaaaaaaaaa">'
                 b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><nitf>&b;</nitf>',
                 "entities are refused"),
    "passwd.xml": (b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY e SYSTEM '
                   b'"file:///etc/passwd">]><nitf><body>&e;</body></nitf>', "entit"),
    "dtd.xml": (b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "http://192.0.2.1/nitf.dtd">'
                b"<nitf/>", "DTD"),
    "latin.json": (b'{"uri": "urn:x", "headlines": [{"value": "Caf\xe9"}]}', "UTF-8"),
    "noguid.json": (json.dumps({k: v for k, v in ninjs("x").items() if k != "uri"}).encode(),
                    "guid"),
    "empty.txt": (b"   \n", "empty"),
    # A NUL in the declared encoding's name made Python's codec lookup raise ValueError.
    "nul.xml": (b'<?xml version="1.0" encoding="\x00TF-8"?><nitf/>', "encoding"),
}


def test_bad_input_is_rejected_with_a_reason_and_changes_nothing(newsdesk, drop):
    for name, (data, _) in HOSTILE.items():
        (drop / name).write_bytes(data)
    with (drop / "huge.xml").open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    report = newsdesk.json("ingest", "--watch", str(drop), "--once", "--json", check=1)
    assert (report["files"], report["new"]) == (0, 0)
    rejected = drop / ".rejected"
    assert names(drop) == [".rejected"]
    for name, (data, words) in {**HOSTILE, "huge.xml": (b"", "too big")}.items():
        reason = (rejected / f"{name}.reason").read_text()
        assert reason.startswith(f"{name}") and words.lower() in reason.lower(), reason
        assert reason.count("\n") == 1
        if data:
            assert (rejected / name).read_bytes() == data  # kept as it came
    assert queue(newsdesk, "--all") == []
    assert newsdesk.json("list", "--json") == []


def test_ingest_takes_files_and_refuses_nonsense(newsdesk, tmp_path):
    good = write_ninjs(tmp_path, "a.json", "urn:a")
    bad = tmp_path / "b.json"
    bad.write_text("{")
    result = newsdesk("ingest", str(good), str(bad), check=1)
    assert "1 new" in result.stdout and "rejected: " in result.stderr
    assert good.exists()  # files named on the command line stay where they are
    again = newsdesk("ingest", str(good), str(bad), check=1)  # the journal knows both
    assert "0 file(s): 0 new" in again.stdout and "2 file(s) ingested before" in again.stdout
    assert "rejected: " in again.stderr  # a bad file still says why
    assert "not both" in newsdesk("ingest", str(good), "--watch", str(tmp_path),
                                  check=2).stderr
    assert "--once goes with --watch" in newsdesk("ingest", str(good), "--once",
                                                  check=2).stderr
    assert "not a folder" in newsdesk("ingest", "--watch", str(good), check=2).stderr
    assert "no wire item" in newsdesk("wire", "show", "99", check=2).stderr


def test_a_watched_folder_ingests_a_file_within_a_second_of_its_rename(newsdesk, drop):
    proc = subprocess.Popen(
        [*newsdesk_executable(), "--db", str(newsdesk.db), "ingest", "--watch", str(drop)],
        env=newsdesk.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        for n in range(2):
            write_ninjs(drop, f"a{n}.json.tmp", f"urn:a{n}", 1, body=f"Story {n}.")
            time.sleep(0.3)  # the watcher is running (the first pass needs the desk open)
            (drop / f"a{n}.json.tmp").rename(drop / f"a{n}.json")
            moved = time.monotonic()
            deadline = moved + (10 if n == 0 else 1.0)  # the first waits for the start
            while not (drop / ".done" / f"a{n}.json").exists():
                assert time.monotonic() < deadline, f"a{n}.json not ingested in time"
                time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert out.count("1 file(s): 1 new") == 2  # a line a pass that found something
    assert [r["guid"] for r in queue(newsdesk)] == ["urn:a1", "urn:a0"]
    assert os.listdir(drop) == [".done"]


def test_the_watch_outlasts_a_busy_database(newsdesk, drop):
    newsdesk("wire", "list")  # the database exists
    lock = sqlite3.connect(newsdesk.db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    proc = subprocess.Popen(
        [*newsdesk_executable(), "--db", str(newsdesk.db), "ingest", "--watch", str(drop)],
        env=newsdesk.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        write_ninjs(drop, "a.json", "urn:a")
        deadline = time.monotonic() + 60
        while not any("trying again" in line for line in said):  # a pass met the lock
            assert time.monotonic() < deadline and proc.poll() is None, said
            time.sleep(0.1)
        assert (drop / "a.json").exists()  # nothing moved while nothing was written
        lock.execute("ROLLBACK")
        while not (drop / ".done" / "a.json").exists():  # the next pass takes it
            assert time.monotonic() < deadline and proc.poll() is None, said
            time.sleep(0.1)
    finally:
        lock.close()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        reader.join(timeout=10)
    assert any("the database is busy" in line for line in said)
    assert [r["guid"] for r in queue(newsdesk)] == ["urn:a"]
