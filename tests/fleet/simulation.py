"""A fleet simulation: R rounds of random edits and syncs, then syncs until it settles.

Each round, the laptops sync in a random order, in groups of one to `concurrency` that
sync at the same time; a laptop makes its edits just before its own sync. Every few
rounds clashes are planted at the start of the round: two laptops edit the same
paragraph of one story (a real conflict), two edit neighbouring paragraphs (no conflict:
they merge), two write stories with the same headline (a slug clash). At the end every
laptop syncs in turn until a whole turn changes nothing, as a desk does before checking.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.fleet.edits import PARAGRAPHS, SAME_HEADLINE, Edit
from tests.fleet.fleet import Fleet, Laptop, SyncRun

SETTLE_TURNS = 5


@dataclass(frozen=True)
class Plan:
    laptops: int = 5
    rounds: int = 10
    seed: int = 17
    edits: tuple[int, int] = (0, 4)  # edits a laptop makes before each sync, at random
    concurrency: int = 3  # laptops syncing at the same time, at most
    plant_every: int = 2  # rounds between planted clashes


def simulate(root: Path, plan: Plan) -> Fleet:
    """Run the plan in `root` and return the settled fleet (close it when done)."""
    fleet = Fleet(root, plan.laptops, plan.seed)
    try:
        for round_ in range(plan.rounds):
            if round_ and round_ % plan.plant_every == 0:
                plant(fleet, round_)
            order = list(fleet.laptops)
            fleet.rng.shuffle(order)
            while order:
                size = fleet.rng.randint(1, min(plan.concurrency, len(order)))
                group, order = order[:size], order[size:]
                for laptop in group:
                    for _ in range(fleet.rng.randint(*plan.edits)):
                        record(laptop, laptop.editor.random_edit(round_, laptop.conflicted()))
                fleet.sync(group, round_)
        settle(fleet)
    except BaseException:
        fleet.close()
        raise
    return fleet


def record(laptop: Laptop, edit: Edit | None) -> None:
    if edit is not None:
        laptop.pending.add(edit.story_id)


def plant(fleet: Fleet, round_: int) -> None:
    """Clashes two laptops make without seeing each other's edit (before they sync)."""
    first, second = fleet.rng.sample(fleet.laptops, 2)
    for laptop in (first, second):
        record(laptop, laptop.editor.create(round_, SAME_HEADLINE.format(round=round_),
                                            planted="same-headline"))
    shared = sorted(set(first.editor.live(first.conflicted()))
                    & set(second.editor.live(second.conflicted())))
    if len(shared) < 2:
        return
    clash, neighbours = fleet.rng.sample(shared, 2)
    index = fleet.rng.randrange(PARAGRAPHS)
    for laptop in (first, second):
        record(laptop, laptop.editor.paragraph(round_, clash, index, planted="same-paragraph"))
    index = fleet.rng.randrange(PARAGRAPHS - 1)
    record(first, first.editor.paragraph(round_, neighbours, index, planted="adjacent"))
    record(second, second.editor.paragraph(round_, neighbours, index + 1, planted="adjacent"))


def settle(fleet: Fleet) -> list[SyncRun]:
    """Every laptop syncs in turn until a whole turn changes nothing anywhere."""
    runs: list[SyncRun] = []
    for _ in range(SETTLE_TURNS):
        heads = [laptop.head() for laptop in fleet.laptops]
        turn = [run for laptop in fleet.laptops for run in fleet.sync([laptop], -1)]
        runs.extend(turn)
        quiet = all(
            not any(run.entries(kind) for kind in ("exported", "imported", "updated", "merged",
                                                   "deleted", "tombstone", "renamed"))
            for run in turn
        )
        if quiet and [laptop.head() for laptop in fleet.laptops] == heads:
            break
    return runs
