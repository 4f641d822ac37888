"""The pictures list merges picture by picture and field by field (sync/media_merge.py),
and through two laptops and a shared folder."""

from __future__ import annotations

import pytest

from newsdesk.sync.media_merge import merge_pictures, merged_ids

A = {"id": "sha256:" + "a" * 64, "caption": "", "alt": "", "role": "lead"}
B = {"id": "sha256:" + "b" * 64, "caption": "", "alt": "", "role": "gallery"}
C = {"id": "sha256:" + "c" * 64, "caption": "", "alt": "", "role": "gallery"}


def local_side(_name: str) -> str:
    return "local"


@pytest.mark.parametrize("base, local, remote, ids, clashes", [
    # captions of two different pictures: clean
    ([A, B], [{**A, "caption": "x"}, B], [A, {**B, "caption": "y"}], [A["id"], B["id"]], []),
    # one side adds, the other edits: clean, the new one after
    ([A], [{**A, "alt": "a"}], [A, C], [A["id"], C["id"]], []),
    # removed on one side, untouched on the other: removed
    ([A, B], [A], [A, B], [A["id"]], []),
    # removed on one side, captioned on the other: the edit beats the delete
    ([A, B], [A], [A, {**B, "caption": "kept"}], [A["id"], B["id"]], []),
    # the same field two ways: a clash, local kept
    ([A], [{**A, "caption": "x"}], [{**A, "caption": "y"}], [A["id"]],
     ["extra.pictures:aaaaaaaaaaaa.caption"]),
    # no base: the same picture added with different alt text clashes
    (None, [{**A, "alt": "x"}], [{**A, "alt": "y"}], [A["id"]],
     ["extra.pictures:aaaaaaaaaaaa.alt"]),
])
def test_merge_pictures_table(base, local, remote, ids, clashes):
    merged, found = merge_pictures(base, local, remote, local_side)
    assert merged_ids(merged) == ids
    assert [name for name, *_ in found] == clashes


def test_two_different_leads_clash_and_one_is_kept():
    base = [{**A, "role": "gallery"}, B]
    local = [{**A, "role": "lead"}, B]
    remote = [{**A, "role": "gallery"}, {**B, "role": "lead"}]
    merged, clashes = merge_pictures(base, local, remote, local_side)
    assert [e["role"] for e in merged] == ["lead", "gallery"]
    assert [name for name, *_ in clashes] == ["extra.pictures:lead"]
    merged, _ = merge_pictures(base, local, remote, lambda name: "remote")
    assert [e["role"] for e in merged] == ["gallery", "lead"]


def test_not_a_list_of_pictures_is_left_to_the_plain_merge():
    assert merge_pictures([A], "text", [A], local_side) is None
    assert merge_pictures([A], [{"caption": "no id"}], [A], local_side) is None


def test_captions_of_two_pictures_edited_on_two_laptops_merge_clean(tmp_path):
    from newsdesk.desk import Desk
    from tests.unit.media.test_media_samples import news_photo

    one, two = tmp_path / "one.jpg", tmp_path / "two.jpg"
    one.write_bytes(news_photo())
    two.write_bytes(news_photo((320, 240)))
    folder = tmp_path / "shared"
    with Desk.open(tmp_path / "a.db") as a, Desk.open(tmp_path / "b.db") as b:
        story = a.create(headline="Fire", body="Text.")
        a.media.add_pictures(story.id, [one, two], alt="x")
        a.sync(folder)
        b.sync(folder)
        for desk, index, caption in ((a, 0, "From A"), (b, 1, "From B")):
            current = desk.get(story.id)
            entries = [dict(e) for e in current.extra["pictures"]]
            entries[index]["caption"] = caption
            desk.save(current.replace(extra={**current.extra, "pictures": entries}),
                      current.revision)
        a.sync(folder)
        report = b.sync(folder)
        assert report.counts().get("conflict") is None, report.entries
        a.sync(folder)
        for desk in (a, b):
            assert [p.caption for p in desk.media.pictures(story.id)] == ["From A", "From B"]
