"""Two desk chiefs acting on one story at once, on two laptops (issue 16's Ann and Cy): the
status comes from their signed actions, replayed in the order they were made from the
status both laptops last shared, so no sync ever reports a conflict over it and every
laptop, a third one too, settles on the same status whichever syncs first.

Each laptop is a person's own database, profile and key, driven only through the
`newsdesk` command in a subprocess; the chiefs trust each other's keys, as one desk does.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.security.workflow_laptops import SLUG, Laptop, events, exported_ids, write_story


@pytest.fixture
def desk(tmp_path: Path) -> SimpleNamespace:
    """Wendy (editor) wrote and submitted the story; Ann and Cy (desk chiefs) have it in
    review on their own laptops, through one shared folder."""
    wendy = Laptop(tmp_path, "Wendy Writer", "editor")
    ann = Laptop(tmp_path, "Ann Chief", "desk_chief")
    cy = Laptop(tmp_path, "Cy Chief", "desk_chief")
    for one, other in ((ann, cy), (cy, ann), (wendy, ann), (wendy, cy)):
        one.trusts(other)
    folder = tmp_path / "shared"
    write_story(wendy, tmp_path)
    wendy("submit", SLUG)
    for laptop in (wendy, ann, cy):
        laptop("sync", str(folder))
        assert laptop.status() == "in_review"
    return SimpleNamespace(wendy=wendy, ann=ann, cy=cy, folder=str(folder),
                           out=tmp_path / "out")


def sync_quietly(laptop: Laptop, folder: str) -> str:
    """A sync that needs nobody: exit 0, no conflict, nothing rejected. Its output."""
    done = laptop("sync", folder)  # exit 0: 1 would mean a conflict or a rejection
    said = done.stdout + done.stderr
    kinds = {line.split()[0] for line in said.splitlines() if line.strip()}
    assert not kinds & {"conflict", "rejected"}, said
    return said


@pytest.mark.parametrize("first", ["ann", "cy"])
def test_ann_approves_while_cy_spikes_and_every_laptop_ends_spiked(desk, first: str) -> None:
    """Issue 16: Ann approves; meanwhile, later, Cy spikes it on his laptop. The later
    action wins everywhere, in either order of sync, and the story is not exported."""
    ann, cy, wendy, folder = desk.ann, desk.cy, desk.wendy, desk.folder
    ann("approve", SLUG)
    cy("spike", SLUG, "--note", "legal: hold it")
    one, two = (ann, cy) if first == "ann" else (cy, ann)
    sync_quietly(one, folder)
    sync_quietly(two, folder)
    sync_quietly(one, folder)
    sync_quietly(wendy, folder)  # a third laptop, which took part in neither
    for laptop in (ann, cy, wendy):
        assert laptop.status() == "spiked", laptop.name
        # Both actions, each recorded as its signer's (in the order each laptop met them).
        signed = {(e["action"], e["actor"]) for e in events(laptop)}
        assert {("approve", "Ann Chief"), ("spike", "Cy Chief")} <= signed, laptop.name
    ann("export", "--format", "html", "--out", str(desk.out))
    assert exported_ids(desk.out) == []
    # Settled: nothing more moves, on any laptop.
    for laptop in (ann, cy, wendy):
        assert "nothing to do" in sync_quietly(laptop, folder)


@pytest.mark.parametrize("first", ["ann", "cy"])
def test_an_approval_made_after_another_chiefs_spike_is_overtaken_everywhere(
    desk, first: str
) -> None:
    """The other way round: Cy spikes first, then Ann, who has not seen it, approves.
    The approval does not apply to a spiked story: every laptop stays spiked, and the
    laptops that receive it note it rather than raise the alarm (a trusted chief's
    signature, not a forgery)."""
    ann, cy, wendy, folder = desk.ann, desk.cy, desk.wendy, desk.folder
    cy("spike", SLUG, "--note", "legal: hold it")
    ann("approve", SLUG)
    one, two = (ann, cy) if first == "ann" else (cy, ann)
    said = sync_quietly(one, folder) + sync_quietly(two, folder) + sync_quietly(one, folder)
    said_by_wendy = sync_quietly(wendy, folder)
    for laptop in (ann, cy, wendy):
        assert laptop.status() == "spiked", laptop.name
    assert "came after the story became spiked and was not applied" in said_by_wendy
    assert "came after" in said or first == "cy"  # Cy notes Ann's approval when it reaches him
    ann("export", "--format", "html", "--out", str(desk.out))
    assert exported_ids(desk.out) == []
    for laptop in (ann, cy, wendy):
        sync_quietly(laptop, folder)
        assert laptop.status() == "spiked", laptop.name
