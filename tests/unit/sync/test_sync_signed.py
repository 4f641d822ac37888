"""Sync and signed workflow actions, laptop against laptop: what travels, what merges,
what is refused, and that a refusal is neither fought over nor laundered."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsdesk.domain import workflow
from newsdesk.domain.model import Approval, Story
from newsdesk.formats.markdown import dumps, loads
from newsdesk.store import Store
from newsdesk.sync.arrival import kept_in_file
from newsdesk.sync.merge import merge_actions, merge_stories
from newsdesk.sync.state import sync_hash
from tests.unit.sync_helpers import Person, edit, new_story, only_file, sync, trusting

T = datetime(2024, 3, 5, 7, 45, 12, tzinfo=UTC)


def test_a_story_without_actions_hashes_as_it_did_before_actions_were_signed() -> None:
    """So that upgrading rewrites no file and merges nothing (values from the release
    before: a base recorded then still matches)."""
    story = Story(
        id="3f2b8c1e-9d4a-4c55-8e0f-2a6b7c8d9e10", slug="ferry", headline="Ferry",
        body="One.\n", tags=("a",), status="approved", created_at=T, updated_at=T,
        approvals=(Approval("Xu", 1, "sha256:00", T, "a2V5", "c2ln"),),
    )
    assert sync_hash(story) == (
        "sha256:e861f4d2ea530eaf1bc612a23f77e8c591c56180a17118a4a129db1a63f7ceef"
    )
    assert sync_hash(story, True) == (
        "sha256:5bd7418117aa53c76fc26e022cdf32cfdba381b70af72eb62b071ba970bbd86e"
    )


def shared(a: Store, b: Store, folder: Path) -> Story:
    story = new_story(a)
    sync(a, folder)
    assert sync(b, folder).counts() == {"imported": 1}
    return story


def test_actions_merge_as_a_union_in_the_order_they_were_made(laptops) -> None:
    a, b, folder = laptops
    story = shared(a, b, folder)
    one = Person("Writer", "editor").act(a, story.id, "submit").actions
    two = Person("Other", "editor").act(b, story.id, "submit").actions
    merged = merge_actions(two, one)
    assert merged == merge_actions(one, two) == tuple(sorted((*one, *two), key=lambda x: x.at))
    assert merge_actions(one, one) == one


def test_a_spike_and_an_edit_made_apart_both_arrive_everywhere(laptops) -> None:
    a, b, folder = laptops
    chief = Person("Chief", "desk_chief")
    trusting(a, chief), trusting(b, chief)
    story = shared(a, b, folder)
    chief.act(a, story.id, "spike", "legal")
    edit(b, story.id, headline="Bridge reopens")
    sync(a, folder)
    assert sync(b, folder).counts() == {"merged": 1, "exported": 1}
    sync(a, folder)
    for laptop in (a, b):
        here = laptop.get(story.id)
        assert (here.status, here.headline) == ("spiked", "Bridge reopens")
        assert [x.action for x in here.actions] == ["spike"]


def test_a_refused_claim_is_not_fought_over_nor_written_back_as_ours(laptops) -> None:
    a, b, folder = laptops
    chief = Person("Chief", "desk_chief")
    trusting(a, chief)
    story = shared(a, b, folder)
    chief.act(a, story.id, "spike")
    sync(a, folder)
    path = only_file(folder)
    claimed = path.read_text(encoding="utf-8").replace(
        '\nstatus: "spiked"', '\nstatus: "published"'
    )
    path.write_text(claimed, encoding="utf-8")

    report = sync(a, folder)
    assert report.counts() == {"rejected": 1}
    assert a.get(story.id).status == "spiked"
    assert path.read_text(encoding="utf-8") == claimed  # not rewritten for its own sake
    assert sync(a, folder).counts() == {}  # and nothing more to say or write
    # Once this laptop has something of its own to send, the file gets its story.
    edit(a, story.id, deck="A deck")
    assert sync(a, folder).counts() == {"exported": 1}
    written = loads(path.read_text(encoding="utf-8"))
    assert (written.status, written.deck) == ("spiked", "A deck")


def test_a_laptop_that_does_not_trust_the_chief_keeps_its_status_without_a_fight(laptops):
    a, b, folder = laptops
    chief = Person("Chief", "desk_chief")
    trusting(a, chief)  # b has not trusted the chief's key
    story = shared(a, b, folder)
    Person("Writer", "editor").act(a, story.id, "submit")
    chief.act(a, story.id, "approve")
    sync(a, folder)
    report = sync(b, folder)
    assert report.counts() == {"updated": 1, "rejected": 1}  # the submit, any key's
    (entry,) = report.of("rejected")
    assert "which this laptop does not trust as a desk chief" in entry.message
    assert b.get(story.id).status == "in_review"
    assert b.get(story.id).approvals == ()
    assert sync(a, folder).counts() == {}
    assert sync(b, folder).counts() == {}


def test_a_story_from_before_signed_actions_comes_in_as_far_as_its_approval_proves(
    laptops, tmp_path
) -> None:
    a, b, folder = laptops
    chief = Person("Chief", "desk_chief")
    trusting(b, chief)
    trusted = new_story(a, "trusted-one")
    untrusted = new_story(a, "untrusted-one")
    outsider = Person("Outsider", "desk_chief")
    sync(a, folder)
    # Approved and published by a release that signed approvals but no other action.
    for story, who in ((trusted, chief), (untrusted, outsider)):
        (path,) = (folder / "stories").rglob(f"*-{story.id[:8]}.md")
        current = a.get(story.id)
        approval = who.approval_of(current)
        path.write_text(dumps(current.replace(status="published", approvals=(approval,))),
                        encoding="utf-8")
    report = sync(b, folder)
    assert report.counts() == {"imported": 2, "rejected": 1}
    assert b.get(trusted.id).status == "published"
    assert b.get(untrusted.id).status == "in_review"


def test_kept_in_file_sets_aside_only_claims_beyond_what_this_laptop_keeps(laptops) -> None:
    a, _b, _folder = laptops
    chief = Person("Chief", "desk_chief")
    story = new_story(a)
    spiked = chief.act(a, story.id, "spike")
    claim = spiked.replace(status="published", modified_by="Chief")
    assert kept_in_file(claim, spiked).status == "spiked"
    stripped = claim.replace(actions=())
    assert kept_in_file(stripped, spiked) == stripped  # lacks the spike: written again
    assert merge_stories(None, spiked, spiked).story.actions == spiked.actions


# Two desk chiefs on two laptops, each acting once on a story both hold at the same
# status, one after the other in time; the laptops sync in either order, then a third
# laptop that did nothing. Every laptop must end with the same status and the same
# signed actions, with no conflict and nothing rejected (issue 16 and its follow-up).
PATHS = {  # how a story reaches each status: the writer's and the first chief's steps
    "draft": [],
    "in_review": [("writer", "submit")],
    "approved": [("writer", "submit"), ("one", "approve")],
    "published": [("writer", "submit"), ("one", "approve"), ("one", "publish")],
    "spiked": [("writer", "submit"), ("one", "spike")],
}


def _chief_actions(status: str) -> list[str]:
    return [name for name in workflow.CHIEF_ACTIONS if status in workflow.allowed_from(name)]


def _settles(tmp_path: Path, status: str, first: str, second: str, order: str) -> None:
    """One case: the story at `status` on three laptops, `first` on a, `second` on b."""
    one, two = Person("Ann Chief", "desk_chief"), Person("Cy Chief", "desk_chief")
    writer = Person("Wendy Writer", "editor")
    people = {"writer": writer, "one": one}
    folder = tmp_path / f"{status}-{first}-{second}-{order}"
    stores = [trusting(Store.open(folder.with_suffix(f".{n}.db")), one, two) for n in "abc"]
    a, b, c = stores
    try:
        story = new_story(a)
        for who, action in PATHS[status]:
            people[who].act(a, story.id, action, note="why")
        for store in stores:
            sync(store, folder)
        for who, store, action in ((one, a, first), (two, b, second)):
            if workflow.refusal(store.get(story.id), action, who, four_eyes=False):
                return  # not an action the workflow offers there (approving twice)
            who.act(store, story.id, action, note=action)  # b's later, unaware of a's
        plays = [a, b, a] if order == "ab" else [b, a, b]
        for store in [*plays, c]:
            kinds = sync(store, folder).counts()
            assert not {"conflict", "rejected"} & set(kinds), (store.path.name, kinds)
        held = [(s.get(story.id).status, set(s.get(story.id).actions)) for s in stores]
        assert held[0] == held[1] == held[2], held
        for store in stores:  # and nothing moves any more
            assert sync(store, folder).counts() == {}
    finally:
        for store in stores:
            store.close()


@pytest.mark.parametrize("status", list(PATHS))
def test_two_chiefs_acting_at_once_settle_alike_on_every_laptop(tmp_path, status) -> None:
    actions = _chief_actions(status)
    for first, second in itertools.product(actions, actions):
        for order in ("ab", "ba"):
            _settles(tmp_path, status, first, second, order)
