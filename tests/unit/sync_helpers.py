"""Shared pieces of the sync tests: two laptops (databases) and the stories they write."""

from __future__ import annotations

from pathlib import Path

from newsdesk.domain import workflow
from newsdesk.domain.model import Approval, Story, utcnow
from newsdesk.domain.trust import Trust
from newsdesk.identity.signing import (
    action_signer_for,
    generate_key,
    public_key_text,
    sign_approval,
    signer_for,
)
from newsdesk.store import Store
from newsdesk.store.records import Session
from newsdesk.sync.engine import sync_folder
from newsdesk.sync.report import SyncReport

BODY = (
    "The harbour bridge opened again on Monday after eight weeks of repairs.\n\n"
    "Engineers replaced the expansion joints on the northern span.\n\n"
    "Buses return to their usual routes from Tuesday morning.\n"
)


def new_story(store: Store, slug: str = "harbour-bridge", **fields: object) -> Story:
    values: dict[str, object] = {
        "slug": slug,
        "headline": f"Story {slug}",
        "body": BODY,
        "section": "News / Metro",
        "tags": ("transport",),
    }
    values.update(fields)
    return store.insert(Story(**values), actor="Reporter One")  # type: ignore[arg-type]


def edit(store: Store, story_id: str, actor: str = "Editor", **changes: object) -> Story:
    current = store.get(story_id)
    return store.save(current.replace(**changes), expected_revision=current.revision, actor=actor)


def sync(store: Store, folder: Path, **options: object) -> SyncReport:
    report = sync_folder(store, folder, actor="tester", **options)  # type: ignore[arg-type]
    assert not report.stopped, report.stopped
    return report


def story_files(folder: Path) -> list[Path]:
    return sorted((folder / "stories").rglob("*.md"))


def only_file(folder: Path) -> Path:
    (path,) = story_files(folder)
    return path


def kinds(report: SyncReport) -> dict[str, int]:
    return report.counts()


class Person:
    """Someone with a signing key, acting on a laptop's store as the workflow does."""

    def __init__(self, name: str, role: str) -> None:
        self.name, self.role = name, role
        self.key = generate_key()
        self.public_key = public_key_text(self.key)

    def act(self, store: Store, story_id: str, action: str, note: str = "") -> Story:
        story = store.get(story_id)
        result = workflow.apply(
            story, action, self, note=note, four_eyes=False,
            sign=signer_for(self.key), sign_action=action_signer_for(self.key),
        )
        assert result.record is not None
        return store.signed.record_transition(
            story_id, result.record, expected_revision=story.revision, approval=result.approval
        )


    def approval_of(self, story: Story) -> Approval:
        """A signed approval of the story as it is, without the action that goes with it
        (as a release before signed actions made them)."""
        approval = Approval(self.name, story.revision, story.content_hash, utcnow())
        return sign_approval(story.id, approval, self.key)


def trusting(store: Store, *chiefs: Person) -> Store:
    """The store's session trusts these people as desk chiefs (as a desk's keyring does)."""
    keys = frozenset(chief.public_key for chief in chiefs)
    store.session = Session(trust=lambda: Trust(keys))
    return store
