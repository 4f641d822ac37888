"""Conflicts between laptops, through the real `newsdesk` command: what merges, and what
`newsdesk conflicts --take / --whole / --undelete` keeps (issue 17).

Two databases (laptops A and B) sync one folder; each step runs `newsdesk` in a
subprocess, and what each laptop holds afterwards is read from its database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.domain.model import Story
from newsdesk.formats.markdown import loads
from newsdesk.store import Store
from newsdesk.sync import sync
from newsdesk.sync.state import is_tombstone
from tests.unit.sync_helpers import story_files

PARAGRAPHS = [
    "The harbour bridge opened again on Monday after eight weeks of repairs.",
    "Engineers replaced the expansion joints on the northern span.",
    "Buses return to their usual routes from Tuesday morning.",
    "The council thanked residents for their patience during the works.",
    "A ceremony is planned for the spring.",
]
BODY = "\n\n".join(PARAGRAPHS) + "\n"
SLUG = "harbour-bridge"


def with_paragraph(body: str, number: int, text: str) -> str:
    """`body` with its paragraph `number` (1-based) replaced by `text`."""
    parts = body.rstrip("\n").split("\n\n")
    parts[number - 1] = text
    return "\n\n".join(parts) + "\n"


class Laptop:
    """One database, driven through the `newsdesk` command."""

    def __init__(self, db: Path, folder: Path):
        self.db = db
        self.folder = folder

    def run(self, *args: str, code: int | None = 0) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        done = subprocess.run(
            [sys.executable, "-m", "newsdesk", "--db", str(self.db), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        if code is not None:
            assert done.returncode == code, (args, done.stdout, done.stderr)
        return done

    def sync(self, code: int | None = 0) -> subprocess.CompletedProcess:
        """`newsdesk sync FOLDER`, the real command."""
        return self.run("sync", str(self.folder), code=code)

    def sync_here(self, *, ok: bool = True) -> dict[str, int]:
        """The same pass in this process (quicker), for the steps around the ones under
        test; returns what it did, by kind."""
        with Store.open(self.db) as store:
            report = sync(store, self.folder, actor=f"Editor {self.db.stem}")
        assert report.ok == ok, report.entries
        return report.counts()

    def story(self, story_id: str) -> tuple[Story, bool]:
        """The story as this laptop holds it, and whether it is in the trash."""
        with Store.open(self.db) as store:
            deleted = store.db.execute(
                "SELECT deleted_at IS NOT NULL FROM stories WHERE id = ?", [story_id]
            ).fetchone()[0]
            return store.get(story_id), bool(deleted)

    def edit(self, story_id: str, **changes: object) -> None:
        with Store.open(self.db) as store:
            current = store.get(story_id)
            store.save(current.replace(**changes), current.revision, actor=f"Editor {self.db.stem}")

    def delete(self, story_id: str) -> None:
        with Store.open(self.db) as store:
            store.delete(story_id, actor=f"Editor {self.db.stem}")


@pytest.fixture
def desks(tmp_path: Path) -> tuple[Laptop, Laptop, str]:
    """Laptops A and B sharing one story through one folder."""
    folder = tmp_path / "shared"
    a, b = Laptop(tmp_path / "a.db", folder), Laptop(tmp_path / "b.db", folder)
    with Store.open(a.db) as store:
        story = store.insert(
            Story(slug=SLUG, headline="Bridge reopens", body=BODY, tags=("transport",)),
            actor="Reporter",
        )
    a.sync_here()
    b.sync_here()
    assert b.story(story.id)[0].body == BODY
    return a, b, story.id


def file_story(folder: Path) -> Story:
    (path,) = story_files(folder)
    return loads(path.read_text(encoding="utf-8"))


def test_edits_to_adjacent_paragraphs_merge_on_both_laptops(desks):
    a, b, story_id = desks
    a.edit(story_id, body=with_paragraph(BODY, 1, PARAGRAPHS[0].replace("Monday", "Sunday")))
    b.edit(story_id, body=with_paragraph(BODY, 2, PARAGRAPHS[1] + " They worked at night."))
    a.sync_here()
    done = b.sync()  # exit 0: nothing needs a person
    assert "merged" in done.stdout
    a.sync_here()
    expected = with_paragraph(
        with_paragraph(BODY, 1, PARAGRAPHS[0].replace("Monday", "Sunday")),
        2,
        PARAGRAPHS[1] + " They worked at night.",
    )
    assert a.story(story_id)[0].body == expected == b.story(story_id)[0].body
    assert file_story(a.folder).body == expected


def clash(a: Laptop, b: Laptop, story_id: str) -> None:
    """A changes paragraph 2, paragraph 4 and the tags; B changes paragraph 2 otherwise
    and paragraph 5. B's sync finds one clash (paragraph 2)."""
    a.edit(
        story_id,
        body=with_paragraph(
            with_paragraph(BODY, 2, "Engineers from A replaced the joints."),
            4,
            "The council thanked residents, said A.",
        ),
        tags=("transport", "bridges"),
    )
    b.edit(
        story_id,
        body=with_paragraph(
            with_paragraph(BODY, 2, "Engineers from B replaced the joints."),
            5,
            "A ceremony is planned for May, said B.",
        ),
    )
    a.sync_here()
    assert b.sync_here(ok=False) == {"conflict": 1}


@pytest.mark.parametrize("side", ["local", "remote"])
def test_take_a_side_keeps_every_clean_change_of_both_sides(desks, side):
    a, b, story_id = desks
    clash(a, b, story_id)
    done = b.run("conflicts", SLUG, "--take", side)
    taken = "Engineers from B" if side == "local" else "Engineers from A"
    expected = with_paragraph(
        with_paragraph(
            with_paragraph(BODY, 2, f"{taken} replaced the joints."),
            4,
            "The council thanked residents, said A.",
        ),
        5,
        "A ceremony is planned for May, said B.",
    )
    on_b = b.story(story_id)[0]
    assert on_b.body == expected
    assert set(on_b.tags) == {"transport", "bridges"}
    assert b.run("conflicts").stdout.strip() == "no conflicts"
    assert f"kept the {side} version of body (paragraph 2)" in done.stdout
    b.sync_here()
    a.sync_here()
    on_a = a.story(story_id)[0]
    assert (on_a.body, set(on_a.tags)) == (expected, {"transport", "bridges"})
    assert file_story(a.folder).body == expected
    # Settled: nothing moves any more.
    assert a.sync_here() == {} and b.sync_here() == {}


@pytest.mark.parametrize("side", ["local", "remote"])
def test_whole_keeps_one_side_entirely_and_says_so(desks, side):
    a, b, story_id = desks
    clash(a, b, story_id)
    before_b = b.story(story_id)[0]
    done = b.run("conflicts", SLUG, "--whole", side)
    assert f"kept the {side} version whole" in done.stdout
    kept = b.story(story_id)[0]
    if side == "local":
        assert (kept.body, kept.tags) == (before_b.body, before_b.tags)
    else:
        assert (kept.body, kept.tags) == (file_story(a.folder).body, ("transport", "bridges"))
    b.sync_here()
    a.sync_here()
    assert a.story(story_id)[0].body == kept.body


def test_the_listing_names_each_clash(desks):
    a, b, story_id = desks
    clash(a, b, story_id)
    listing = b.run("conflicts")
    assert "body (paragraph 2)" in listing.stdout and "tags" not in listing.stdout
    (entry,) = json.loads(b.run("conflicts", "--json").stdout)
    assert entry["fields"] == ["body"]
    assert entry["clashes"] == ["body (paragraph 2)"]
    assert (entry["local_deleted"], entry["remote_deleted"]) == (False, False)


def test_take_and_whole_together_are_refused(desks):
    a, b, story_id = desks
    clash(a, b, story_id)
    done = b.run("conflicts", SLUG, "--take", "local", "--whole", "remote", code=2)
    assert "not allowed with" in done.stderr
    done = b.run("conflicts", SLUG, "--undelete", code=2)
    assert "--undelete" in done.stderr
    # Neither side deleted the story: nothing to undelete, nothing changed.
    done = b.run("conflicts", SLUG, "--take", "local", "--undelete", code=2)
    assert "not deleted" in done.stderr
    assert "paragraph 2" in b.run("conflicts").stdout


def test_a_story_deleted_by_both_laptops_stays_deleted(desks):
    a, b, story_id = desks
    a.edit(story_id, body=with_paragraph(BODY, 2, "Engineers from A replaced the joints."))
    b.edit(story_id, body=with_paragraph(BODY, 2, "Engineers from B replaced the joints."))
    a.delete(story_id)
    b.delete(story_id)
    a.sync_here()
    assert b.sync_here(ok=False) == {"conflict": 1}
    done = b.run("conflicts", story_id[:8], "--take", "remote")
    assert b.story(story_id)[1], "still in the trash on B"
    assert "deletion stands" in done.stdout
    b.sync_here()
    a.sync_here()
    for laptop in (a, b):
        story, deleted = laptop.story(story_id)
        assert deleted and "Engineers from A" in story.body
    assert is_tombstone(file_story(a.folder))


def edit_against_delete(a: Laptop, b: Laptop, story_id: str) -> None:
    """A edits paragraph 2 and deletes the story; B edits paragraph 2 otherwise."""
    a.edit(story_id, body=with_paragraph(BODY, 2, "Engineers from A replaced the joints."))
    a.delete(story_id)
    b.edit(story_id, body=with_paragraph(BODY, 2, "Engineers from B replaced the joints."))
    a.sync_here()
    assert b.sync_here(ok=False) == {"conflict": 1}


def test_taking_a_side_over_a_deletion_keeps_the_deletion(desks):
    a, b, story_id = desks
    edit_against_delete(a, b, story_id)
    done = b.run("conflicts", SLUG, "--take", "local")
    story, deleted = b.story(story_id)
    assert deleted and "Engineers from B" in story.body  # B's words kept, in the trash
    assert "deletion stands" in done.stdout and "--undelete" in done.stdout
    b.sync_here()
    a.sync_here()
    assert a.story(story_id)[1] and b.story(story_id)[1]
    assert is_tombstone(file_story(a.folder))


def test_undelete_brings_the_story_back_on_every_laptop_and_says_so(desks):
    a, b, story_id = desks
    edit_against_delete(a, b, story_id)
    done = b.run("conflicts", story_id[:8], "--take", "local", "--undelete")
    assert "every laptop" in done.stdout
    b.sync_here()
    a.sync_here()
    for laptop in (a, b):
        story, deleted = laptop.story(story_id)
        assert not deleted and "Engineers from B" in story.body
    assert not is_tombstone(file_story(a.folder))


def test_two_laptops_resolving_the_same_clash_differently_settle(desks):
    """A and B both clash with a hand edit of the file; each keeps its own words. The
    first resolution to reach the folder meets the other without a new conflict, and
    both laptops end with the same story."""
    a, b, story_id = desks
    a.edit(story_id, body=with_paragraph(BODY, 2, "Engineers from A replaced the joints."))
    b.edit(story_id, body=with_paragraph(BODY, 2, "Engineers from B replaced the joints."))
    (path,) = story_files(a.folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(PARAGRAPHS[1], "Engineers by hand replaced them."), "utf-8")
    a.sync_here(ok=False)
    b.sync_here(ok=False)
    a.run("conflicts", SLUG, "--take", "local")
    b.run("conflicts", SLUG, "--take", "local")
    a.sync_here()
    done = b.sync()  # exit 0: no new conflict
    assert "two resolutions of the same conflict met" in done.stdout
    assert "conflict " not in done.stderr and "1 conflict" not in done.stdout
    a.sync_here()
    body_a, body_b = a.story(story_id)[0].body, b.story(story_id)[0].body
    assert body_a == body_b == file_story(a.folder).body
    assert body_a in (
        with_paragraph(BODY, 2, "Engineers from A replaced the joints."),
        with_paragraph(BODY, 2, "Engineers from B replaced the joints."),
    )
    assert a.sync_here() == {} and b.sync_here() == {}
